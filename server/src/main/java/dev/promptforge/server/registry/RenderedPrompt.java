package dev.promptforge.server.registry;

import java.util.List;
import java.util.Map;

/** A version with its variables filled in, ready for a provider. */
public record RenderedPrompt(
        String prompt, int version, String model, Map<String, Object> parameters, List<PromptMessage> messages) {
    public RenderedPrompt {
        parameters = Map.copyOf(parameters);
        messages = List.copyOf(messages);
    }
}
