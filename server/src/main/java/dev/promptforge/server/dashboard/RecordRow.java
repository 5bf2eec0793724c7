package dev.promptforge.server.dashboard;

import dev.promptforge.server.records.RecordView;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A record as one row of the records table. */
record RecordRow(
        String id,
        Instant createdAt,
        @Nullable String prompt,
        @Nullable Integer version,
        String model,
        String status,
        @Nullable String errorType,
        double latencyMs,
        @Nullable Integer tokens,
        @Nullable Double cost,
        String summary,
        @Nullable String runId) {

    static RecordRow of(RecordView record) {
        Integer in = record.usage().inputTokens();
        Integer out = record.usage().outputTokens();
        return new RecordRow(
                record.id(),
                record.createdAt(),
                record.prompt(),
                record.version(),
                record.model(),
                record.status(),
                record.error() == null ? null : record.error().type(),
                record.latencyMs(),
                in == null && out == null ? null : (in == null ? 0 : in) + (out == null ? 0 : out),
                record.cost(),
                RecordText.summary(record.input(), 120),
                record.runId());
    }

    static List<RecordRow> of(List<RecordView> records) {
        return records.stream().map(RecordRow::of).toList();
    }
}
