package dev.promptforge.server.records;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One execution as stored: what was asked (the messages as JSON), what came back or why it failed,
 * and how long, how many tokens and how much it cost. The input and output are stored as the
 * provider saw and wrote them (anonymized), with the count of personal data found per entity type. {@code cost} is null when the model has no
 * price; {@code tokensEstimated} is true when the provider reported no usage. {@code runId} tags
 * the executions of one evaluation run ({@code ./promptforge eval --server}). {@code subjectHash} is
 * the keyed hash of the end user the call was made for (never the id itself); {@code injection} the
 * JSON of the injection rules its input matched, null when none did.
 */
public record ExecutionRecord(
        String id,
        String projectId,
        @Nullable String promptName,
        @Nullable Integer promptVersion,
        String endpoint,
        String provider,
        String model,
        String status,
        @Nullable String errorType,
        @Nullable String errorMessage,
        @Nullable Integer httpStatus,
        String inputJson,
        @Nullable String output,
        @Nullable String finishReason,
        double latencyMs,
        @Nullable Integer inputTokens,
        @Nullable Integer outputTokens,
        boolean tokensEstimated,
        @Nullable Double cost,
        int attempts,
        boolean streamed,
        @Nullable String correlationId,
        @Nullable String traceId,
        @Nullable String apiKeyId,
        @Nullable String piiCountsJson,
        Instant createdAt,
        Instant finishedAt,
        @Nullable String runId,
        @Nullable String subjectHash,
        @Nullable String injection) {

    public static final String OK = "ok";
    public static final String ERROR = "error";

    public ExecutionRecord {
        requireNonNull(id, "id");
        requireNonNull(projectId, "projectId");
        requireNonNull(endpoint, "endpoint");
        requireNonNull(model, "model");
        if (!OK.equals(status) && !ERROR.equals(status)) {
            throw new IllegalArgumentException("status must be ok or error");
        }
    }
}
