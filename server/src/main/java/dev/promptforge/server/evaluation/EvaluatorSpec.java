package dev.promptforge.server.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * One evaluator as configured: a promptfoo assertion ({@code type}, {@code value}, {@code
 * threshold}), its feedback name ({@code metric}, else the type) and, for a model-graded type, the
 * gateway model that judges it when it is not the configuration's judge: a model name ({@code
 * "openai/text-embedding-3-small"}), or one per kind of call as promptfoo names them ({@code
 * {"text": "openai/gpt-4o-mini", "embedding": "openai/text-embedding-3-small"}}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluatorSpec(
        @Nullable String type,
        @Nullable Object value,
        @Nullable Double threshold,
        @Nullable String metric,
        @Nullable Object provider) {

    /** The name its feedback rows carry. */
    String name() {
        return metric != null ? metric : String.valueOf(type);
    }
}
