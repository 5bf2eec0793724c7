package dev.promptforge.server.security;

import dev.promptforge.server.audit.AuditChain;
import dev.promptforge.server.shared.Ids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Users, roles and API keys on a plain JDBC connection, for the command line (no Spring): the same
 * rules, hashes and audit entries as the REST API. Each call is one transaction with its audit entry.
 * A key revoked here is refused by running servers once their key cache lets it go (at most 5 s).
 */
public final class Accounts {

    /** A created key; {@code key} is shown once and never stored. */
    public record CreatedKey(String id, String prefix, String key) {}

    /** A key as listed: never the key or its hash. */
    public record KeyRow(
            String id,
            String name,
            String prefix,
            String user,
            @Nullable String project,
            String scopes,
            Instant createdAt,
            @Nullable Instant lastUsedAt,
            @Nullable Instant expiresAt,
            @Nullable Instant revokedAt) {}

    private Accounts() {}

    /** Creates a user with an Argon2id password hash. */
    public static void createUser(
            Connection c, String username, String password, boolean serverAdmin, String actor, long now)
            throws SQLException {
        if (!Access.USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException(
                    "the username " + Access.usernameMessage().substring(3));
        }
        if (password.length() < Access.MIN_PASSWORD || password.length() > Access.MAX_PASSWORD) {
            throw new IllegalArgumentException(
                    "the password must be " + Access.MIN_PASSWORD + " to " + Access.MAX_PASSWORD + " characters");
        }
        String hash = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8().encode(password);
        transaction(c, () -> {
            if (userId(c, username) != null) {
                throw new IllegalArgumentException("a user named '" + username + "' already exists");
            }
            update(
                    c,
                    "INSERT INTO users (id, username, password_hash, server_admin, created_at) VALUES (?, ?, ?, ?, ?)",
                    Ids.newId(Clock.systemUTC()),
                    username,
                    hash,
                    serverAdmin,
                    now);
            audit(
                    c,
                    actor,
                    now,
                    "user.create",
                    "user/" + username,
                    null,
                    Map.of("username", username, "serverAdmin", serverAdmin));
        });
    }

    /** Gives a user a role in a project (adding them as a member when they are not one). */
    public static void setRole(Connection c, String project, String username, String roleName, String actor, long now)
            throws SQLException {
        Role role;
        try {
            role = Role.valueOf(roleName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the role must be OWNER, ADMIN, MEMBER or VIEWER", e);
        }
        transaction(c, () -> {
            String projectId = projectId(c, project);
            String userId = requireUser(c, username);
            String before = role(c, projectId, userId);
            if (before == null) {
                update(
                        c,
                        "INSERT INTO memberships (project_id, user_id, role, created_at) VALUES (?, ?, ?, ?)",
                        projectId,
                        userId,
                        role.name(),
                        now);
            } else {
                update(
                        c,
                        "UPDATE memberships SET role = ? WHERE project_id = ? AND user_id = ?",
                        role.name(),
                        projectId,
                        userId);
            }
            audit(
                    c,
                    actor,
                    now,
                    "member.set",
                    "project/" + project + "/member/" + username,
                    before == null ? null : Map.of("role", before),
                    Map.of("role", role.name()));
        });
    }

    /**
     * Creates a key for a user: bound to a project (the user must be a member, or a server admin), or
     * server-wide when {@code project} is null (server admins only).
     */
    public static CreatedKey createKey(
            Connection c,
            @Nullable String project,
            String username,
            String name,
            Set<String> scopes,
            @Nullable Long expiresAt,
            String actor,
            long now)
            throws SQLException {
        if (name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("the key's name must be 1 to 100 characters");
        }
        if (scopes.isEmpty() || !Permission.Scope.ALL.containsAll(scopes)) {
            throw new IllegalArgumentException(
                    "the scopes must be a non-empty list of " + String.join(", ", new TreeSet<>(Permission.Scope.ALL)));
        }
        if (expiresAt != null && expiresAt <= now) {
            throw new IllegalArgumentException("the expiry must be in the future");
        }
        String key = ApiKeys.generate();
        String id = Ids.newId(Clock.systemUTC());
        TreeSet<String> sorted = new TreeSet<>(scopes);
        transaction(c, () -> {
            String userId = requireUser(c, username);
            boolean admin = serverAdmin(c, userId);
            String projectId = project == null ? null : projectId(c, project);
            if (projectId == null && !admin) {
                throw new IllegalArgumentException(
                        "only a server admin may have a key without a project: pass --project");
            }
            if (projectId != null && !admin && role(c, projectId, userId) == null) {
                throw new IllegalArgumentException("'" + username + "' is not a member of project '" + project
                        + "': give them a role first ('promptforge user role')");
            }
            update(
                    c,
                    "INSERT INTO api_keys (id, name, prefix, key_hash, user_id, project_id, scopes, expires_at,"
                            + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    id,
                    name,
                    ApiKeys.prefix(key),
                    ApiKeys.hash(key),
                    userId,
                    projectId,
                    String.join(",", sorted),
                    expiresAt,
                    now);
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("name", name);
            after.put("user", username);
            after.put("prefix", ApiKeys.prefix(key));
            after.put("scopes", List.copyOf(sorted));
            after.put("expiresAt", expiresAt);
            audit(c, actor, now, "key.create", keyTarget(project, id), null, after);
        });
        return new CreatedKey(id, ApiKeys.prefix(key), key);
    }

    /** Every key, or a project's, oldest first. */
    public static List<KeyRow> keys(Connection c, @Nullable String project) throws SQLException {
        String sql = "SELECT k.id, k.name, k.prefix, u.username, p.name AS project, k.scopes, k.created_at,"
                + " k.last_used_at, k.expires_at, k.revoked_at FROM api_keys k JOIN users u ON u.id = k.user_id"
                + " LEFT JOIN projects p ON p.id = k.project_id"
                + (project == null ? "" : " WHERE p.name = ?")
                + " ORDER BY k.created_at, k.id";
        if (project != null) {
            projectId(c, project);
        }
        try (PreparedStatement select = c.prepareStatement(sql)) {
            if (project != null) {
                select.setString(1, project);
            }
            List<KeyRow> rows = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(new KeyRow(
                            rs.getString("id"),
                            rs.getString("name"),
                            rs.getString("prefix"),
                            rs.getString("username"),
                            rs.getString("project"),
                            rs.getString("scopes"),
                            Instant.ofEpochMilli(rs.getLong("created_at")),
                            instant(rs, "last_used_at"),
                            instant(rs, "expires_at"),
                            instant(rs, "revoked_at")));
                }
            }
            return rows;
        }
    }

    /** Revokes a key; false when it was revoked already. */
    public static boolean revokeKey(Connection c, String id, String actor, long now) throws SQLException {
        boolean[] changed = {false};
        transaction(c, () -> {
            String project;
            Long revokedAt;
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT p.name, k.revoked_at FROM api_keys k LEFT JOIN projects p ON p.id = k.project_id"
                            + " WHERE k.id = ?")) {
                select.setString(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("there is no key with the id '" + id + "'");
                    }
                    project = rs.getString(1);
                    long revoked = rs.getLong(2);
                    revokedAt = rs.wasNull() ? null : revoked;
                }
            }
            if (revokedAt == null) {
                update(c, "UPDATE api_keys SET revoked_at = ? WHERE id = ?", now, id);
                audit(
                        c,
                        actor,
                        now,
                        "key.revoke",
                        keyTarget(project, id),
                        Map.of("revoked", false),
                        Map.of("revoked", true));
                changed[0] = true;
            }
        });
        return changed[0];
    }

    private interface Work {
        void run() throws SQLException;
    }

    private static void transaction(Connection c, Work work) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            work.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private static void update(Connection c, String sql, @Nullable Object... values) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }

    private static @Nullable String single(Connection c, String sql, String... values) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                select.setString(i + 1, values[i]);
            }
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static @Nullable String userId(Connection c, String username) throws SQLException {
        return single(c, "SELECT id FROM users WHERE username = ?", username);
    }

    private static String requireUser(Connection c, String username) throws SQLException {
        String id = userId(c, username);
        if (id == null) {
            throw new IllegalArgumentException("there is no user '" + username + "'");
        }
        return id;
    }

    private static boolean serverAdmin(Connection c, String userId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT server_admin FROM users WHERE id = ?")) {
            select.setString(1, userId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static String projectId(Connection c, String project) throws SQLException {
        String id = single(c, "SELECT id FROM projects WHERE name = ?", project);
        if (id == null) {
            throw new IllegalArgumentException("there is no project '" + project + "'");
        }
        return id;
    }

    private static @Nullable String role(Connection c, String projectId, String userId) throws SQLException {
        return single(c, "SELECT role FROM memberships WHERE project_id = ? AND user_id = ?", projectId, userId);
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(value);
    }

    private static String keyTarget(@Nullable String project, String id) {
        return project == null ? "key/" + id : "project/" + project + "/key/" + id;
    }

    private static void audit(
            Connection c,
            String actor,
            long now,
            String action,
            String target,
            @Nullable Object before,
            @Nullable Object after)
            throws SQLException {
        AuditChain.append(
                c,
                new AuditChain.NewEntry(
                        Ids.newId(Clock.systemUTC()),
                        now,
                        actor,
                        action,
                        target,
                        null,
                        null,
                        AuditChain.stateHash(before),
                        AuditChain.stateHash(after)));
    }
}
