package dev.promptforge.server.lab.pipeline;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A run of a pipeline with the result of each stage.
 *
 * @param status QUEUED, RUNNING, PASSED, FAILED or CANCELLED
 * @param reason why it failed or was cancelled
 * @param candidate the tested version, {@code prompt@version}
 * @param baseline the version it is compared with, when any
 * @param items how many dataset items it tests
 * @param itemsDone executions done so far (items × models and variants)
 * @param itemsTotal executions planned so far
 * @param resumes how many times it was resumed after an interruption
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PipelineRun(
        String id,
        String pipelineId,
        String project,
        String status,
        @Nullable String reason,
        String candidate,
        @Nullable String baseline,
        @Nullable String dataset,
        @Nullable Integer datasetVersion,
        List<String> models,
        int items,
        int itemsDone,
        int itemsTotal,
        int resumes,
        List<StageResult> stages,
        String createdBy,
        Instant createdAt,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt) {

    public static final String QUEUED = "QUEUED";
    public static final String RUNNING = "RUNNING";
    public static final String PASSED = "PASSED";
    public static final String FAILED = "FAILED";
    public static final String CANCELLED = "CANCELLED";

    public PipelineRun {
        requireNonNull(id, "id");
        requireNonNull(status, "status");
        models = List.copyOf(models);
        stages = List.copyOf(stages);
    }

    public boolean finished() {
        return !status.equals(QUEUED) && !status.equals(RUNNING);
    }

    /**
     * One stage's result, persisted as the stage starts and again as it completes.
     *
     * @param status PENDING, RUNNING, PASSED, FAILED or SKIPPED
     * @param metrics the stage's figures
     * @param details what explains them (findings, thresholds, regressed items, suggestions)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StageResult(
            int position,
            String name,
            String type,
            String status,
            @Nullable Map<String, Object> metrics,
            @Nullable Map<String, Object> details,
            @Nullable Instant startedAt,
            @Nullable Instant finishedAt) {

        public static final String PENDING = "PENDING";
        public static final String RUNNING = "RUNNING";
        public static final String PASSED = "PASSED";
        public static final String FAILED = "FAILED";
        public static final String SKIPPED = "SKIPPED";

        boolean done() {
            return status.equals(PASSED) || status.equals(FAILED) || status.equals(SKIPPED);
        }
    }

    /** One execution of one item by one variant (the candidate, the baseline or a suggestion on a model). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ItemResult(
            String variant,
            String itemId,
            String status,
            @Nullable String output,
            @Nullable String error,
            @Nullable Double latencyMs,
            @Nullable Integer inputTokens,
            @Nullable Integer outputTokens,
            @Nullable Double cost,
            @Nullable String recordId) {

        public boolean ok() {
            return status.equals("ok");
        }
    }
}
