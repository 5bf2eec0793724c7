package dev.promptforge.server.registry;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A prompt of a project. {@code latestVersion} is null until its first version exists.
 */
public record Prompt(
        @JsonIgnore String id,
        String project,
        String name,
        @Nullable String description,
        List<String> tags,
        @Nullable Integer latestVersion,
        boolean archived,
        String createdBy,
        Instant createdAt,
        Instant updatedAt) {
    public Prompt {
        requireNonNull(id, "id");
        requireNonNull(name, "name");
        tags = List.copyOf(tags);
    }
}
