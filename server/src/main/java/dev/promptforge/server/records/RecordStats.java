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
     * {@code bucket}. Whole hours inside a bucket are read from the hourly {@link RecordRollups},
     * the rest of the bucket from the records, so counts, errors, tokens and cost are exact. Latency
     * percentiles of a bucket that used a rollup come from its histogram and are approximate: off by
     * at most half a bucket of the histogram, about 2.5 % ({@link RecordRollups#GROWTH}); they are
     * exact (nearest rank) where only records were read.
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
        // the whole hours of each bucket come from the rollups, the edges from the records
        List<long[]> raw = new ArrayList<>();
        long firstHour = Long.MAX_VALUE;
        long lastHour = Long.MIN_VALUE;
        for (int i = 0; i < buckets; i++) {
            long s = start + i * step;
            long e = i == buckets - 1 ? Math.max(end, s) : s + step;
            long hs = ceilHour(s);
            long he = RecordRollups.hourOf(e);
            if (hs < he) {
                firstHour = Math.min(firstHour, hs);
                lastHour = Math.max(lastHour, he);
                addSpan(raw, s, hs);
                addSpan(raw, he, e);
            } else {
                addSpan(raw, s, e);
            }
        }
        Map<String, long[]> errorLatest = new HashMap<>();
        for (long[] span : raw) {
            jdbc.sql("""
                            SELECT created_at, latency_ms, status, input_tokens, output_tokens, cost, prompt_name,
                                   error_type, error_message
                            FROM records WHERE project_id = :project AND created_at >= :from AND created_at < :to
                            """)
                    .param("project", projectId)
                    .param("from", span[0])
                    .param("to", span[1])
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
                            long[] latest = errorLatest.computeIfAbsent(type, t -> new long[] {Long.MIN_VALUE});
                            if (at >= latest[0]) {
                                latest[0] = at;
                                errorMessages.put(type, rs.getString(9));
                            }
                        }
                    });
        }
        if (firstHour < lastHour) {
            long hoursFrom = firstHour;
            long hoursTo = lastHour;
            jdbc.sql("""
                            SELECT hour, prompt_name, requests, errors, tokens, cost, latency
                            FROM record_rollups WHERE project_id = :project AND hour >= :from AND hour < :to
                            """)
                    .param("project", projectId)
                    .param("from", hoursFrom)
                    .param("to", hoursTo)
                    .query(rs -> {
                        long hour = rs.getLong(1);
                        int index = (int) Math.min(buckets - 1, (hour - start) / step);
                        if (!wholeHourOf(index, hour, start, step, end, buckets)) {
                            return;
                        }
                        Rollup rollup = new Rollup(rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getDouble(6));
                        if (series[index] == null) {
                            series[index] = new Acc();
                        }
                        Acc prompt = prompts.computeIfAbsent(rs.getString(2), p -> new Acc());
                        all.add(rollup, null);
                        series[index].add(rollup, null);
                        prompt.add(rollup, null);
                        RecordRollups.decodeInto(
                                rs.getBytes(7), all.histogram(), series[index].histogram(), prompt.histogram());
                    });
            jdbc.sql("""
                            SELECT hour, error_type, errors, last_at, last_message
                            FROM record_rollup_errors WHERE project_id = :project AND hour >= :from AND hour < :to
                            """)
                    .param("project", projectId)
                    .param("from", hoursFrom)
                    .param("to", hoursTo)
                    .query(rs -> {
                        long hour = rs.getLong(1);
                        int index = (int) Math.min(buckets - 1, (hour - start) / step);
                        if (!wholeHourOf(index, hour, start, step, end, buckets)) {
                            return;
                        }
                        String type = rs.getString(2);
                        errorCounts.computeIfAbsent(type, t -> new long[1])[0] += rs.getLong(3);
                        long[] latest = errorLatest.computeIfAbsent(type, t -> new long[] {Long.MIN_VALUE});
                        if (rs.getLong(4) >= latest[0]) {
                            latest[0] = rs.getLong(4);
                            errorMessages.put(type, rs.getString(5));
                        }
                    });
        }
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

    /** A rollup row's counters. */
    private record Rollup(long requests, long errors, long tokens, double cost) {}

    private static long ceilHour(long millis) {
        long hour = RecordRollups.hourOf(millis);
        return hour == millis ? hour : hour + RecordRollups.HOUR;
    }

    /** Whether the rollup of {@code hour} lies wholly inside bucket {@code index} (else records cover it). */
    private static boolean wholeHourOf(int index, long hour, long start, long step, long end, int buckets) {
        if (hour < start) {
            return false;
        }
        long s = start + index * step;
        long e = index == buckets - 1 ? Math.max(end, s) : s + step;
        return hour >= s && hour + RecordRollups.HOUR <= e;
    }

    /** Adds [from, to) to the spans read from the records, joining it to the last one when they touch. */
    private static void addSpan(List<long[]> spans, long from, long to) {
        if (from >= to) {
            return;
        }
        if (!spans.isEmpty() && spans.getLast()[1] == from) {
            spans.getLast()[1] = to;
        } else {
            spans.add(new long[] {from, to});
        }
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

    /**
     * Every prompt version and model with records in [{@code from}, {@code to}), most records first.
     * Whole hours come from the hourly {@link RecordRollups}, the partial hours at the edges from the
     * records: counts, errors, tokens, cost and feedback means are exact; latency percentiles are
     * approximate (from a histogram of buckets 5 % wide: off by at most about 2.5 %) unless the range
     * holds no whole hour.
     */
    public List<LeaderRow> leaderboard(String projectId, Instant from, Instant to) {
        Map<Key, Acc> rows = new LinkedHashMap<>();
        Map<Key, double[]> costs = new HashMap<>();
        Map<Key, Map<String, double[]>> scores = new HashMap<>();
        long start = from.toEpochMilli();
        long end = to.toEpochMilli();
        long hs = ceilHour(start);
        long he = RecordRollups.hourOf(end);
        List<long[]> raw = new ArrayList<>();
        if (hs < he) {
            addSpan(raw, start, hs);
            addSpan(raw, he, end);
        } else {
            addSpan(raw, start, end);
        }
        for (long[] span : raw) {
            rawLeaderboard(projectId, span[0], span[1], rows, costs, scores);
        }
        if (hs < he) {
            // one pass over the rows of the whole hours (one per key and hour): counters and histograms
            jdbc.sql("""
                            SELECT prompt_name, prompt_version, model, requests, errors, tokens, cost, priced, latency
                            FROM record_rollups WHERE project_id = :project AND hour >= :from AND hour < :to
                            """)
                    .param("project", projectId)
                    .param("from", hs)
                    .param("to", he)
                    .query(rs -> {
                        Key key = Key.ofRollup(rs.getString(1), rs.getInt(2), rs.getString(3));
                        Acc acc = rows.computeIfAbsent(key, k -> new Acc());
                        acc.add(new Rollup(rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getDouble(7)), null);
                        RecordRollups.decodeInto(rs.getBytes(9), acc.histogram());
                        double[] c = costs.computeIfAbsent(key, k -> new double[2]);
                        c[0] += rs.getDouble(7);
                        c[1] += rs.getLong(8);
                    });
            jdbc.sql("""
                            SELECT prompt_name, prompt_version, model, name, source, SUM(scores), SUM(value_sum),
                                   SUM(judged), SUM(passed)
                            FROM record_rollup_feedback WHERE project_id = :project AND hour >= :from AND hour < :to
                            GROUP BY prompt_name, prompt_version, model, name, source
                            """)
                    .param("project", projectId)
                    .param("from", hs)
                    .param("to", he)
                    .query(rs -> {
                        Key key = Key.ofRollup(rs.getString(1), rs.getInt(2), rs.getString(3));
                        double[] acc = scores.computeIfAbsent(key, k -> new LinkedHashMap<>())
                                .computeIfAbsent(rs.getString(4) + "\u0000" + rs.getString(5), m -> new double[4]);
                        acc[0] += rs.getDouble(7);
                        acc[1] += rs.getLong(6);
                        acc[2] += rs.getLong(9);
                        acc[3] += rs.getLong(8);
                    });
        }
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

    /** A leaderboard row's key (prompt null: direct model calls). */
    private record Key(@Nullable String prompt, @Nullable Integer version, String model) {
        static Key ofRollup(String prompt, int version, String model) {
            return new Key(prompt.isEmpty() ? null : prompt, version < 0 ? null : version, model);
        }
    }

    private void rawLeaderboard(
            String projectId,
            long from,
            long to,
            Map<Key, Acc> rows,
            Map<Key, double[]> costs,
            Map<Key, Map<String, double[]>> scores) {
        jdbc.sql("""
                        SELECT prompt_name, prompt_version, model, latency_ms, status, input_tokens, output_tokens, cost
                        FROM records WHERE project_id = :project AND created_at >= :from AND created_at < :to
                        """)
                .param("project", projectId)
                .param("from", from)
                .param("to", to)
                .query(rs -> {
                    int number = rs.getInt(2);
                    Integer version = rs.wasNull() ? null : number;
                    Key key = new Key(rs.getString(1), version, rs.getString(3));
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
        jdbc.sql("""
                        SELECT r.prompt_name, r.prompt_version, r.model, f.name, f.source, f.value, f.passed
                        FROM feedback f JOIN records r ON r.id = f.record_id
                        WHERE r.project_id = :project AND r.created_at >= :from AND r.created_at < :to
                        """)
                .param("project", projectId)
                .param("from", from)
                .param("to", to)
                .query(rs -> {
                    int number = rs.getInt(2);
                    Integer version = rs.wasNull() ? null : number;
                    Key key = new Key(rs.getString(1), version, rs.getString(3));
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
    }

    /**
     * Collects one span's figures. Percentiles are exact (nearest rank) while only records were
     * added; once a rollup is added they come from the latency histogram (about 2.5 % off at most).
     */
    private static final class Acc {
        private double @Nullable [] latencies = new double[16];
        private int exact;
        private final int[] histogram = new int[RecordRollups.BUCKETS];
        private long count;
        private long errors;
        private long tokens;
        private double cost;

        void add(double latency, boolean error, long tokens, double cost) {
            if (latencies != null) {
                if (exact == latencies.length) {
                    latencies = Arrays.copyOf(latencies, exact * 2);
                }
                latencies[exact++] = latency;
            }
            histogram[RecordRollups.bucket(latency)]++;
            count++;
            if (error) {
                errors++;
            }
            this.tokens += tokens;
            this.cost += cost;
        }

        /** Adds a rollup row; its encoded histogram is decoded into {@link #histogram()} by the caller when null. */
        void add(Rollup rollup, int @Nullable [] rows) {
            latencies = null;
            if (rows != null) {
                for (int b = 0; b < rows.length; b++) {
                    histogram[b] += rows[b];
                }
            }
            count += rollup.requests();
            errors += rollup.errors();
            tokens += rollup.tokens();
            cost += rollup.cost();
        }

        int[] histogram() {
            return histogram;
        }

        Totals totals() {
            if (count == 0) {
                return new Totals(0, 0, null, null, 0, 0);
            }
            return new Totals(count, errors, quantile(0.50), quantile(0.95), tokens, cost);
        }

        @Nullable
        Double quantile(double quantile) {
            if (count == 0) {
                return null;
            }
            double[] values = latencies;
            if (values == null) {
                return RecordRollups.quantile(histogram, count, quantile);
            }
            double[] sorted = Arrays.copyOf(values, exact);
            Arrays.sort(sorted);
            int index = (int) Math.ceil(quantile * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }
    }
}
