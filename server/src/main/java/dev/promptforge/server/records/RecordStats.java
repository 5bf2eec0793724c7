package dev.promptforge.server.records;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Aggregates of a project's records over time, for the dashboard's overview and leaderboard. */
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

    /** A feedback measure's mean over a leaderboard row's records; {@code source} is auto, judge or human. */
    public record Score(
            String name,
            String source,
            double mean,
            long count,
            @Nullable Double passRate) {}

    /**
     * One prompt version and model (prompt null: direct model calls) over a range: traffic, latency
     * percentiles (ms), cost per call, and the mean of each feedback measure.
     */
    public record LeaderRow(
            @Nullable String prompt,
            @Nullable Integer version,
            String model,
            long records,
            long errors,
            @Nullable Double p50,
            @Nullable Double p95,
            @Nullable Double p99,
            @Nullable Double costPerCall,
            double tokensPerCall,
            List<Score> scores) {
        public double errorRate() {
            return records == 0 ? 0 : (double) errors / records;
        }
    }

    /** Every prompt version and model with records in [{@code from}, {@code to}), most records first. */
    public List<LeaderRow> leaderboard(String projectId, Instant from, Instant to) {
        record Key(@Nullable String prompt, @Nullable Integer version, String model) {}
        Map<Key, Acc> rows = new LinkedHashMap<>();
        Map<Key, double[]> costs = new HashMap<>();
        jdbc.sql("""
                        SELECT prompt_name, prompt_version, model, latency_ms, status, input_tokens, output_tokens, cost
                        FROM records WHERE project_id = :project AND created_at >= :from AND created_at < :to
                        """)
                .param("project", projectId)
                .param("from", from.toEpochMilli())
                .param("to", to.toEpochMilli())
                .query(rs -> {
                    int version = rs.getInt(2);
                    Key key = new Key(rs.getString(1), rs.wasNull() ? null : version, rs.getString(3));
                    double cost = rs.getDouble(8);
                    boolean priced = !rs.wasNull();
                    rows.computeIfAbsent(key, k -> new Acc())
                            .add(rs.getDouble(4), "error".equals(rs.getString(5)), rs.getLong(6) + rs.getLong(7), cost);
                    double[] c = costs.computeIfAbsent(key, k -> new double[2]);
                    if (priced) {
                        c[0] += cost;
                        c[1]++;
                    }
                });
        Map<Key, Map<String, double[]>> scores = new HashMap<>();
        jdbc.sql("""
                        SELECT r.prompt_name, r.prompt_version, r.model, f.name, f.source, f.value, f.passed
                        FROM feedback f JOIN records r ON r.id = f.record_id
                        WHERE r.project_id = :project AND r.created_at >= :from AND r.created_at < :to
                        """)
                .param("project", projectId)
                .param("from", from.toEpochMilli())
                .param("to", to.toEpochMilli())
                .query(rs -> {
                    int version = rs.getInt(2);
                    Key key = new Key(rs.getString(1), rs.wasNull() ? null : version, rs.getString(3));
                    String measure = rs.getString(4) + "\u0000" + rs.getString(5);
                    double value = rs.getDouble(6);
                    boolean passed = rs.getBoolean(7);
                    boolean judged = !rs.wasNull();
                    double[] acc = scores.computeIfAbsent(key, k -> new LinkedHashMap<>())
                            .computeIfAbsent(measure, m -> new double[4]);
                    acc[0] += value;
                    acc[1]++;
                    if (judged) {
                        acc[2] += passed ? 1 : 0;
                        acc[3]++;
                    }
                });
        List<LeaderRow> board = new ArrayList<>();
        rows.forEach((key, acc) -> {
            Totals totals = acc.totals();
            double[] c = costs.get(key);
            List<Score> measures = new ArrayList<>();
            scores.getOrDefault(key, Map.of()).forEach((measure, a) -> {
                String[] parts = measure.split("\u0000", 2);
                measures.add(new Score(parts[0], parts[1], a[0] / a[1], (long) a[1], a[3] == 0 ? null : a[2] / a[3]));
            });
            measures.sort(Comparator.comparing(Score::source).thenComparing(Score::name));
            board.add(new LeaderRow(
                    key.prompt(),
                    key.version(),
                    key.model(),
                    totals.requests(),
                    totals.errors(),
                    totals.p50(),
                    totals.p95(),
                    acc.quantile(0.99),
                    c == null || c[1] == 0 ? null : c[0] / c[1],
                    totals.requests() == 0 ? 0 : (double) totals.tokens() / totals.requests(),
                    measures));
        });
        board.sort(Comparator.comparingLong(LeaderRow::records).reversed());
        return board;
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

        @Nullable
        Double quantile(double quantile) {
            if (count == 0) {
                return null;
            }
            double[] sorted = Arrays.copyOf(latencies, count);
            Arrays.sort(sorted);
            return rank(sorted, quantile);
        }

        private static double rank(double[] sorted, double quantile) {
            int index = (int) Math.ceil(quantile * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }
    }
}
