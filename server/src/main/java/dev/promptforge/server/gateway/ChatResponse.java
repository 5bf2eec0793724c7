package dev.promptforge.server.gateway;

import static java.util.Objects.requireNonNull;

import dev.promptforge.server.shared.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;

/**
 * A provider's answer. {@code usage} is null when the provider reported none (the gateway then
 * estimates it). {@code rawJson} is the upstream's JSON body, byte for byte, when the upstream speaks
 * the OpenAI format, so the proxy can return it (fields PromptForge does not know included) without
 * decoding and encoding it again; null otherwise.
 */
public record ChatResponse(
        String text,
        @Nullable String finishReason,
        @Nullable Usage usage,
        String model,
        byte @Nullable [] rawJson) {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    public ChatResponse {
        requireNonNull(text, "text");
        requireNonNull(model, "model");
    }

    /** The upstream's body as a map, decoded on each call; null when there is none. */
    public @Nullable Map<String, Object> raw() {
        return rawJson == null ? null : Json.read(new String(rawJson, StandardCharsets.UTF_8), MAP);
    }
}
