package dev.promptforge.server.registry;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A project: the unit of ownership of prompts, records and keys, addressed by its name. */
public record Project(String id, String name, @Nullable String description, String createdBy, Instant createdAt) {
    public Project {
        requireNonNull(id, "id");
        requireNonNull(name, "name");
    }
}
