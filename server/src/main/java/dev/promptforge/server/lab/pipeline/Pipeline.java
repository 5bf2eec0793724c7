package dev.promptforge.server.lab.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A test pipeline of a project: its config and ordered stages; every update is a new revision.
 */
public record Pipeline(
        String id,
        String project,
        String name,
        @Nullable String description,
        PipelineConfig config,
        List<StageSpec> stages,
        int revision,
        String createdBy,
        Instant createdAt,
        Instant updatedAt) {

    public Pipeline {
        requireNonNull(id, "id");
        requireNonNull(config, "config");
        stages = List.copyOf(stages);
    }
}
