package dev.promptforge.server.records;

import static java.util.Objects.requireNonNull;

import dev.promptforge.server.shared.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The newest records of one prompt version with their feedback values, one value per record: what a
 * comparison of two versions needs for its confidence intervals and its answers on the same inputs.
 */
@Service
public class RecordSamples {

    /** The most records one call returns. */
    public static final int MAX_SAMPLES = 5_000;

    private final JdbcClient jdbc;

    RecordSamples(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A feedback value of a record; {@code passed} is an evaluator's verdict (null for a person's score). */
    public record Value(
            String name,
            String source,
            double value,
            @Nullable Boolean passed) {
        public Value {
            requireNonNull(name, "name");
            requireNonNull(source, "source");
        }
    }

    /**
     * One record: its status, latency (ms), cost, stored (anonymized) input as JSON text and as its
     * parsed form, answer, and its feedback values.
     */
    public record Sample(
            String id,
            String status,
            double latencyMs,
            @Nullable Double cost,
            String inputText,
            @Nullable Object input,
            @Nullable String output,
            Instant createdAt,
            List<Value> feedback) {
        public Sample {
            requireNonNull(id, "id");
            feedback = List.copyOf(feedback);
        }
    }

    /** The newest {@code limit} (1..{@value #MAX_SAMPLES}) records of a version of a prompt of the project, newest first. */
    public List<Sample> newest(String projectId, String prompt, int version, int limit) {
        if (limit < 1 || limit > MAX_SAMPLES) {
            throw new IllegalArgumentException("limit is from 1 to " + MAX_SAMPLES + ", got " + limit);
        }
        String newest = """
                SELECT id FROM records
                WHERE project_id = :project AND prompt_name = :prompt AND prompt_version = :version
                ORDER BY id DESC LIMIT :limit""";
        Map<String, List<Value>> feedback = new LinkedHashMap<>();
        jdbc.sql("SELECT f.record_id, f.name, f.source, f.value, f.passed FROM feedback f" + " JOIN (" + newest
                        + ") n ON n.id = f.record_id ORDER BY f.created_at, f.id")
                .param("project", projectId)
                .param("prompt", prompt)
                .param("version", version)
                .param("limit", limit)
                .query(rs -> {
                    boolean passed = rs.getBoolean(5);
                    Boolean verdict = rs.wasNull() ? null : passed;
                    feedback.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new Value(rs.getString(2), rs.getString(3), rs.getDouble(4), verdict));
                });
        return jdbc.sql("SELECT id, status, latency_ms, cost, input, output, created_at FROM records" + " WHERE id IN ("
                        + newest + ") ORDER BY id DESC")
                .param("project", projectId)
                .param("prompt", prompt)
                .param("version", version)
                .param("limit", limit)
                .query((rs, i) -> {
                    String input = rs.getString("input");
                    double cost = rs.getDouble("cost");
                    Double priced = rs.wasNull() ? null : cost;
                    return new Sample(
                            rs.getString("id"),
                            rs.getString("status"),
                            rs.getDouble("latency_ms"),
                            priced,
                            input,
                            Json.read(input, Object.class),
                            rs.getString("output"),
                            Instant.ofEpochMilli(rs.getLong("created_at")),
                            feedback.getOrDefault(rs.getString("id"), List.of()));
                })
                .list();
    }
}
