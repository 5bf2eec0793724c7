package dev.promptforge.cli;

import dev.promptforge.server.records.RecordRollups;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code promptforge seed-records}: fills a project with realistic generated records (prompts ×
 * versions × models, ok and failed calls, latencies, tokens, costs, inputs with PII placeholders,
 * feedback from evaluators, judges and people) over the last days, with their hourly rollups, for
 * trying the dashboard at scale and for its benchmark. Writes the database directly, in batches.
 */
@Command(
        name = "seed-records",
        mixinStandardHelpOptions = true,
        description = {
            "Generate realistic records (and their rollups and feedback) over the last days, to try the"
                    + " dashboard at scale.",
            "Writes the database of 'serve' directly (the data directory's promptforge.db, or"
                    + " PROMPTFORGE_DB_URL), creating and migrating it when needed."
        })
final class SeedRecordsCommand implements Callable<Integer> {

    /** Records per transaction. */
    static final int BATCH = 5_000;

    private static final String[][] PROMPTS = {
        {"support-reply", "3"}, {"summarize-ticket", "2"}, {"classify-intent", "4"}, {"draft-email", "2"}, {"", "0"}
    };
    private static final String[] MODELS = {"openai/gpt-4o-mini", "anthropic/claude-3-5-haiku", "local/extractive"};
    private static final double[] MODEL_LATENCY = {650, 900, 40};
    private static final double[][] MODEL_PRICE = {{0.15e-6, 0.6e-6}, {0.8e-6, 4e-6}, {0, 0}};
    private static final String[] ERRORS = {"timeout", "rate_limited", "provider_error", "invalid_request"};
    private static final String[] TOPICS = {
        "my invoice is wrong",
        "cannot log in after the update",
        "refund for order",
        "shipping address change",
        "the app crashes on start",
        "cancel my subscription",
        "password reset mail never arrives",
        "question about the pricing plan"
    };

    @Mixin
    DatabaseOptions database;

    @Option(
            names = "--count",
            defaultValue = "100000",
            paramLabel = "N",
            description = "How many records (default: ${DEFAULT-VALUE})")
    int count;

    @Option(
            names = "--project",
            defaultValue = "demo",
            paramLabel = "NAME",
            description = "The project, created when missing (default: ${DEFAULT-VALUE})")
    String project;

    @Option(
            names = "--days",
            defaultValue = "30",
            paramLabel = "DAYS",
            description = "Spread the records over the last DAYS days (default: ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Random seed")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The clock; tests replace it. */
    static Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        DatabaseOptions.quietLogging();
        if (count < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count must be at least 1");
        }
        if (days < 1 || days > 3650) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--days must be from 1 to 3650");
        }
        PrintWriter out = spec.commandLine().getOut();
        long started = System.nanoTime();
        try (Connection c = database.migrateAndConnect("reWriteBatchedInserts=true")) {
            c.setAutoCommit(false);
            RecordRollups.backfill(c);
            c.commit();
            String projectId = project(c);
            c.commit();
            seed(c, projectId, out);
        } catch (SQLException e) {
            throw new IllegalStateException(DatabaseOptions.explain(e, "records"), e);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf(
                Locale.ROOT,
                "seeded %d records into project '%s' over the last %d days in %.1f s (%.0f records/s) (%s)%n",
                count,
                project,
                days,
                seconds,
                count / seconds,
                database.describe());
        out.flush();
        return 0;
    }

    private String project(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM projects WHERE name = ?")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return rs.getString(1);
                }
            }
        }
        String id = dev.promptforge.server.shared.Ids.newId(clock);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO projects (id, name, description, created_by, created_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, project);
            ps.setString(3, "Generated records (promptforge seed-records)");
            ps.setString(4, "seed-records");
            ps.setLong(5, clock.millis());
            ps.executeUpdate();
        }
        return id;
    }

    private void seed(Connection c, String projectId, PrintWriter out) throws SQLException {
        SplittableRandom random = new SplittableRandom(seed);
        long end = clock.millis();
        long start = end - Duration.ofDays(days).toMillis();
        double step = (double) (end - start) / count;
        boolean tty = System.console() != null;
        long began = System.nanoTime();
        try (PreparedStatement records = c.prepareStatement("""
                        INSERT INTO records (id, project_id, prompt_name, prompt_version, endpoint, provider, model,
                                             status, error_type, error_message, http_status, input, output,
                                             finish_reason, latency_ms, input_tokens, output_tokens,
                                             tokens_estimated, cost, attempts, streamed, correlation_id, trace_id,
                                             pii_counts, created_at, finished_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """);
                PreparedStatement feedback = c.prepareStatement("""
                        INSERT INTO feedback (id, record_id, name, value, passed, reason, source, evaluator_version,
                                              created_by, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)) {
            RecordRollups.Delta delta = new RecordRollups.Delta();
            int inBatch = 0;
            for (int n = 0; n < count; n++) {
                long at = Math.min(end - 1, start + (long) (n * step + random.nextDouble() * step));
                String id = uuid7(at, random);
                String[] prompt = PROMPTS[random.nextInt(PROMPTS.length)];
                String promptName = prompt[0].isEmpty() ? null : prompt[0];
                Integer version = promptName == null ? null : 1 + random.nextInt(Integer.parseInt(prompt[1]));
                int m = random.nextInt(MODELS.length);
                boolean error = random.nextInt(100) < (m == 2 ? 1 : 4);
                String errorType = error ? ERRORS[random.nextInt(ERRORS.length)] : null;
                double latency = Math.round(MODEL_LATENCY[m]
                                * Math.exp(random.nextDouble() * 1.2 - 0.5 + random.nextDouble() * 0.4)
                                * 10)
                        / 10.0;
                if (error && "timeout".equals(errorType)) {
                    latency = 30_000 + random.nextInt(1000);
                }
                int inputTokens = 40 + random.nextInt(600);
                Integer outputTokens = error ? null : 20 + random.nextInt(400);
                Double cost = m == 2
                        ? null
                        : inputTokens * MODEL_PRICE[m][0]
                                + (outputTokens == null ? 0 : outputTokens) * MODEL_PRICE[m][1];
                String topic = TOPICS[random.nextInt(TOPICS.length)];
                int person = 1 + random.nextInt(5);
                String input = "[{\"role\":\"system\",\"content\":\"You are a helpful support agent.\"},"
                        + "{\"role\":\"user\",\"content\":\"Hi, I am <PERSON_" + person + ">, " + topic
                        + ". Reach me at <EMAIL_ADDRESS_1> or <PHONE_NUMBER_1>. Ticket " + (n % 9973) + ".\"}]";
                String output = error
                        ? null
                        : "Hello <PERSON_" + person + ">, thanks for writing about \"" + topic
                                + "\". We have looked into ticket " + (n % 9973) + " and "
                                + (random.nextBoolean() ? "fixed it." : "need one more detail from you.");
                int i = 1;
                records.setString(i++, id);
                records.setString(i++, projectId);
                records.setString(i++, promptName);
                if (version == null) {
                    records.setNull(i++, Types.INTEGER);
                } else {
                    records.setInt(i++, version);
                }
                records.setString(i++, promptName == null ? "chat" : "execute");
                records.setString(i++, MODELS[m].substring(0, MODELS[m].indexOf('/')));
                records.setString(i++, MODELS[m]);
                records.setString(i++, error ? "error" : "ok");
                records.setString(i++, errorType);
                records.setString(i++, error ? "The provider answered: " + errorType.replace('_', ' ') : null);
                if (error) {
                    records.setInt(i++, "rate_limited".equals(errorType) ? 429 : 502);
                } else {
                    records.setNull(i++, Types.INTEGER);
                }
                records.setString(i++, input);
                records.setString(i++, output);
                records.setString(i++, error ? null : "stop");
                records.setDouble(i++, latency);
                records.setInt(i++, inputTokens);
                if (outputTokens == null) {
                    records.setNull(i++, Types.INTEGER);
                } else {
                    records.setInt(i++, outputTokens);
                }
                records.setBoolean(i++, m == 2);
                if (cost == null) {
                    records.setNull(i++, Types.DOUBLE);
                } else {
                    records.setDouble(i++, cost);
                }
                records.setInt(i++, 1);
                records.setBoolean(i++, false);
                records.setString(i++, "corr-" + id.substring(24));
                records.setString(i++, null);
                records.setString(i++, "{\"PERSON\":1,\"EMAIL_ADDRESS\":1,\"PHONE_NUMBER\":1}");
                records.setLong(i++, at);
                records.setLong(i, at + (long) latency);
                records.addBatch();
                RecordRollups.Key key = RecordRollups.Key.of(projectId, at, promptName, version, MODELS[m]);
                delta.record(
                        key,
                        at,
                        error,
                        latency,
                        inputTokens + (outputTokens == null ? 0 : outputTokens),
                        cost,
                        errorType,
                        error ? "The provider answered: " + errorType.replace('_', ' ') : null);
                if (!error) {
                    double quality = Math.min(
                            1,
                            Math.max(
                                    0,
                                    0.55
                                            + 0.1 * (version == null ? 0 : version)
                                            + (m == 2 ? -0.15 : 0)
                                            + random.nextDouble() * 0.3
                                            - 0.15));
                    double rounded = Math.round(quality * 100) / 100.0;
                    addFeedback(feedback, delta, key, id, at, "relevance", rounded, null, "auto", random);
                    if (random.nextInt(5) == 0) {
                        double judged = Math.round(Math.min(1, quality + random.nextDouble() * 0.1) * 100) / 100.0;
                        addFeedback(
                                feedback, delta, key, id, at, "helpfulness", judged, judged >= 0.7, "judge", random);
                    }
                    if (random.nextInt(100) == 0) {
                        boolean up = random.nextDouble() < quality;
                        addFeedback(feedback, delta, key, id, at, "thumbs", up ? 1 : 0, up, "human", random);
                    }
                }
                if (++inBatch == BATCH || n == count - 1) {
                    records.executeBatch();
                    feedback.executeBatch();
                    RecordRollups.apply(c, delta);
                    c.commit();
                    delta = new RecordRollups.Delta();
                    inBatch = 0;
                    if (tty) {
                        progress(n + 1, began);
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
        if (tty) {
            System.err.println();
        }
    }

    private static void addFeedback(
            PreparedStatement ps,
            RecordRollups.Delta delta,
            RecordRollups.Key key,
            String recordId,
            long at,
            String name,
            double value,
            Boolean passed,
            String source,
            SplittableRandom random)
            throws SQLException {
        ps.setString(1, uuid7(at + 1000, random));
        ps.setString(2, recordId);
        ps.setString(3, name);
        ps.setDouble(4, value);
        if (passed == null) {
            ps.setNull(5, Types.BOOLEAN);
        } else {
            ps.setBoolean(5, passed);
        }
        ps.setString(6, source.equals("human") ? "reviewed in the dashboard" : null);
        ps.setString(7, source);
        ps.setString(8, source.equals("human") ? null : "1");
        ps.setString(9, source.equals("human") ? "reviewer" : "evaluator");
        ps.setLong(10, at + 1000);
        ps.addBatch();
        delta.feedback(key, name, source, value, passed);
    }

    /** A UUID version 7 of the time {@code millis}, as the server's ids are. */
    static String uuid7(long millis, SplittableRandom random) {
        long msb = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    private void progress(int done, long began) {
        int width = 30;
        int filled = (int) ((long) done * width / count);
        double rate = done / Math.max(1e-9, (System.nanoTime() - began) / 1e9);
        System.err.print(String.format(
                Locale.ROOT,
                "\r[%s%s] %3d%% %,d/%,d  %,.0f records/s",
                "#".repeat(filled),
                " ".repeat(width - filled),
                (int) ((long) done * 100 / count),
                done,
                count,
                rate));
        System.err.flush();
    }
}
