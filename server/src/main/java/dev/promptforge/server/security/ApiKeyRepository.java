package dev.promptforge.server.security;

import dev.promptforge.server.shared.Rows;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code api_keys} and {@code users} tables, as far as authentication needs them. */
@Repository
class ApiKeyRepository {

    /** How stale {@code last_used_at} may get before a request refreshes it. */
    static final long LAST_USED_RESOLUTION_MS = 60_000;

    /**
     * How long a valid key is remembered, so most requests skip the database. It bounds how long a
     * revoked key keeps working on another instance; on this one {@link #forget} drops it at once.
     */
    static final long CACHE_TTL_MS = 5_000;

    static final int CACHE_MAX = 10_000;

    private record Valid(
            ApiKeyPrincipal principal, @Nullable Long expiresAt, long loadedAt) {}

    private final ConcurrentHashMap<String, Valid> cache = new ConcurrentHashMap<>();
    private final JdbcClient jdbc;
    private final Clock clock;

    ApiKeyRepository(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Whether an API key (revoked or not) with this id belongs to the project. */
    boolean belongsTo(String keyId, String projectId) {
        return jdbc.sql("SELECT COUNT(*) FROM api_keys WHERE id = :id AND project_id = :project")
                        .param("id", keyId)
                        .param("project", projectId)
                        .query(Long.class)
                        .single()
                > 0;
    }

    /** Whether an API key with this id exists and is bound to no project (a server-wide key). */
    boolean isServerWide(String keyId) {
        return jdbc.sql("SELECT COUNT(*) FROM api_keys WHERE id = :id AND project_id IS NULL")
                        .param("id", keyId)
                        .query(Long.class)
                        .single()
                > 0;
    }

    /** The principal of a valid key: known, not revoked, not expired, owner not disabled. */
    Optional<ApiKeyPrincipal> authenticate(String key) {
        long now = clock.millis();
        String hash = ApiKeys.hash(key);
        Valid cached = cache.get(hash);
        if (cached != null
                && now - cached.loadedAt() < CACHE_TTL_MS
                && (cached.expiresAt() == null || cached.expiresAt() > now)) {
            return Optional.of(cached.principal());
        }
        Optional<Valid> loaded = load(hash, now);
        if (loaded.isPresent()) {
            if (cache.size() >= CACHE_MAX) {
                cache.clear();
            }
            cache.put(hash, loaded.get());
        } else {
            cache.remove(hash);
        }
        return loaded.map(Valid::principal);
    }

    /** Drops a key from the cache (after it is revoked). */
    void forget(String keyHash) {
        cache.remove(keyHash);
    }

    /** Drops every cached key bound to a project (after it was deleted). */
    void forgetProject(String projectId) {
        cache.values().removeIf(valid -> projectId.equals(valid.principal().projectId()));
    }

    /** Drops every cached key of a user (after their role changed), so the next request reloads it. */
    void forgetUser(String username) {
        cache.values().removeIf(valid -> valid.principal().username().equals(username));
    }

    private Optional<Valid> load(String hash, long now) {
        Optional<Valid> valid = jdbc.sql("""
                        SELECT k.id, u.username, u.server_admin, k.project_id, p.name AS project_name, m.role,
                               k.scopes, k.expires_at, k.last_used_at
                        FROM api_keys k JOIN users u ON u.id = k.user_id
                        LEFT JOIN projects p ON p.id = k.project_id
                        LEFT JOIN memberships m ON m.project_id = k.project_id AND m.user_id = k.user_id
                        WHERE k.key_hash = :hash AND k.revoked_at IS NULL
                          AND (k.expires_at IS NULL OR k.expires_at > :now) AND u.disabled_at IS NULL
                        """)
                .param("hash", hash)
                .param("now", now)
                .query((rs, i) -> {
                    Long lastUsed = Rows.nullableLong(rs, "last_used_at");
                    String id = rs.getString("id");
                    if (lastUsed == null || now - lastUsed > LAST_USED_RESOLUTION_MS) {
                        touch(id, now);
                    }
                    return new Valid(
                            new ApiKeyPrincipal(
                                    id,
                                    rs.getString("username"),
                                    rs.getString("project_id"),
                                    rs.getString("project_name"),
                                    rs.getString("role") == null ? null : Role.valueOf(rs.getString("role")),
                                    rs.getBoolean("server_admin"),
                                    scopes(rs.getString("scopes"))),
                            Rows.nullableLong(rs, "expires_at"),
                            now);
                })
                .optional();
        return valid;
    }

    private void touch(String id, long now) {
        jdbc.sql("UPDATE api_keys SET last_used_at = :now WHERE id = :id")
                .param("now", now)
                .param("id", id)
                .update();
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
}
