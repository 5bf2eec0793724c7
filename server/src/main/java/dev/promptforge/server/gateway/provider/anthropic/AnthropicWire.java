package dev.promptforge.server.gateway.provider.anthropic;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** The parts of the Messages API's answers and stream events PromptForge reads (snake_case on the wire). */
final class AnthropicWire {

    private AnthropicWire() {}

    /** A {@code message}: the answer, or the start of a stream in {@code message_start}. */
    record Message(
            @Nullable String type,
            @Nullable String model,
            @Nullable List<@Nullable Block> content,
            @Nullable String stopReason,
            @Nullable TokenUsage usage) {}

    /** A content block; only {@code text} blocks carry text PromptForge returns. */
    record Block(@Nullable String type, @Nullable String text) {}

    record TokenUsage(
            @Nullable Integer inputTokens,
            @Nullable Integer outputTokens,
            @Nullable Integer cacheCreationInputTokens,
            @Nullable Integer cacheReadInputTokens) {}

    /** One stream event; which fields are set depends on its {@code type}. */
    record Event(
            @Nullable String type,
            @Nullable Message message,
            @Nullable Block contentBlock,
            @Nullable Delta delta,
            @Nullable TokenUsage usage,
            @Nullable Error error) {}

    /** {@code text_delta} in {@code content_block_delta}; {@code stop_reason} in {@code message_delta}. */
    record Delta(
            @Nullable String type,
            @Nullable String text,
            @Nullable String stopReason) {}

    record Error(@Nullable String type, @Nullable String message) {}
}
