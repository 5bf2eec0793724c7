package dev.promptforge.server.records;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Aggregates of a project's records over time, for the dashboard's overview. */
@Service
public class RecordStats {

    /** The most buckets a series may have, so a wide range with a fine bucket cannot ask for millions. */
    public static final int MAX_BUCKETS = 2_000;

    private final JdbcClient jdbc;

    RecordStats(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Requests, errors, latency percentiles (ms), tokens and cost of one span of time. */
    public record Totals(
            long requests,
            long errors,
            @Nullable Double p50,
            @Nullable Double p95,
            long tokens,
            double cost) {
        public double errorRate() {
            return requests == 0 ? 0 : (double) errors / requests;
        }
    }

    /** One bucket of the series, starting at {@code at}. */
    public record Point(Instant at, Totals totals) {}

    /** A prompt (null name: direct model calls) and its traffic. */
    public record PromptTraffic(
            @Nullable String prompt,
            long requests,
            long errors,
            @Nullable Double p50) {}

    /** A kind of error, with its latest message. */
    public record ErrorCount(String type, @Nullable String message, long count) {}

    /** The overview of a range: totals, one point per bucket (empty buckets included), top prompts, top errors. */
    public record Overview(
            Totals totals, List<Point> series, List<PromptTraffic> topPrompts, List<ErrorCount> topErrors) {}

    /**
     * The overview of the project's records created in [{@code from}, {@code to}), in buckets of
     * {@code bucket}.
     */
    public Overview overview(String projectId, Instant from, Instant to, Duration bucket) {
        long start = from.toEpochMilli();
        long end = to.toEpochMilli();
        long step = Math.max(1, bucket.toMillis());
        int buckets = (int) Math.min(MAX_BUCKETS, Math.max(1, (end - start + step - 1) / step));
        Acc all = new Acc();
        Acc[] series = new Acc[buckets];
        Map<String, Acc> prompts = new HashMap<>();
        Map<String, long[]> errorCounts = new HashMap<>();
        Map<String, String> errorMessages = new HashMap<>();
        jdbc.sql("""
                        SELECT created_at, latency_ms, status, input_tokens, output_tokens, cost, prompt_name,
                               error_type, error_message
                        FROM records WHERE project_id = :project AND created_at >= :from AND created_at < :to
                        ORDER BY created_at
                        """)
                .param("project", projectId)
                .param("from", start)
                .param("to", end)
                .query(rs -> {
                    long at = rs.getLong(1);
                    double latency = rs.getDouble(2);
                    boolean error = "error".equals(rs.getString(3));
                    long tokens = rs.getLong(4) + rs.getLong(5);
                    double cost = rs.getDouble(6);
                    String prompt = rs.getString(7);
                    all.add(latency, error, tokens, cost);
                    int index = (int) Math.min(buckets - 1, (at - start) / step);
                    if (series[index] == null) {
                        series[index] = new Acc();
                    }
                    series[index].add(latency, error, tokens, cost);
                    prompts.computeIfAbsent(prompt == null ? "" : prompt, p -> new Acc())
                            .add(latency, error, tokens, cost);
                    if (error) {
                        String type = rs.getString(8) == null ? "error" : rs.getString(8);
                        errorCounts.computeIfAbsent(type, t -> new long[1])[0]++;
                        errorMessages.put(type, rs.getString(9));
                    }
                });
        List<Point> points = new ArrayList<>(buckets);
        for (int i = 0; i < buckets; i++) {
            Acc acc = series[i] == null ? new Acc() : series[i];
            points.add(new Point(Instant.ofEpochMilli(start + i * step), acc.totals()));
        }
        List<PromptTraffic> top = prompts.entrySet().stream()
                .map(e -> {
                    Totals t = e.getValue().totals();
                    return new PromptTraffic(
                            e.getKey().isEmpty() ? null : e.getKey(), t.requests(), t.errors(), t.p50());
                })
                .sorted(Comparator.comparingLong(PromptTraffic::requests).reversed())
                .limit(10)
                .toList();
        List<ErrorCount> errors = errorCounts.entrySet().stream()
                .map(e -> new ErrorCount(e.getKey(), errorMessages.get(e.getKey()), e.getValue()[0]))
                .sorted(Comparator.comparingLong(ErrorCount::count).reversed())
                .limit(10)
                .toList();
        return new Overview(all.totals(), points, top, errors);
    }

    /** Collects one span's figures; percentiles are exact (nearest rank). */
    private static final class Acc {
        private double[] latencies = new double[16];
        private int count;
        private long errors;
        private long tokens;
        private double cost;

        void add(double latency, boolean error, long tokens, double cost) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = latency;
            if (error) {
                errors++;
            }
            this.tokens += tokens;
            this.cost += cost;
        }

        Totals totals() {
            if (count == 0) {
                return new Totals(0, 0, null, null, 0, 0);
            }
            double[] sorted = Arrays.copyOf(latencies, count);
            Arrays.sort(sorted);
            return new Totals(count, errors, rank(sorted, 0.50), rank(sorted, 0.95), tokens, cost);
        }

        private static double rank(double[] sorted, double quantile) {
            int index = (int) Math.ceil(quantile * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }
    }
}
