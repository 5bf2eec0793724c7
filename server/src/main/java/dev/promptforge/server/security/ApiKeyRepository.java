package dev.promptforge.server.security;

import dev.promptforge.server.shared.Rows;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code api_keys} and {@code users} tables, as far as authentication needs them. */
@Repository
class ApiKeyRepository {

    /** How stale {@code last_used_at} may get before a request refreshes it. */
    static final long LAST_USED_RESOLUTION_MS = 60_000;

    private final JdbcClient jdbc;
    private final Clock clock;

    ApiKeyRepository(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The principal of a valid key: known, not revoked, not expired, owner not disabled. */
    Optional<ApiKeyPrincipal> authenticate(String key) {
        long now = clock.millis();
        Optional<Row> row = jdbc.sql("""
                        SELECT k.id, u.username, k.project_id, k.scopes, k.last_used_at
                        FROM api_keys k JOIN users u ON u.id = k.user_id
                        WHERE k.key_hash = :hash AND k.revoked_at IS NULL
                          AND (k.expires_at IS NULL OR k.expires_at > :now) AND u.disabled_at IS NULL
                        """)
                .param("hash", ApiKeys.hash(key))
                .param("now", now)
                .query((rs, i) -> new Row(
                        rs.getString("id"),
                        rs.getString("username"),
                        rs.getString("project_id"),
                        rs.getString("scopes"),
                        Rows.nullableLong(rs, "last_used_at")))
                .optional();
        row.ifPresent(r -> {
            if (r.lastUsedAt() == null || now - r.lastUsedAt() > LAST_USED_RESOLUTION_MS) {
                jdbc.sql("UPDATE api_keys SET last_used_at = :now WHERE id = :id")
                        .param("now", now)
                        .param("id", r.id())
                        .update();
            }
        });
        return row.map(r -> new ApiKeyPrincipal(r.id(), r.username(), r.projectId(), scopes(r.scopes())));
    }

    void insert(
            String id,
            String name,
            String key,
            String userId,
            @Nullable String projectId,
            Set<String> scopes,
            @Nullable Long expiresAt) {
        jdbc.sql("""
                        INSERT INTO api_keys (id, name, prefix, key_hash, user_id, project_id, scopes, expires_at, created_at)
                        VALUES (:id, :name, :prefix, :hash, :user, :project, :scopes, :expires, :now)
                        """)
                .param("id", id)
                .param("name", name)
                .param("prefix", ApiKeys.prefix(key))
                .param("hash", ApiKeys.hash(key))
                .param("user", userId)
                .param("project", projectId)
                .param("scopes", String.join(",", scopes.stream().sorted().toList()))
                .param("expires", expiresAt)
                .param("now", clock.millis())
                .update();
    }

    private static Set<String> scopes(String csv) {
        return Arrays.stream(csv.split(",")).filter(s -> !s.isBlank()).collect(Collectors.toUnmodifiableSet());
    }

    private record Row(
            String id,
            String username,
            @Nullable String projectId,
            String scopes,
            @Nullable Long lastUsedAt) {}
}
