package dev.promptforge.server.gateway.provider.openai;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The parts of OpenAI's Chat Completions answers PromptForge reads (snake_case on the wire). Every
 * field is nullable because OpenAI-compatible servers differ; the mapper decides what is required.
 */
final class OpenAiWire {

    private OpenAiWire() {}

    /** A {@code chat.completion} or a {@code chat.completion.chunk}. */
    record Completion(
            @Nullable String model,
            @Nullable List<@Nullable Choice> choices,
            @Nullable TokenUsage usage,
            @Nullable GroqExtension xGroq) {}

    /** {@code message} in a completion, {@code delta} in a chunk. */
    record Choice(
            @Nullable Message message,
            @Nullable Message delta,
            @Nullable String finishReason) {}

    /** Content is a string, null, or (rarely, in answers) a list of parts. */
    record Message(@Nullable Object content) {}

    record TokenUsage(
            @Nullable Integer promptTokens, @Nullable Integer completionTokens) {}

    /** Groq reports a stream's usage in {@code x_groq.usage} on its last chunk. */
    record GroqExtension(@Nullable TokenUsage usage) {}
}
