package dev.promptforge.server.gateway;

import org.jspecify.annotations.Nullable;

/**
 * One streamed piece of an answer. {@code rawOpenAi} is the exact {@code data:} payload when the
 * upstream speaks OpenAI's streaming format (the proxy passes it on as it arrived); null when the
 * chunk was translated (Anthropic) or made locally. {@code usage} and {@code finishReason} come on
 * the chunks that carry them, usually the last.
 */
public record ChatChunk(
        String textDelta,
        @Nullable String finishReason,
        @Nullable Usage usage,
        @Nullable String rawOpenAi) {}
