package dev.promptforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code promptforge seed-records} on both databases: records, feedback and rollups that agree. */
class SeedRecordsCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void restoreEnvironment() {
        DatabaseOptions.environment = System::getenv;
    }

    private int run(Map<String, String> env, String... args) {
        DatabaseOptions.environment = env::get;
        CommandLine cli = PromptForgeCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void creates_and_migrates_an_empty_data_directory() throws Exception {
        // given a data directory without a database
        Path data = dir.resolve("fresh");

        // when
        int code = run(Map.of("PROMPTFORGE_DATA_DIR", data.toString()), "seed-records", "--count", "1200");

        // then
        assertThat(code).as(err.toString()).isZero();
        assertThat(Files.isRegularFile(data.resolve("promptforge.db"))).isTrue();
        assertThat(out.toString()).startsWith("seeded 1200 records into project 'demo' over the last 30 days");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("promptforge.db"))) {
            assertConsistent(c, 1200);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void seeds_records_feedback_and_rollups_that_agree(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, dir)) {
            // when seeded twice into the same project
            assertThat(run(db.env, "seed-records", "--count", "3000", "--project", "scale", "--days", "7"))
                    .as(err.toString())
                    .isZero();
            assertThat(run(db.env, "seed-records", "--count", "500", "--project", "scale", "--seed", "9"))
                    .as(err.toString())
                    .isZero();

            // then
            try (Connection c = db.connect()) {
                assertConsistent(c, 3500);
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT MIN(created_at), MAX(created_at) FROM records")) {
                    rs.next();
                    long now = System.currentTimeMillis();
                    assertThat(rs.getLong(1)).isGreaterThanOrEqualTo(now - 30L * 86_400_000 - 60_000);
                    assertThat(rs.getLong(2)).isLessThanOrEqualTo(now);
                }
            }
        }
    }

    @Test
    void refuses_a_count_below_one() {
        assertThat(run(Map.of("PROMPTFORGE_DATA_DIR", dir.toString()), "seed-records", "--count", "0"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--count must be at least 1");
    }

    /** Every record counted once in the rollups, its feedback too; ids are UUIDv7 of created_at. */
    private static void assertConsistent(Connection c, long count) throws Exception {
        try (Statement s = c.createStatement()) {
            assertThat(one(s, "SELECT COUNT(*) FROM records")).isEqualTo(count);
            assertThat(one(s, "SELECT SUM(requests) FROM record_rollups")).isEqualTo(count);
            assertThat(one(s, "SELECT SUM(errors) FROM record_rollups"))
                    .isEqualTo(one(s, "SELECT COUNT(*) FROM records WHERE status = 'error'"))
                    .isPositive();
            assertThat(one(s, "SELECT SUM(tokens) FROM record_rollups"))
                    .isEqualTo(one(
                            s, "SELECT SUM(COALESCE(input_tokens, 0) + COALESCE(output_tokens, 0))" + " FROM records"));
            assertThat(one(s, "SELECT SUM(priced) FROM record_rollups"))
                    .isEqualTo(one(s, "SELECT COUNT(cost) FROM records"));
            assertThat(one(s, "SELECT SUM(errors) FROM record_rollup_errors"))
                    .isEqualTo(one(s, "SELECT COUNT(*) FROM records WHERE status = 'error'"));
            assertThat(one(s, "SELECT SUM(scores) FROM record_rollup_feedback"))
                    .isEqualTo(one(s, "SELECT COUNT(*) FROM feedback"))
                    .isGreaterThan(count / 2);
            assertThat(one(s, "SELECT COUNT(DISTINCT source) FROM feedback")).isEqualTo(3);
            assertThat(one(s, "SELECT COUNT(DISTINCT prompt_name) FROM records"))
                    .isGreaterThanOrEqualTo(4);
            assertThat(one(s, "SELECT COUNT(DISTINCT model) FROM records")).isEqualTo(3);
            try (ResultSet rs = s.executeQuery("SELECT id, created_at, input FROM records LIMIT 50")) {
                while (rs.next()) {
                    UUID id = UUID.fromString(rs.getString(1));
                    assertThat(id.version()).isEqualTo(7);
                    assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(rs.getLong(2));
                    assertThat(rs.getString(3)).contains("<PERSON_").contains("<EMAIL_ADDRESS_1>");
                }
            }
        }
    }

    private static long one(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
