package dev.promptforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.audit.AuditChain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code promptforge audit verify} on both databases, against rows changed directly in the database. */
class AuditCommandTest {

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

    /** A database with a chain of five entries. */
    private TestDatabase database(String kind) throws Exception {
        TestDatabase db = TestDatabase.create(kind, dir);
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            for (int i = 1; i <= 5; i++) {
                AuditChain.append(
                        c,
                        new AuditChain.NewEntry(
                                UUID.randomUUID().toString(),
                                1_700_000_000_000L + i,
                                "admin",
                                "project.create",
                                "project/p" + i,
                                "127.0.0.1",
                                "req-" + i,
                                null,
                                AuditChain.stateHash(Map.of("name", "p" + i))));
            }
            c.commit();
        }
        return db;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void reports_an_intact_log(String kind) throws Exception {
        try (TestDatabase db = database(kind)) {
            assertThat(run(db.env, "audit", "verify")).as(err.toString()).isZero();
            assertThat(out.toString()).startsWith("audit log intact: 5 entries, last hash ");
            assertThat(err.toString()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void reports_an_edited_entry(String kind) throws Exception {
        try (TestDatabase db = database(kind)) {
            db.execute("UPDATE audit_log SET target = 'project/other' WHERE seq = 3");
            assertThat(run(db.env, "audit", "verify")).isEqualTo(AuditCommand.BROKEN);
            assertThat(out.toString())
                    .startsWith("audit log BROKEN at entry 3 ")
                    .contains("it was edited");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void reports_a_deleted_entry(String kind) throws Exception {
        try (TestDatabase db = database(kind)) {
            db.execute("DELETE FROM audit_log WHERE seq = 2");
            assertThat(run(db.env, "audit", "verify")).isEqualTo(AuditCommand.BROKEN);
            assertThat(out.toString()).startsWith("audit log BROKEN at entry 2: entry 2 is missing");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void reports_an_inserted_entry(String kind) throws Exception {
        try (TestDatabase db = database(kind)) {
            db.execute("UPDATE audit_log SET seq = seq + 100 WHERE seq >= 4");
            db.execute("UPDATE audit_log SET seq = seq - 99 WHERE seq >= 100");
            db.execute("INSERT INTO audit_log (seq, id, occurred_at, actor, action, target, prev_hash, entry_hash)"
                    + " SELECT 4, 'forged', occurred_at, actor, 'prompt.delete', target, prev_hash, entry_hash"
                    + " FROM audit_log WHERE seq = 5");
            assertThat(run(db.env, "audit", "verify")).isEqualTo(AuditCommand.BROKEN);
            assertThat(out.toString()).startsWith("audit log BROKEN at entry 4 (id forged)");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void reports_reordered_entries(String kind) throws Exception {
        try (TestDatabase db = database(kind)) {
            db.execute("UPDATE audit_log SET seq = -1 WHERE seq = 2");
            db.execute("UPDATE audit_log SET seq = 2 WHERE seq = 3");
            db.execute("UPDATE audit_log SET seq = 3 WHERE seq = -1");
            assertThat(run(db.env, "audit", "verify")).isEqualTo(AuditCommand.BROKEN);
            assertThat(out.toString()).startsWith("audit log BROKEN at entry 2 ");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void reports_a_deleted_last_entry_as_json(String kind) throws Exception {
        try (TestDatabase db = database(kind)) {
            db.execute("DELETE FROM audit_log WHERE seq = 5");
            assertThat(run(db.env, "audit", "verify", "--json")).isEqualTo(AuditCommand.BROKEN);
            JsonNode result = JsonMapper.builder().build().readTree(out.toString());
            assertThat(result.get("valid").asBoolean()).isFalse();
            assertThat(result.get("entries").asLong()).isEqualTo(4);
            assertThat(result.get("firstBroken").get("seq").asLong()).isEqualTo(5);
            assertThat(result.get("firstBroken").get("reason").asString()).contains("entries at the end were deleted");
        }
    }

    @Test
    void says_in_one_line_when_there_is_no_database() {
        assertThat(run(
                        Map.of(),
                        "audit",
                        "verify",
                        "--data-dir",
                        dir.resolve("nothing").toString()))
                .isEqualTo(1);
        assertThat(err.toString().strip().lines()).hasSize(1);
        assertThat(err.toString()).startsWith("promptforge: there is no database at ");
        assertThat(dir.resolve("nothing")).doesNotExist();
    }

    @Test
    void says_in_one_line_when_the_url_is_not_a_database_url() {
        assertThat(run(Map.of("PROMPTFORGE_DB_URL", "mysql://db/pf?password=secret"), "audit", "verify"))
                .isEqualTo(1);
        assertThat(err.toString().strip())
                .isEqualTo("promptforge: PROMPTFORGE_DB_URL must be a jdbc:postgresql: or jdbc:sqlite: URL, got"
                        + " mysql://db/pf?…");
    }

    @Test
    void says_in_one_line_when_the_database_predates_the_audit_log() throws Exception {
        java.nio.file.Files.createDirectories(dir);
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("promptforge.db"))) {
            c.createStatement().execute("CREATE TABLE projects (id TEXT)");
        }
        assertThat(run(Map.of("PROMPTFORGE_DATA_DIR", dir.toString()), "audit", "verify"))
                .isEqualTo(1);
        assertThat(err.toString().strip().lines()).hasSize(1);
        assertThat(err.toString()).contains("the database has no audit log yet").contains("promptforge serve");
    }
}
