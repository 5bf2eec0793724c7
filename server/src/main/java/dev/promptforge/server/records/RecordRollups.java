package dev.promptforge.server.records;

import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Hourly rollups of the records (tables {@code record_rollups}, {@code record_rollup_feedback},
 * {@code record_rollup_errors}): per project, hour, prompt, version and model the count, errors,
 * tokens, cost, priced count, a latency histogram, and feedback sums per measure and source. They
 * are kept in the same transaction as the records: {@link Delta} collects what a batch adds and
 * {@link #apply} adds it with one upsert per distinct key; deletions {@link #recompute} the hours
 * they touched. Plain JDBC, so the seeding command of the CLI fills them the same way.
 *
 * <p>Latency percentiles come from the histogram: log-scale buckets {@value #GROWTH}× wide from
 * {@value #SMALLEST_MS} ms, so a percentile is off by at most half a bucket, about 2.5 %.
 */
public final class RecordRollups {

    /** The length of a rollup's span. */
    public static final long HOUR = 3_600_000L;

    /** Each latency bucket is this many times wider than the one before (5 %). */
    public static final double GROWTH = 1.05;

    /** Latencies up to this many milliseconds fall into bucket 0. */
    public static final double SMALLEST_MS = 0.1;

    /** The last bucket, which also holds everything slower (about 6 hours). */
    public static final int BUCKETS = 440;

    private static final double LOG_GROWTH = Math.log(GROWTH);

    private RecordRollups() {}

    /** The start of the hour {@code millis} falls in. */
    public static long hourOf(long millis) {
        return Math.floorDiv(millis, HOUR) * HOUR;
    }

    /** The histogram bucket of a latency. */
    public static int bucket(double latencyMs) {
        if (!(latencyMs > SMALLEST_MS)) {
            return 0;
        }
        int bucket = 1 + (int) Math.floor(Math.log(latencyMs / SMALLEST_MS) / LOG_GROWTH);
        return Math.min(BUCKETS - 1, bucket);
    }

    /** The latency a bucket stands for: the geometric middle of its bounds. */
    public static double value(int bucket) {
        return bucket == 0 ? SMALLEST_MS : SMALLEST_MS * Math.pow(GROWTH, bucket - 0.5);
    }

    /** The nearest-rank quantile of a histogram holding {@code count} latencies, or null when empty. */
    static @Nullable Double quantile(int[] histogram, long count, double quantile) {
        if (count == 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * count));
        long seen = 0;
        for (int b = 0; b < histogram.length; b++) {
            seen += histogram[b];
            if (seen >= rank) {
                return value(b);
            }
        }
        return value(histogram.length - 1);
    }

    /** Sparse encoding: pairs of varints (bucket minus the previous bucket, count). */
    static byte[] encode(int[] histogram) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        int previous = 0;
        for (int b = 0; b < histogram.length; b++) {
            if (histogram[b] != 0) {
                varint(out, b - previous);
                varint(out, histogram[b]);
                previous = b;
            }
        }
        return out.toByteArray();
    }

    /** Adds an encoded histogram into each of {@code into} (sparse: only its non-empty buckets). */
    static void decodeInto(byte @Nullable [] bytes, int[]... into) {
        if (bytes == null) {
            return;
        }
        int i = 0;
        int bucket = 0;
        while (i < bytes.length) {
            int delta = 0;
            int shift = 0;
            byte b;
            do {
                b = bytes[i++];
                delta |= (b & 0x7F) << shift;
                shift += 7;
            } while (b < 0);
            int count = 0;
            shift = 0;
            do {
                b = bytes[i++];
                count |= (b & 0x7F) << shift;
                shift += 7;
            } while (b < 0);
            bucket += delta;
            int at = Math.min(BUCKETS - 1, bucket);
            for (int[] histogram : into) {
                histogram[at] += count;
            }
        }
    }

    private static void varint(ByteArrayOutputStream out, int value) {
        int v = value;
        while ((v & ~0x7F) != 0) {
            out.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    /** A rollup row's key; prompt {@code ""} for direct model calls, version -1 without one. */
    public record Key(String projectId, long hour, String prompt, int version, String model) {

        public static Key of(
                String projectId, long createdAt, @Nullable String prompt, @Nullable Integer version, String model) {
            return new Key(
                    projectId, hourOf(createdAt), prompt == null ? "" : prompt, version == null ? -1 : version, model);
        }
    }

    private record FeedbackKey(Key key, String name, String source) {}

    private record ErrorKey(String projectId, long hour, String type) {}

    private static final class Counts {
        long requests;
        long errors;
        long tokens;
        double cost;
        long priced;
        final int[] latency = new int[BUCKETS];
    }

    private static final class Scores {
        long scores;
        double sum;
        long judged;
        long passed;
    }

    private static final class Errors {
        long count;
        long lastAt = Long.MIN_VALUE;

        @Nullable
        String lastMessage;
    }

    /** What a batch of records and feedback adds to the rollups. */
    public static final class Delta {
        private final Map<Key, Counts> counts = new LinkedHashMap<>();
        private final Map<FeedbackKey, Scores> scores = new LinkedHashMap<>();
        private final Map<ErrorKey, Errors> errors = new LinkedHashMap<>();

        /** Counts one record. */
        public Delta record(
                Key key,
                long createdAt,
                boolean error,
                double latencyMs,
                long tokens,
                @Nullable Double cost,
                @Nullable String errorType,
                @Nullable String errorMessage) {
            Counts c = counts.computeIfAbsent(key, k -> new Counts());
            c.requests++;
            c.tokens += tokens;
            if (cost != null) {
                c.cost += cost;
                c.priced++;
            }
            c.latency[bucket(latencyMs)]++;
            if (error) {
                c.errors++;
                Errors e = errors.computeIfAbsent(
                        new ErrorKey(key.projectId(), key.hour(), errorType == null ? "error" : errorType),
                        k -> new Errors());
                e.count++;
                if (createdAt >= e.lastAt) {
                    e.lastAt = createdAt;
                    e.lastMessage = errorMessage;
                }
            }
            return this;
        }

        /** Counts one record as it is stored. */
        public Delta record(ExecutionRecord r) {
            long tokens = (r.inputTokens() == null ? 0 : r.inputTokens())
                    + (long) (r.outputTokens() == null ? 0 : r.outputTokens());
            long at = r.createdAt().toEpochMilli();
            return record(
                    Key.of(r.projectId(), at, r.promptName(), r.promptVersion(), r.model()),
                    at,
                    ExecutionRecord.ERROR.equals(r.status()),
                    r.latencyMs(),
                    tokens,
                    r.cost(),
                    r.errorType(),
                    r.errorMessage());
        }

        /** Counts one feedback score of a record with rollup key {@code key}. */
        public Delta feedback(Key key, String name, String source, double value, @Nullable Boolean passed) {
            Scores s = scores.computeIfAbsent(new FeedbackKey(key, name, source), k -> new Scores());
            s.scores++;
            s.sum += value;
            if (passed != null) {
                s.judged++;
                if (passed) {
                    s.passed++;
                }
            }
            return this;
        }

        public boolean isEmpty() {
            return counts.isEmpty() && scores.isEmpty() && errors.isEmpty();
        }
    }

    private static boolean postgres(Connection c) throws SQLException {
        return c.getMetaData()
                .getDatabaseProductName()
                .toLowerCase(java.util.Locale.ROOT)
                .contains("postgres");
    }

    /** Adds {@code delta} to the rollups, in the connection's current transaction. */
    public static void apply(Connection c, Delta delta) throws SQLException {
        if (!delta.counts.isEmpty()) {
            applyCounts(c, delta.counts);
        }
        if (!delta.scores.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO record_rollup_feedback (project_id, hour, prompt_name, prompt_version, model, name,
                                                        source, scores, value_sum, judged, passed)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (project_id, hour, prompt_name, prompt_version, model, name, source) DO UPDATE SET
                        scores = record_rollup_feedback.scores + excluded.scores,
                        value_sum = record_rollup_feedback.value_sum + excluded.value_sum,
                        judged = record_rollup_feedback.judged + excluded.judged,
                        passed = record_rollup_feedback.passed + excluded.passed
                    """)) {
                for (Map.Entry<FeedbackKey, Scores> e : delta.scores.entrySet()) {
                    int i = bindKey(ps, e.getKey().key());
                    ps.setString(i++, e.getKey().name());
                    ps.setString(i++, e.getKey().source());
                    ps.setLong(i++, e.getValue().scores);
                    ps.setDouble(i++, e.getValue().sum);
                    ps.setLong(i++, e.getValue().judged);
                    ps.setLong(i, e.getValue().passed);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (!delta.errors.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO record_rollup_errors (project_id, hour, error_type, errors, last_at, last_message)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (project_id, hour, error_type) DO UPDATE SET
                        errors = record_rollup_errors.errors + excluded.errors,
                        last_message = CASE WHEN excluded.last_at >= record_rollup_errors.last_at
                            THEN excluded.last_message ELSE record_rollup_errors.last_message END,
                        last_at = CASE WHEN excluded.last_at >= record_rollup_errors.last_at
                            THEN excluded.last_at ELSE record_rollup_errors.last_at END
                    """)) {
                for (Map.Entry<ErrorKey, Errors> e : delta.errors.entrySet()) {
                    ps.setString(1, e.getKey().projectId());
                    ps.setLong(2, e.getKey().hour());
                    ps.setString(3, e.getKey().type());
                    ps.setLong(4, e.getValue().count);
                    ps.setLong(5, e.getValue().lastAt);
                    ps.setString(6, e.getValue().lastMessage);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    /**
     * Counters are added in SQL; the histogram is read (locked on PostgreSQL), merged and written
     * back. SQLite transactions of the server are IMMEDIATE, so no other writer runs in between.
     */
    private static void applyCounts(Connection c, Map<Key, Counts> counts) throws SQLException {
        boolean postgres = postgres(c);
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO record_rollups (project_id, hour, prompt_name, prompt_version, model, requests, errors,
                                            tokens, cost, priced, latency)
                VALUES (?, ?, ?, ?, ?, 0, 0, 0, 0, 0, ?)
                ON CONFLICT (project_id, hour, prompt_name, prompt_version, model) DO NOTHING
                """)) {
            for (Key key : counts.keySet()) {
                int i = bindKey(ps, key);
                ps.setBytes(i, new byte[0]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        List<byte[]> merged = new ArrayList<>(counts.size());
        try (PreparedStatement ps = c.prepareStatement("SELECT latency FROM record_rollups WHERE project_id = ?"
                + " AND hour = ? AND prompt_name = ? AND prompt_version = ? AND model = ?"
                + (postgres ? " FOR UPDATE" : ""))) {
            for (Map.Entry<Key, Counts> e : counts.entrySet()) {
                bindKey(ps, e.getKey());
                int[] histogram = e.getValue().latency.clone();
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        decodeInto(rs.getBytes(1), histogram);
                    }
                }
                merged.add(encode(histogram));
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE record_rollups SET requests = requests + ?, errors = errors + ?, tokens = tokens + ?,
                                          cost = cost + ?, priced = priced + ?, latency = ?
                WHERE project_id = ? AND hour = ? AND prompt_name = ? AND prompt_version = ? AND model = ?
                """)) {
            int n = 0;
            for (Map.Entry<Key, Counts> e : counts.entrySet()) {
                Counts v = e.getValue();
                ps.setLong(1, v.requests);
                ps.setLong(2, v.errors);
                ps.setLong(3, v.tokens);
                ps.setDouble(4, v.cost);
                ps.setLong(5, v.priced);
                ps.setBytes(6, merged.get(n++));
                Key key = e.getKey();
                ps.setString(7, key.projectId());
                ps.setLong(8, key.hour());
                ps.setString(9, key.prompt());
                ps.setInt(10, key.version());
                ps.setString(11, key.model());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static int bindKey(PreparedStatement ps, Key key) throws SQLException {
        ps.setString(1, key.projectId());
        ps.setLong(2, key.hour());
        ps.setString(3, key.prompt());
        ps.setInt(4, key.version());
        ps.setString(5, key.model());
        return 6;
    }

    /** The starts of the hours of a project that have records matching {@code where} (on {@code records}). */
    static List<Long> hoursOf(Connection c, String projectId, String where, Object parameter) throws SQLException {
        List<Long> hours = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT created_at - (created_at % " + HOUR
                + ") FROM records WHERE project_id = ? AND " + where)) {
            ps.setString(1, projectId);
            ps.setObject(2, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    hours.add(rs.getLong(1));
                }
            }
        }
        return hours;
    }

    /** Rebuilds the rollups of one project's hour from its records (after a deletion). */
    public static void recompute(Connection c, String projectId, long hour) throws SQLException {
        for (String table : List.of("record_rollups", "record_rollup_feedback", "record_rollup_errors")) {
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM " + table + " WHERE project_id = ? AND hour = ?")) {
                ps.setString(1, projectId);
                ps.setLong(2, hour);
                ps.executeUpdate();
            }
        }
        Delta delta = new Delta();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT created_at, prompt_name, prompt_version, model, status, latency_ms, input_tokens,
                       output_tokens, cost, error_type, error_message
                FROM records WHERE project_id = ? AND created_at >= ? AND created_at < ?
                """)) {
            ps.setString(1, projectId);
            ps.setLong(2, hour);
            ps.setLong(3, hour + HOUR);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long at = rs.getLong(1);
                    int number = rs.getInt(3);
                    Integer version = rs.wasNull() ? null : number;
                    Key key = Key.of(projectId, at, rs.getString(2), version, rs.getString(4));
                    double cost = rs.getDouble(9);
                    Double priced = rs.wasNull() ? null : cost;
                    delta.record(
                            key,
                            at,
                            ExecutionRecord.ERROR.equals(rs.getString(5)),
                            rs.getDouble(6),
                            rs.getLong(7) + rs.getLong(8),
                            priced,
                            rs.getString(10),
                            rs.getString(11));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT r.created_at, r.prompt_name, r.prompt_version, r.model, f.name, f.source, f.value, f.passed
                FROM feedback f JOIN records r ON r.id = f.record_id
                WHERE r.project_id = ? AND r.created_at >= ? AND r.created_at < ?
                """)) {
            ps.setString(1, projectId);
            ps.setLong(2, hour);
            ps.setLong(3, hour + HOUR);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int number = rs.getInt(3);
                    Integer version = rs.wasNull() ? null : number;
                    Key key = Key.of(projectId, rs.getLong(1), rs.getString(2), version, rs.getString(4));
                    double value = rs.getDouble(7);
                    boolean passed = rs.getBoolean(8);
                    Boolean judged = rs.wasNull() ? null : passed;
                    delta.feedback(key, rs.getString(5), rs.getString(6), value, judged);
                }
            }
        }
        apply(c, delta);
    }

    /**
     * Fills the rollups from the records when there are records but no rollups yet (a database
     * migrated from before the rollups). Returns the number of hours rebuilt.
     */
    public static int backfill(Connection c) throws SQLException {
        List<String[]> hours = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM record_rollups LIMIT 1) x),"
                        + " (SELECT COUNT(*) FROM (SELECT 1 FROM records LIMIT 1) y)")) {
            rs.next();
            if (rs.getLong(1) > 0 || rs.getLong(2) == 0) {
                return 0;
            }
        }
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT DISTINCT project_id, created_at - (created_at % " + HOUR + ") FROM records")) {
            while (rs.next()) {
                hours.add(new String[] {rs.getString(1), Long.toString(rs.getLong(2))});
            }
        }
        for (String[] hour : hours) {
            recompute(c, hour[0], Long.parseLong(hour[1]));
        }
        return hours.size();
    }
}
