package dev.promptforge.server.registry;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Request bodies of the registry API; validated by {@link PromptRegistry}. */
public final class RegistryRequests {

    private RegistryRequests() {}

    public record NewProject(
            @Nullable String name, @Nullable String description) {}

    public record NewPrompt(
            @Nullable String name,
            @Nullable String description,
            @Nullable List<String> tags) {}

    public record NewVersion(
            @Nullable String template,
            @Nullable List<PromptMessage> messages,
            @Nullable String model,
            @Nullable Map<String, Object> parameters,
            @Nullable List<String> variables,
            @Nullable String commitMessage) {}

    public record MoveLabel(@Nullable Integer version) {}

    public record Render(
            @Nullable Integer version,
            @Nullable String label,
            @Nullable Map<String, Object> variables) {}
}
