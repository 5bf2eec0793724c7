package dev.promptforge.server.gateway;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** The generation options PromptForge understands; null means the provider's default. */
public record ChatOptions(
        @Nullable Double temperature,
        @Nullable Integer maxTokens,
        @Nullable Double topP,
        @Nullable List<String> stop,
        @Nullable Integer seed) {

    public static final ChatOptions DEFAULTS = new ChatOptions(null, null, null, null, null);

    public ChatOptions {
        stop = stop == null ? null : List.copyOf(stop);
    }
}
