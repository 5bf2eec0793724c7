package dev.promptforge.server.evaluation;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The evaluators that score a project's records, or one prompt's (which then replace the
 * project's). {@code revision} counts the changes (0: never set); feedback rows name it in their
 * evaluator version.
 *
 * @param judge the gateway model ({@code provider/model}) that grades model-graded evaluators
 */
public record EvaluatorConfig(
        String project,
        @Nullable String prompt,
        int revision,
        @Nullable String judge,
        List<EvaluatorSpec> evaluators,
        @Nullable String updatedBy,
        @Nullable Instant updatedAt) {

    public EvaluatorConfig {
        evaluators = List.copyOf(evaluators);
    }
}
