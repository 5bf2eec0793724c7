package dev.promptforge.server.lab.pipeline;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One stage of a pipeline (the seed's PipelineStage).
 *
 * @param name the stage's name, unique in its pipeline (default: its type)
 * @param type what it does
 * @param config its thresholds and options, by type (see the README)
 * @param continueOnFailure run the next stages even when this one fails
 */
public record StageSpec(
        @Nullable String name,
        @Nullable StageType type,
        @Nullable Map<String, Object> config,
        @Nullable Boolean continueOnFailure) {

    public StageSpec {
        config = config == null
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(config));
    }

    String label() {
        return name != null ? name : type == null ? "stage" : type.id();
    }

    boolean continues() {
        return Boolean.TRUE.equals(continueOnFailure);
    }
}
