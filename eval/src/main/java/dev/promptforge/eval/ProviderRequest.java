package dev.promptforge.eval;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * What a suite asks a provider: the rendered prompt as text and as chat messages (a prompt that
 * renders to a JSON list of {@code {role, content}} is a chat; any other text is one user message),
 * and the test's variables (the {@code http} and {@code promptforge} providers send them on).
 */
public record ProviderRequest(String prompt, List<Message> messages, Map<String, Object> vars) {
    public ProviderRequest {
        requireNonNull(prompt, "prompt");
        messages = List.copyOf(messages);
        vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
    }
}
