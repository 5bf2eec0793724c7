package dev.promptforge.server.ops;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Database selection. Without a URL, the embedded SQLite file {@code promptforge.db} in the data
 * directory is used; a {@code jdbc:postgresql:} URL selects PostgreSQL.
 */
@ConfigurationProperties("promptforge.db")
record DatabaseProperties(
        @Nullable String url,
        @Nullable String user,
        @Nullable String password,
        @DefaultValue("10") int poolSize) {}
