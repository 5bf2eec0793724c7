package dev.promptforge.server.gateway;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A provider's answer. {@code usage} is null when the provider reported none (the gateway then
 * estimates it). {@code raw} is the upstream's JSON body when the upstream speaks the OpenAI format,
 * so the proxy can return fields PromptForge does not know untouched; null otherwise.
 */
public record ChatResponse(
        String text,
        @Nullable String finishReason,
        @Nullable Usage usage,
        String model,
        @Nullable Map<String, Object> raw) {
    public ChatResponse {
        requireNonNull(text, "text");
        requireNonNull(model, "model");
    }
}
