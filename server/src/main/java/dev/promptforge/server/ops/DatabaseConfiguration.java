package dev.promptforge.server.ops;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.promptforge.server.shared.DataDirectory;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One DataSource for SQLite (embedded default) or PostgreSQL, chosen by {@code promptforge.db.url}. */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);

    /** WAL for concurrent readers; IMMEDIATE transactions so writers queue instead of dead-locking. */
    static final String SQLITE_OPTIONS =
            "journal_mode=WAL&synchronous=NORMAL&foreign_keys=true&busy_timeout=30000&transaction_mode=IMMEDIATE";

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(DatabaseProperties properties, DataDirectory dataDirectory) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("promptforge");
        config.setMaximumPoolSize(properties.poolSize());
        String url = properties.url();
        if (url == null || url.isBlank()) {
            var file = dataDirectory.path().resolve("promptforge.db");
            config.setJdbcUrl("jdbc:sqlite:" + file + "?" + SQLITE_OPTIONS);
            log.info("Using the embedded SQLite database {}", file);
        } else if (url.startsWith("jdbc:postgresql:")) {
            config.setJdbcUrl(url);
            config.setUsername(properties.user());
            config.setPassword(properties.password());
            log.info("Using PostgreSQL at {}", url.replaceAll("password=[^&]*", "password=***"));
        } else if (url.startsWith("jdbc:sqlite:")) {
            config.setJdbcUrl(url.contains("?") ? url : url + "?" + SQLITE_OPTIONS);
        } else {
            throw new IllegalStateException("PROMPTFORGE_DB_URL must be a jdbc:postgresql: or jdbc:sqlite: URL, got "
                    + url.replaceAll("[?].*", "?…"));
        }
        return new HikariDataSource(config);
    }

    static boolean isSqlite(DataSource dataSource) {
        return dataSource instanceof HikariDataSource hikari
                && hikari.getJdbcUrl().startsWith("jdbc:sqlite:");
    }
}
