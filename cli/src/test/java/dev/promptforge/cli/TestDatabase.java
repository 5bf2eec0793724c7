package dev.promptforge.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/**
 * A database migrated with the server's migrations, as a plain command finds it: the SQLite file in
 * a data directory, or a PostgreSQL schema of its own named by {@code PROMPTFORGE_DB_URL} (dropped
 * on close). PostgreSQL is {@code PROMPTFORGE_TEST_PG_URL} (default 127.0.0.1:5432/test, user
 * postgres); without it the PostgreSQL cases are skipped, except under CI where they fail.
 */
final class TestDatabase implements AutoCloseable {

    final String kind;
    final Path dataDir;
    final Map<String, String> env = new HashMap<>();
    private final String url;
    private final String user;
    private final String password;
    private final String schema;

    private TestDatabase(String kind, Path dataDir, String url, String user, String password, String schema) {
        this.kind = kind;
        this.dataDir = dataDir;
        this.url = url;
        this.user = user;
        this.password = password;
        this.schema = schema;
    }

    static TestDatabase create(String kind, Path dataDir) {
        if (kind.equals("sqlite")) {
            TestDatabase db = new TestDatabase(
                    kind, dataDir, "jdbc:sqlite:" + dataDir.resolve("promptforge.db"), null, null, null);
            Flyway.configure()
                    .dataSource(db.url, null, null)
                    .locations("classpath:db/migration/sqlite")
                    .load()
                    .migrate();
            db.env.put("PROMPTFORGE_DATA_DIR", dataDir.toString());
            return db;
        }
        String base = System.getenv().getOrDefault("PROMPTFORGE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = System.getenv().getOrDefault("PROMPTFORGE_TEST_PG_USER", "postgres");
        String password = System.getenv().getOrDefault("PROMPTFORGE_TEST_PG_PASSWORD", "");
        boolean available;
        try (Connection c = DriverManager.getConnection(base, user, password)) {
            available = c.isValid(2);
        } catch (SQLException e) {
            available = false;
        }
        if (!"true".equalsIgnoreCase(System.getenv("CI"))) {
            assumeTrue(available, "no PostgreSQL at " + base);
        }
        String schema =
                "pf_cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        TestDatabase db = new TestDatabase(kind, dataDir, url, user, password, schema);
        Flyway.configure()
                .dataSource(url, user, password)
                .schemas(schema)
                .createSchemas(true)
                .locations("classpath:db/migration/postgresql")
                .load()
                .migrate();
        db.env.put("PROMPTFORGE_DATA_DIR", dataDir.toString());
        db.env.put("PROMPTFORGE_DB_URL", url);
        db.env.put("PROMPTFORGE_DB_USER", user);
        db.env.put("PROMPTFORGE_DB_PASSWORD", password);
        return db;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    void execute(String sql) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(url, user, password);
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }
}
