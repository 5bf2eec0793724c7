package dev.promptforge.server.gateway;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * A request to one provider. {@code model} is the provider's own model name (without the {@code
 * provider/} prefix). {@code passthrough} holds request fields PromptForge does not interpret; an
 * OpenAI-compatible provider forwards them untouched, others ignore them.
 */
public record ChatRequest(
        String model, List<ChatMessage> messages, ChatOptions options, Map<String, Object> passthrough) {
    public ChatRequest {
        requireNonNull(model, "model");
        messages = List.copyOf(messages);
        requireNonNull(options, "options");
        passthrough = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(passthrough));
    }

    public ChatRequest withModel(String other) {
        return new ChatRequest(other, messages, options, passthrough);
    }

    public ChatRequest withMessages(List<ChatMessage> other) {
        return new ChatRequest(model, other, options, passthrough);
    }
}
