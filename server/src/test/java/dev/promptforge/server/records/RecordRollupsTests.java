package dev.promptforge.server.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.promptforge.server.shared.Ids;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The rollup-based overview and leaderboard against a direct computation over the raw rows, for
 * random records and feedback, records added later, feedback added later and deletions; on both
 * databases. Counts, errors, tokens, cost and feedback means must be equal; percentiles within the
 * histogram's error bound.
 */
abstract class RecordRollupsTests {

    private static final String PROJECT = "p";
    private static final long HOUR = 3_600_000L;

    private final Random random = new Random(7);
    private final Instant now = Instant.parse("2026-11-20T12:34:56.789Z");
    private DataSource dataSource;
    private JdbcTemplate template;
    private RecordWriter writer;
    private Records records;
    private RecordStats stats;

    /** A migrated, empty database. */
    abstract DataSource database() throws Exception;

    abstract void dropDatabase() throws Exception;

    @BeforeEach
    void setUp() throws Exception {
        dataSource = database();
        template = new JdbcTemplate(dataSource);
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        template.update("INSERT INTO projects (id, name, created_by, created_at) VALUES ('p', 'p', 'test', 0)");
        template.update("INSERT INTO projects (id, name, created_by, created_at) VALUES ('q', 'q', 'test', 0)");
        writer = new RecordWriter(template, transactions, new SimpleMeterRegistry());
        JdbcClient client = JdbcClient.create(dataSource);
        records = new Records(
                writer,
                client,
                template,
                transactions,
                null,
                Clock.fixed(now, ZoneOffset.UTC),
                new StaticListableBeanFactory().getBeanProvider(RecordScorer.class));
        stats = new RecordStats(client);
    }

    @AfterEach
    void tearDown() throws Exception {
        dropDatabase();
    }

    @Test
    void rollup_figures_equal_a_direct_computation_over_the_records() {
        // given random records over three days, some with feedback, and some of another project
        List<String> ids = write(400, now.minus(Duration.ofDays(3)), now);
        write(40, now.minus(Duration.ofDays(3)), now, "q");
        // then
        compare();

        // when more records arrive, feedback is added later and records are deleted
        ids.addAll(write(150, now.minus(Duration.ofDays(2)), now));
        for (int i = 0; i < 60; i++) {
            String id = ids.get(random.nextInt(ids.size()));
            records.addFeedback(
                    id,
                    random.nextBoolean() ? "helpful" : "relevance",
                    random.nextInt(11) / 10.0,
                    random.nextBoolean() ? null : random.nextBoolean(),
                    "later",
                    random.nextBoolean() ? "human" : "judge",
                    null,
                    "tester");
        }
        compare();
        Records.Deleted subject = records.deleteSubject(PROJECT, "subject-1");
        assertThat(subject.records()).isPositive();
        compare();
        Records.Deleted old =
                records.deleteBefore(PROJECT, now.minus(Duration.ofHours(50)).plusMillis(1234));
        assertThat(old.records()).isPositive();

        // then
        compare();
    }

    @Test
    void rollups_are_filled_from_records_stored_before_them() {
        // given records whose rollups are missing (a database migrated from before the rollups)
        write(120, now.minus(Duration.ofDays(1)), now);
        for (String table : List.of("record_rollups", "record_rollup_feedback", "record_rollup_errors")) {
            template.update("DELETE FROM " + table);
        }

        // when
        Integer hours =
                template.execute((org.springframework.jdbc.core.ConnectionCallback<Integer>) RecordRollups::backfill);

        // then
        assertThat(hours).isPositive();
        compare();
    }

    @Test
    void text_search_finds_records_by_their_words() {
        // given records whose answers are "answer <n>" and inputs "hello <n>"
        write(30, now.minus(Duration.ofHours(5)), now);

        // when
        List<RecordView> found = records.list(
                        new Records.Filter(
                                null, null, null, null, null, null, null, null, "hello 17", null, null, null),
                        null,
                        50)
                .items();
        List<RecordView> none = records.list(
                        new Records.Filter(null, null, null, null, null, null, null, null, "goodbye", null, null, null),
                        null,
                        50)
                .items();

        // then
        assertThat(found)
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.input().toString()).contains("hello 17"));
        assertThat(none).isEmpty();
    }

    private void compare() {
        List<Instant[]> ranges = List.of(
                new Instant[] {now.minus(Duration.ofDays(4)), now},
                new Instant[] {now.minus(Duration.ofDays(2)).plusMillis(777), now.minus(Duration.ofHours(3))},
                new Instant[] {Instant.ofEpochMilli(now.toEpochMilli() / HOUR * HOUR - 30 * HOUR), now},
                new Instant[] {now.minus(Duration.ofMinutes(90)), now});
        for (Instant[] range : ranges) {
            for (Duration bucket : List.of(Duration.ofHours(1), Duration.ofHours(12), Duration.ofMinutes(7))) {
                compareOverview(range[0], range[1], bucket);
            }
            compareLeaderboard(range[0], range[1]);
        }
    }

    private record Raw(
            long at,
            @Nullable String prompt,
            @Nullable Integer version,
            String model,
            boolean error,
            double latency,
            long tokens,
            @Nullable Double cost,
            @Nullable String errorType) {}

    private List<Raw> raw(Instant from, Instant to) {
        return template.query(
                "SELECT created_at, prompt_name, prompt_version, model, status, latency_ms, input_tokens,"
                        + " output_tokens, cost, error_type FROM records WHERE project_id = ? AND created_at >= ?"
                        + " AND created_at < ?",
                (rs, i) -> {
                    int version = rs.getInt(3);
                    Integer v = rs.wasNull() ? null : version;
                    double cost = rs.getDouble(9);
                    Double c = rs.wasNull() ? null : cost;
                    return new Raw(
                            rs.getLong(1),
                            rs.getString(2),
                            v,
                            rs.getString(4),
                            "error".equals(rs.getString(5)),
                            rs.getDouble(6),
                            rs.getLong(7) + rs.getLong(8),
                            c,
                            rs.getString(10) == null ? "error" : rs.getString(10));
                },
                PROJECT,
                from.toEpochMilli(),
                to.toEpochMilli());
    }

    private void compareOverview(Instant from, Instant to, Duration bucket) {
        RecordStats.Overview overview = stats.overview(PROJECT, from, to, bucket);
        List<Raw> rows = raw(from, to);
        String where = from + ".." + to + " by " + bucket;
        assertTotals(overview.totals(), rows, where);
        long step = bucket.toMillis();
        int buckets = overview.series().size();
        Map<Integer, List<Raw>> byBucket = new HashMap<>();
        for (Raw r : rows) {
            int index = (int) Math.min(buckets - 1, (r.at() - from.toEpochMilli()) / step);
            byBucket.computeIfAbsent(index, k -> new ArrayList<>()).add(r);
        }
        for (int i = 0; i < buckets; i++) {
            assertTotals(overview.series().get(i).totals(), byBucket.getOrDefault(i, List.of()), where + " #" + i);
        }
        Map<String, long[]> prompts = new TreeMap<>();
        Map<String, Long> errors = new TreeMap<>();
        for (Raw r : rows) {
            long[] p = prompts.computeIfAbsent(r.prompt() == null ? "-" : r.prompt(), k -> new long[2]);
            p[0]++;
            p[1] += r.error() ? 1 : 0;
            if (r.error()) {
                errors.merge(r.errorType(), 1L, Long::sum);
            }
        }
        Map<String, long[]> topPrompts = new TreeMap<>();
        overview.topPrompts()
                .forEach(p ->
                        topPrompts.put(p.prompt() == null ? "-" : p.prompt(), new long[] {p.requests(), p.errors()}));
        assertThat(topPrompts).as(where).hasSameSizeAs(prompts);
        prompts.forEach(
                (k, v) -> assertThat(topPrompts.get(k)).as(where + " " + k).containsExactly(v));
        Map<String, Long> topErrors = new TreeMap<>();
        overview.topErrors().forEach(e -> topErrors.put(e.type(), e.count()));
        assertThat(topErrors).as(where).isEqualTo(errors);
    }

    private static void assertTotals(RecordStats.Totals totals, List<Raw> rows, String where) {
        assertThat(totals.requests()).as(where).isEqualTo(rows.size());
        assertThat(totals.errors())
                .as(where)
                .isEqualTo(rows.stream().filter(Raw::error).count());
        assertThat(totals.tokens())
                .as(where)
                .isEqualTo(rows.stream().mapToLong(Raw::tokens).sum());
        assertThat(totals.cost())
                .as(where)
                .isCloseTo(
                        rows.stream()
                                .mapToDouble(r -> r.cost() == null ? 0 : r.cost())
                                .sum(),
                        within(1e-9));
        assertPercentile(totals.p50(), rows, 0.50, where);
        assertPercentile(totals.p95(), rows, 0.95, where);
    }

    private static void assertPercentile(@Nullable Double actual, List<Raw> rows, double q, String where) {
        if (rows.isEmpty()) {
            assertThat(actual).as(where).isNull();
            return;
        }
        double[] sorted = rows.stream().mapToDouble(Raw::latency).sorted().toArray();
        double exact = sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
        // the histogram's bucket is 5 % wide: its middle is at most 2.5 % off
        assertThat(actual).as(where + " p" + q).isCloseTo(exact, within(exact * 0.026 + 0.1));
    }

    private void compareLeaderboard(Instant from, Instant to) {
        List<RecordStats.LeaderRow> board = stats.leaderboard(PROJECT, from, to);
        record Key(@Nullable String prompt, @Nullable Integer version, String model) {}
        Map<Key, List<Raw>> expected = new HashMap<>();
        for (Raw r : raw(from, to)) {
            expected.computeIfAbsent(new Key(r.prompt(), r.version(), r.model()), k -> new ArrayList<>())
                    .add(r);
        }
        Map<String, Map<String, double[]>> scores = new HashMap<>();
        template.query(
                "SELECT r.prompt_name, r.prompt_version, r.model, f.name, f.source, f.value, f.passed"
                        + " FROM feedback f JOIN records r ON r.id = f.record_id"
                        + " WHERE r.project_id = ? AND r.created_at >= ? AND r.created_at < ?",
                rs -> {
                    int number = rs.getInt(2);
                    Integer version = rs.wasNull() ? null : number;
                    String key = new Key(rs.getString(1), version, rs.getString(3)).toString();
                    double[] a = scores.computeIfAbsent(key, k -> new TreeMap<>())
                            .computeIfAbsent(rs.getString(4) + "/" + rs.getString(5), k -> new double[4]);
                    a[0] += rs.getDouble(6);
                    a[1]++;
                    boolean passed = rs.getBoolean(7);
                    if (!rs.wasNull()) {
                        a[2] += passed ? 1 : 0;
                        a[3]++;
                    }
                },
                PROJECT,
                from.toEpochMilli(),
                to.toEpochMilli());
        String where = "leaderboard " + from + ".." + to;
        assertThat(board).as(where).hasSize(expected.size());
        assertThat(board)
                .as(where)
                .isSortedAccordingTo(
                        Comparator.comparingLong(RecordStats.LeaderRow::records).reversed());
        for (RecordStats.LeaderRow row : board) {
            Key key = new Key(row.prompt(), row.version(), row.model());
            List<Raw> rows = expected.get(key);
            assertThat(rows).as(where + " " + key).isNotNull();
            assertThat(row.records()).as(where).isEqualTo(rows.size());
            assertThat(row.errors())
                    .as(where)
                    .isEqualTo(rows.stream().filter(Raw::error).count());
            double[] priced = rows.stream()
                    .filter(r -> r.cost() != null)
                    .mapToDouble(Raw::cost)
                    .toArray();
            if (priced.length == 0) {
                assertThat(row.costPerCall()).as(where).isNull();
            } else {
                assertThat(row.costPerCall())
                        .as(where)
                        .isCloseTo(Arrays.stream(priced).sum() / priced.length, within(1e-9));
            }
            assertThat(row.tokensPerCall())
                    .as(where)
                    .isCloseTo((double) rows.stream().mapToLong(Raw::tokens).sum() / rows.size(), within(1e-9));
            assertPercentile(row.p50(), rows, 0.50, where);
            assertPercentile(row.p95(), rows, 0.95, where);
            assertPercentile(row.p99(), rows, 0.99, where);
            Map<String, double[]> measures = scores.getOrDefault(key.toString(), Map.of());
            assertThat(row.scores()).as(where + " " + key).hasSize(measures.size());
            for (RecordStats.Score score : row.scores()) {
                double[] a = measures.get(score.name() + "/" + score.source());
                assertThat(a).as(where + " " + score).isNotNull();
                assertThat(score.count()).as(where).isEqualTo((long) a[1]);
                assertThat(score.mean()).as(where).isCloseTo(a[0] / a[1], within(1e-9));
                if (a[3] == 0) {
                    assertThat(score.passRate()).as(where).isNull();
                } else {
                    assertThat(score.passRate()).as(where).isCloseTo(a[2] / a[3], within(1e-9));
                }
            }
        }
    }

    private List<String> write(int count, Instant from, Instant to) {
        return write(count, from, to, PROJECT);
    }

    /** Writes random records (in batches, as the gateway does) with random inline feedback. */
    private List<String> write(int count, Instant from, Instant to, String project) {
        List<String> ids = new ArrayList<>();
        long span = to.toEpochMilli() - from.toEpochMilli();
        for (int i = 0; i < count; i++) {
            Instant at = Instant.ofEpochMilli(from.toEpochMilli() + (long) (random.nextDouble() * span));
            String id = Ids.newId(Clock.fixed(at, ZoneOffset.UTC));
            String prompt = List.of("summarize", "classify", "").get(random.nextInt(3));
            boolean error = random.nextInt(8) == 0;
            ExecutionRecord record = new ExecutionRecord(
                    id,
                    project,
                    prompt.isEmpty() ? null : prompt,
                    prompt.isEmpty() ? null : 1 + random.nextInt(2),
                    "execute",
                    "local",
                    random.nextBoolean() ? "local/echo" : "local/extractive",
                    error ? "error" : "ok",
                    error ? List.of("timeout", "rate_limited").get(random.nextInt(2)) : null,
                    error ? "failed " + i : null,
                    null,
                    "[{\"role\":\"user\",\"content\":\"hello " + i + "\"}]",
                    error ? null : "answer " + i,
                    null,
                    Math.exp(random.nextGaussian() * 1.5 + 5),
                    random.nextInt(5) == 0 ? null : random.nextInt(500),
                    random.nextInt(500),
                    false,
                    random.nextInt(4) == 0 ? null : random.nextInt(1000) / 1e5,
                    1,
                    false,
                    null,
                    null,
                    null,
                    null,
                    at,
                    at.plusMillis(5),
                    null,
                    "subject-" + random.nextInt(20),
                    null);
            List<RecordView.Feedback> feedback = new ArrayList<>();
            int scores = random.nextInt(3);
            for (int s = 0; s < scores; s++) {
                feedback.add(new RecordView.Feedback(
                        Ids.newId(Clock.fixed(at, ZoneOffset.UTC)),
                        s == 0 ? "relevance" : "helpful",
                        random.nextInt(101) / 100.0,
                        random.nextBoolean() ? null : random.nextBoolean(),
                        null,
                        s == 0 ? "auto" : "judge",
                        "1",
                        Records.EVALUATOR,
                        at));
            }
            writer.write(record, feedback);
            ids.add(id);
        }
        return ids;
    }
}
