package dev.promptforge.server.lab.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a pipeline tests with (the seed's TestPipeline config).
 *
 * @param models the models to test on, {@code provider/model}; the first is the primary one that
 *     gates the stages; empty means the prompt version's own model
 * @param dataset the project dataset to test on, unless the run names items or another dataset
 * @param datasetVersion a fixed version of it; the latest when null
 * @param concurrency how many items run at once (also bounded per provider)
 * @param assertions evaluators every item is graded with, as promptfoo assertions ({@code type},
 *     {@code value}, {@code threshold}); each item's {@code expected} adds its own
 * @param threshold an item passes when its weighted score reaches this (else when all its
 *     assertions pass)
 * @param successCriteria default thresholds of the stages ({@code minPassRate}, {@code maxP95Ms} …);
 *     a stage's own config wins
 * @param monthlyVolume calls per month, for the projected monthly cost
 * @param judge the gateway model that grades model-graded evaluators ({@code llm-rubric}, {@code
 *     factuality} …); without one they are refused
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PipelineConfig(
        @Nullable List<String> models,
        @Nullable String dataset,
        @Nullable Integer datasetVersion,
        @Nullable Integer concurrency,
        @JsonProperty("assert") @Nullable List<Map<String, Object>> assertions,
        @Nullable Double threshold,
        @Nullable Map<String, Object> successCriteria,
        @Nullable Long monthlyVolume,
        @Nullable String judge) {

    public PipelineConfig {
        models = models == null ? List.of() : List.copyOf(models);
        assertions = assertions == null ? List.of() : List.copyOf(assertions);
        successCriteria = successCriteria == null ? Map.of() : Map.copyOf(successCriteria);
    }

    static PipelineConfig empty() {
        return new PipelineConfig(null, null, null, null, null, null, null, null, null);
    }

    int effectiveConcurrency() {
        return concurrency == null ? 4 : concurrency;
    }

    long effectiveMonthlyVolume() {
        return monthlyVolume == null ? 100_000 : monthlyVolume;
    }
}
