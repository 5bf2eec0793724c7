package dev.promptforge.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;

/**
 * How a plain command (no Spring) finds the database, the same way {@code serve} does: {@code
 * PROMPTFORGE_DB_URL} (with {@code PROMPTFORGE_DB_USER} / {@code PROMPTFORGE_DB_PASSWORD}) when set,
 * else the embedded SQLite file {@code promptforge.db} in the data directory ({@code --data-dir},
 * {@code PROMPTFORGE_DATA_DIR}, default {@code ./data}).
 */
final class DatabaseOptions {

    /** The environment; tests replace it. */
    static UnaryOperator<String> environment = System::getenv;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Data directory: database and keys (default: ./data, or PROMPTFORGE_DATA_DIR)")
    Path dataDir;

    @Option(
            names = "--db-url",
            paramLabel = "URL",
            description = "A jdbc:postgresql: or jdbc:sqlite: URL (default: PROMPTFORGE_DB_URL, else the data"
                    + " directory's promptforge.db)")
    String dbUrl;

    static String env(String name) {
        String value = environment.apply(name);
        return value == null || value.isBlank() ? null : value;
    }

    Path dataDir() {
        if (dataDir != null) {
            return dataDir.toAbsolutePath().normalize();
        }
        String configured = env("PROMPTFORGE_DATA_DIR");
        return Path.of(configured == null ? "./data" : configured)
                .toAbsolutePath()
                .normalize();
    }

    /** Where the database is, for messages (no password). */
    String describe() {
        String url = url();
        return url == null ? dataDir().resolve("promptforge.db").toString() : url.replaceAll("[?].*", "");
    }

    private String url() {
        return dbUrl != null && !dbUrl.isBlank() ? dbUrl : env("PROMPTFORGE_DB_URL");
    }

    /**
     * Creates the database when it does not exist and applies the server's migrations (as {@code
     * serve} does on start), then connects. {@code postgresOptions} are added to a PostgreSQL URL.
     */
    Connection migrateAndConnect(String postgresOptions) throws SQLException {
        String url = url();
        String user = null;
        String password = null;
        String location;
        if (url == null) {
            Path dir = dataDir();
            try {
                Files.createDirectories(dir);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot create the data directory " + dir + ": " + e.getMessage());
            }
            url = "jdbc:sqlite:" + dir.resolve("promptforge.db")
                    + "?journal_mode=WAL&synchronous=NORMAL&foreign_keys=true&busy_timeout=30000"
                    + "&transaction_mode=IMMEDIATE";
            location = "classpath:db/migration/sqlite";
        } else if (url.startsWith("jdbc:postgresql:")) {
            user = env("PROMPTFORGE_DB_USER");
            password = env("PROMPTFORGE_DB_PASSWORD");
            location = "classpath:db/migration/postgresql";
        } else if (url.startsWith("jdbc:sqlite:")) {
            location = "classpath:db/migration/sqlite";
        } else {
            return connect();
        }
        org.flywaydb.core.Flyway.configure()
                .dataSource(url, user, password)
                .locations(location)
                .load()
                .migrate();
        if (url.startsWith("jdbc:postgresql:")) {
            String withOptions =
                    postgresOptions.isEmpty() ? url : url + (url.contains("?") ? "&" : "?") + postgresOptions;
            return DriverManager.getConnection(withOptions, user, password);
        }
        return DriverManager.getConnection(url);
    }

    /** A connection to the database; it must exist already (start the server once to create it). */
    Connection connect() throws SQLException {
        String url = url();
        if (url == null) {
            Path file = dataDir().resolve("promptforge.db");
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("there is no database at " + file
                        + ": pass --data-dir (or set PROMPTFORGE_DATA_DIR or PROMPTFORGE_DB_URL) as for 'serve'");
            }
            return DriverManager.getConnection(
                    "jdbc:sqlite:" + file + "?foreign_keys=true&busy_timeout=30000&transaction_mode=IMMEDIATE");
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return DriverManager.getConnection(url, env("PROMPTFORGE_DB_USER"), env("PROMPTFORGE_DB_PASSWORD"));
        }
        if (url.startsWith("jdbc:sqlite:")) {
            return DriverManager.getConnection(url);
        }
        throw new IllegalArgumentException("PROMPTFORGE_DB_URL must be a jdbc:postgresql: or jdbc:sqlite: URL, got "
                + url.replaceAll("[?].*", "?…"));
    }

    /** The first line of a database error, with a hint when the schema is older than this command. */
    static String explain(SQLException e, String what) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        message = message.lines().findFirst().orElse(message).strip();
        String lower = message.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("no such table") || (lower.contains("relation") && lower.contains("does not exist"))) {
            return "the database has no " + what + " yet (" + message + "): start this version's server once"
                    + " ('promptforge serve') to migrate it";
        }
        return "cannot read the " + what + ": " + message;
    }

    /** Plain commands log warnings only, on stderr; serve sets up its own logging through Spring Boot. */
    static void quietLogging() {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "promptforge-cli-logback.xml");
        }
    }
}
