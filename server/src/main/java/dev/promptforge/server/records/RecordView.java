package dev.promptforge.server.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A record as the API shows it, with its feedback when fetched alone. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecordView(
        String id,
        String project,
        @Nullable String prompt,
        @Nullable Integer version,
        String endpoint,
        String provider,
        String model,
        String status,
        @Nullable Error error,
        Object input,
        @Nullable String output,
        @Nullable String finishReason,
        double latencyMs,
        Usage usage,
        @Nullable Double cost,
        int attempts,
        boolean streamed,
        @Nullable String correlationId,
        @Nullable String traceId,
        @Nullable Object pii,
        Instant createdAt,
        Instant finishedAt,
        @Nullable String runId,
        @Nullable String subject,
        @Nullable Object injection,
        @Nullable List<Feedback> feedback) {

    public record Error(
            @Nullable String type,
            @Nullable String message,
            @Nullable Integer status) {}

    public record Usage(
            @Nullable Integer inputTokens, @Nullable Integer outputTokens, boolean estimated) {}

    /** A score; {@code passed} is an evaluator's verdict (null for a person's score). */
    public record Feedback(
            String id,
            String name,
            double value,
            @Nullable Boolean passed,
            @Nullable String reason,
            String source,
            @Nullable String evaluatorVersion,
            @Nullable String createdBy,
            Instant createdAt) {}
}
