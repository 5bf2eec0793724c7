package dev.promptforge.server.gateway;

import java.util.List;
import java.util.function.Consumer;

/**
 * A model provider. It only translates: PromptForge's request to the provider's wire format and the
 * answer back, classifying failures as {@link ProviderFailure}s. Retries, the circuit breaker,
 * fallback, PII, observation and recording belong to the gateway, not here. Calls block; the
 * gateway runs them on virtual threads.
 */
public interface Provider {

    /** The configured name, the prefix of model names ({@code openai} in {@code openai/gpt-4o-mini}). */
    String name();

    /** Its wire type: {@code openai}, {@code anthropic} or {@code local}. */
    String type();

    /** Models to list in {@code GET /v1/models} (the configured ones; may be empty). */
    List<String> models();

    /** One complete answer. */
    ChatResponse chat(ChatRequest request);

    /**
     * A streamed answer: {@code onChunk} is called for each piece as it arrives, in order, on the
     * calling thread; the method returns when the stream ends. A failure before the first chunk is
     * thrown as {@link ProviderException}; one after it too (the caller knows chunks were sent).
     */
    void stream(ChatRequest request, Consumer<ChatChunk> onChunk);
}
