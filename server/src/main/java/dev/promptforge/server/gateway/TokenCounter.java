package dev.promptforge.server.gateway;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;

/**
 * Counts tokens with the o200k tokenizer when a provider reports no usage. The counts are marked
 * estimated: other providers' tokenizers differ.
 */
final class TokenCounter {

    /** The per-message framing OpenAI's chat format adds (role and separators). */
    static final int TOKENS_PER_MESSAGE = 3;

    private final Encoding encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

    int count(String text) {
        return text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }

    int countMessages(List<ChatMessage> messages) {
        int total = 3;
        for (ChatMessage message : messages) {
            total += TOKENS_PER_MESSAGE + count(message.text());
        }
        return total;
    }
}
