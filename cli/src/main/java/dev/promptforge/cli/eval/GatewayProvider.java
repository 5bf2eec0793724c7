package dev.promptforge.cli.eval;

import static java.util.Objects.requireNonNull;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.promptforge.eval.EvalProvider;
import dev.promptforge.eval.Message;
import dev.promptforge.eval.ProviderCallException;
import dev.promptforge.eval.ProviderRequest;
import dev.promptforge.eval.ProviderResponse;
import dev.promptforge.eval.TokenUsage;
import dev.promptforge.server.gateway.ChatMessage;
import dev.promptforge.server.gateway.ChatOptions;
import dev.promptforge.server.gateway.ChatRequest;
import dev.promptforge.server.gateway.ChatResponse;
import dev.promptforge.server.gateway.Pricing;
import dev.promptforge.server.gateway.Provider;
import dev.promptforge.server.gateway.ProviderException;
import dev.promptforge.server.gateway.Usage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A gateway {@link Provider} as a suite provider: the suite's messages and options go out as the
 * gateway's {@link ChatRequest}, the answer comes back with its usage (counted with the o200k
 * tokenizer and marked estimated when the provider reports none) and its cost from PromptForge's
 * pricing table (null for a model without a price). The provider's wire client is the gateway's own,
 * so nothing is written twice.
 */
final class GatewayProvider implements EvalProvider {

    /**
     * The o200k tokenizer, loaded on first use: its vocabulary costs tens of megabytes and a good
     * part of a second, and only answers without {@code usage} need it.
     */
    private static final class Tokens {
        static final Encoding O200K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    }

    private final String id;
    private final Provider provider;
    private final String model;
    private final ChatOptions options;
    private final Map<String, Object> passthrough;
    private final Pricing pricing;

    GatewayProvider(
            String id,
            Provider provider,
            String model,
            ChatOptions options,
            Map<String, Object> passthrough,
            Pricing pricing) {
        this.id = requireNonNull(id, "id");
        this.provider = requireNonNull(provider, "provider");
        this.model = requireNonNull(model, "model");
        this.options = requireNonNull(options, "options");
        this.passthrough = Map.copyOf(passthrough);
        this.pricing = requireNonNull(pricing, "pricing");
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Map<String, Object> cacheIdentity() {
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("id", id);
        identity.put("model", provider.name() + "/" + model);
        identity.put("options", options);
        identity.put("passthrough", passthrough);
        return identity;
    }

    @Override
    public ProviderResponse call(ProviderRequest request) {
        List<ChatMessage> messages = request.messages().stream()
                .map(m -> ChatMessage.of(m.role(), m.content()))
                .toList();
        ChatResponse response;
        try {
            response = provider.chat(new ChatRequest(model, messages, options, passthrough));
        } catch (ProviderException e) {
            throw new ProviderCallException(e.getMessage(), e);
        }
        Usage usage = response.usage();
        TokenUsage tokens = usage != null
                ? new TokenUsage(usage.inputTokens(), usage.outputTokens(), usage.estimated())
                : new TokenUsage(count(request.messages()), count(response.text()), true);
        Double cost = pricing.cost(provider.name() + "/" + model, tokens.prompt(), tokens.completion());
        return new ProviderResponse(response.text(), response.finishReason(), tokens, cost, null);
    }

    /** OpenAI's chat framing: 3 tokens per message and 3 for the reply. */
    private static int count(List<Message> messages) {
        int total = 3;
        for (Message message : messages) {
            total += 3 + count(message.content());
        }
        return total;
    }

    private static int count(String text) {
        return text.isEmpty() ? 0 : Tokens.O200K.countTokensOrdinary(text);
    }
}
