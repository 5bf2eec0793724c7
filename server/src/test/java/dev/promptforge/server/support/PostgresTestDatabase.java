package dev.promptforge.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Points a test context at the real PostgreSQL server, in a schema of its own that is dropped when
 * the context closes, and at a temporary data directory (keys), so concurrent runs cannot collide. The server is {@code
 * PROMPTFORGE_TEST_PG_URL} (default {@value #DEFAULT_URL}) as user {@code PROMPTFORGE_TEST_PG_USER}
 * (default postgres).
 */
public final class PostgresTestDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test";

    public static String url() {
        String url = System.getenv("PROMPTFORGE_TEST_PG_URL");
        return url == null || url.isBlank() ? DEFAULT_URL : url;
    }

    public static String user() {
        String user = System.getenv("PROMPTFORGE_TEST_PG_USER");
        return user == null || user.isBlank() ? "postgres" : user;
    }

    public static String password() {
        String password = System.getenv("PROMPTFORGE_TEST_PG_PASSWORD");
        return password == null ? "" : password;
    }

    /** Whether the server answers; used to skip outside CI when no PostgreSQL is running. */
    public static boolean available() {
        try (Connection c = DriverManager.getConnection(url(), user(), password())) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        String schema =
                "pf_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = url() + (url().contains("?") ? "&" : "?") + "currentSchema=" + schema;
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("promptforge-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestPropertyValues.of(
                        "promptforge.data-dir=" + dataDir,
                        "promptforge.db.url=" + url,
                        "promptforge.db.user=" + user(),
                        "promptforge.db.password=" + password(),
                        "spring.flyway.schemas=" + schema,
                        "spring.flyway.create-schemas=true")
                .applyTo(context);
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent) {
                drop(schema);
            }
        });
    }

    private static void drop(String schema) {
        try (Connection c = DriverManager.getConnection(url(), user(), password());
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            // The schema name is unique to this run; a leftover one harms no other run.
        }
    }
}
