package dev.promptforge.server.security;

import dev.promptforge.server.audit.AuditLog;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Ids;
import dev.promptforge.server.shared.Rows;
import dev.promptforge.server.shared.Validation;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Users, memberships and API keys: each change in one transaction with its audit entry. Who may
 * call what is decided by the controller through {@link ProjectAccess}.
 */
@Service
class Access {

    static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,63}");
    static final int MIN_PASSWORD = BootstrapProperties.MIN_PASSWORD_LENGTH;
    static final int MAX_PASSWORD = 1000;

    record ProjectRef(String id, String name) {}

    record User(String username, boolean serverAdmin, Instant createdAt) {}

    record Member(String username, Role role, Instant since) {}

    record KeyView(
            String id,
            String name,
            String prefix,
            String user,
            String project,
            List<String> scopes,
            Instant createdAt,
            @Nullable Instant lastUsedAt,
            @Nullable Instant expiresAt,
            @Nullable Instant revokedAt) {}

    record CreatedKey(
            String id,
            String name,
            String prefix,
            String user,
            String project,
            List<String> scopes,
            Instant createdAt,
            @Nullable Instant expiresAt,
            String key) {}

    private final JdbcClient jdbc;
    private final ApiKeyRepository keys;
    private final PasswordEncoder passwords;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;

    Access(
            JdbcClient jdbc,
            ApiKeyRepository keys,
            PasswordEncoder passwords,
            AuditLog audit,
            TransactionTemplate transactions,
            Clock clock) {
        this.jdbc = jdbc;
        this.keys = keys;
        this.passwords = passwords;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** The project by name, 404 when it does not exist. */
    ProjectRef project(String name) {
        if (!Validation.isSlug(name)) {
            throw ProjectAccess.notFound(Validation.abbreviate(name));
        }
        return jdbc.sql("SELECT id, name FROM projects WHERE name = :name")
                .param("name", name)
                .query((rs, i) -> new ProjectRef(rs.getString("id"), rs.getString("name")))
                .optional()
                .orElseThrow(() -> ProjectAccess.notFound(name));
    }

    User createUser(@Nullable String username, @Nullable String password) {
        Validation.start()
                .require(username != null && USERNAME.matcher(username).matches(), "username", usernameMessage())
                .require(
                        password != null && password.length() >= MIN_PASSWORD && password.length() <= MAX_PASSWORD,
                        "password",
                        "must be " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters")
                .throwIfInvalid();
        String hash = passwords.encode(password);
        long now = clock.millis();
        return transactions.execute(status -> {
            if (userId(username) != null) {
                throw ApiException.conflict("A user named '" + username + "' already exists.");
            }
            jdbc.sql("""
                            INSERT INTO users (id, username, password_hash, server_admin, created_at)
                            VALUES (:id, :username, :hash, :admin, :now)
                            """)
                    .param("id", Ids.newId(clock))
                    .param("username", username)
                    .param("hash", hash)
                    .param("admin", false)
                    .param("now", now)
                    .update();
            User user = new User(username, false, Instant.ofEpochMilli(now));
            audit.append("user.create", "user/" + username, null, Map.of("username", username, "serverAdmin", false));
            return user;
        });
    }

    List<Member> members(ProjectRef project) {
        return jdbc.sql("""
                        SELECT u.username, m.role, m.created_at FROM memberships m JOIN users u ON u.id = m.user_id
                        WHERE m.project_id = :project ORDER BY u.username
                        """)
                .param("project", project.id())
                .query((rs, i) -> new Member(
                        rs.getString("username"),
                        Role.valueOf(rs.getString("role")),
                        Instant.ofEpochMilli(rs.getLong("created_at"))))
                .list();
    }

    /** Sets a member's role; true when the user became a member. */
    boolean setMember(ProjectRef project, String username, @Nullable String roleName) {
        Role role = role(roleName);
        boolean created = Boolean.TRUE.equals(transactions.execute(status -> {
            String userId = existingUser(username);
            Role before = currentRole(project, userId);
            if (before == Role.OWNER && role != Role.OWNER && owners(project) == 1) {
                throw ApiException.conflict("'" + username + "' is the last owner of project '" + project.name()
                        + "': make someone else an owner first.");
            }
            if (before == null) {
                jdbc.sql("INSERT INTO memberships (project_id, user_id, role, created_at) VALUES (:p, :u, :r, :now)")
                        .param("p", project.id())
                        .param("u", userId)
                        .param("r", role.name())
                        .param("now", clock.millis())
                        .update();
            } else {
                jdbc.sql("UPDATE memberships SET role = :r WHERE project_id = :p AND user_id = :u")
                        .param("p", project.id())
                        .param("u", userId)
                        .param("r", role.name())
                        .update();
            }
            audit.append(
                    "member.set",
                    memberTarget(project, username),
                    before == null ? null : Map.of("role", before.name()),
                    Map.of("role", role.name()));
            return before == null;
        }));
        keys.forgetUser(username);
        return created;
    }

    void removeMember(ProjectRef project, String username) {
        transactions.executeWithoutResult(status -> {
            String userId = userId(username);
            Role before = userId == null ? null : currentRole(project, userId);
            if (before == null) {
                throw ApiException.notFound("'" + Validation.abbreviate(username) + "' is not a member of project '"
                        + project.name() + "'.");
            }
            if (before == Role.OWNER && owners(project) == 1) {
                throw ApiException.conflict("'" + username + "' is the last owner of project '" + project.name()
                        + "': make someone else an owner first.");
            }
            jdbc.sql("DELETE FROM memberships WHERE project_id = :p AND user_id = :u")
                    .param("p", project.id())
                    .param("u", userId)
                    .update();
            audit.append("member.remove", memberTarget(project, username), Map.of("role", before.name()), null);
        });
        keys.forgetUser(username);
    }

    CreatedKey createKey(
            ProjectRef project,
            String actor,
            @Nullable String name,
            @Nullable String user,
            @Nullable List<String> scopes,
            @Nullable String expiresAt) {
        String owner = user == null ? actor : user;
        Validation validation = Validation.start()
                .require(
                        name != null && !name.isBlank() && name.length() <= 100,
                        "name",
                        "is required (1 to 100" + " characters), e.g. \"ci-pipeline\"")
                .require(
                        scopes != null
                                && !scopes.isEmpty()
                                && scopes.stream()
                                        .allMatch(scope -> scope != null && Permission.Scope.ALL.contains(scope)),
                        "scopes",
                        "is required: a non-empty list of " + String.join(", ", new TreeSet<>(Permission.Scope.ALL)));
        Long expires = null;
        if (expiresAt != null) {
            try {
                expires = Instant.parse(expiresAt).toEpochMilli();
                validation.require(expires > clock.millis(), "expiresAt", "must be in the future");
            } catch (DateTimeParseException | ArithmeticException e) {
                validation.require(false, "expiresAt", "must be an ISO-8601 instant such as 2027-01-01T00:00:00Z");
            }
        }
        validation.throwIfInvalid();
        Set<String> scopeSet = new TreeSet<>(scopes);
        Long expiry = expires;
        String key = ApiKeys.generate();
        return transactions.execute(status -> {
            String userId = userId(owner);
            if (userId == null || (currentRole(project, userId) == null && !isServerAdmin(userId))) {
                throw ApiException.invalid(List.of(new ApiException.FieldError(
                        "user",
                        "'" + Validation.abbreviate(owner) + "' is not a member of project '" + project.name() + "'")));
            }
            String id = Ids.newId(clock);
            keys.insert(id, name, key, userId, project.id(), scopeSet, expiry);
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("name", name);
            after.put("user", owner);
            after.put("prefix", ApiKeys.prefix(key));
            after.put("scopes", List.copyOf(scopeSet));
            after.put("expiresAt", expiry);
            audit.append("key.create", keyTarget(project, id), null, after);
            return new CreatedKey(
                    id,
                    name,
                    ApiKeys.prefix(key),
                    owner,
                    project.name(),
                    List.copyOf(scopeSet),
                    Instant.ofEpochMilli(clock.millis()),
                    expiry == null ? null : Instant.ofEpochMilli(expiry),
                    key);
        });
    }

    List<KeyView> keys(ProjectRef project) {
        return jdbc.sql("""
                        SELECT k.id, k.name, k.prefix, u.username, k.scopes, k.created_at, k.last_used_at,
                               k.expires_at, k.revoked_at
                        FROM api_keys k JOIN users u ON u.id = k.user_id
                        WHERE k.project_id = :project ORDER BY k.created_at, k.id
                        """)
                .param("project", project.id())
                .query((rs, i) -> new KeyView(
                        rs.getString("id"),
                        rs.getString("name"),
                        rs.getString("prefix"),
                        rs.getString("username"),
                        project.name(),
                        List.of(rs.getString("scopes").split(",")),
                        Instant.ofEpochMilli(rs.getLong("created_at")),
                        instant(Rows.nullableLong(rs, "last_used_at")),
                        instant(Rows.nullableLong(rs, "expires_at")),
                        instant(Rows.nullableLong(rs, "revoked_at"))))
                .list();
    }

    /** Revokes a key of the project; revoking a revoked key changes nothing. */
    void revokeKey(ProjectRef project, String id) {
        String hash = transactions.execute(status -> {
            record Row(String hash, @Nullable Long revokedAt) {}
            Row row = jdbc.sql("SELECT key_hash, revoked_at FROM api_keys WHERE id = :id AND project_id = :p")
                    .param("id", id)
                    .param("p", project.id())
                    .query((rs, i) -> new Row(rs.getString("key_hash"), Rows.nullableLong(rs, "revoked_at")))
                    .optional()
                    .orElseThrow(() -> ApiException.notFound("Key '" + Validation.abbreviate(id)
                            + "' does not exist in project '" + project.name() + "'."));
            if (row.revokedAt() == null) {
                jdbc.sql("UPDATE api_keys SET revoked_at = :now WHERE id = :id")
                        .param("now", clock.millis())
                        .param("id", id)
                        .update();
                audit.append("key.revoke", keyTarget(project, id), Map.of("revoked", false), Map.of("revoked", true));
            }
            return row.hash();
        });
        keys.forget(hash);
    }

    private static @Nullable Instant instant(@Nullable Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    private static Role role(@Nullable String name) {
        if (name != null) {
            for (Role role : Role.values()) {
                if (role.name().equals(name)) {
                    return role;
                }
            }
        }
        throw ApiException.invalid(List.of(new ApiException.FieldError(
                "role",
                "must be one of "
                        + String.join(
                                ", ",
                                java.util.Arrays.stream(Role.values())
                                        .map(Role::name)
                                        .toList()))));
    }

    private @Nullable String userId(@Nullable String username) {
        if (username == null) {
            return null;
        }
        return jdbc.sql("SELECT id FROM users WHERE username = :u")
                .param("u", username)
                .query(String.class)
                .optional()
                .orElse(null);
    }

    private String existingUser(String username) {
        String id = userId(username);
        if (id == null) {
            throw ApiException.notFound("User '" + Validation.abbreviate(username) + "' does not exist.");
        }
        return id;
    }

    private boolean isServerAdmin(String userId) {
        return jdbc.sql("SELECT server_admin FROM users WHERE id = :id")
                .param("id", userId)
                .query(Boolean.class)
                .single();
    }

    private @Nullable Role currentRole(ProjectRef project, String userId) {
        return jdbc.sql("SELECT role FROM memberships WHERE project_id = :p AND user_id = :u")
                .param("p", project.id())
                .param("u", userId)
                .query(String.class)
                .optional()
                .map(Role::valueOf)
                .orElse(null);
    }

    private long owners(ProjectRef project) {
        return jdbc.sql("SELECT COUNT(*) FROM memberships WHERE project_id = :p AND role = 'OWNER'")
                .param("p", project.id())
                .query(Long.class)
                .single();
    }

    private static String memberTarget(ProjectRef project, String username) {
        return "project/" + project.name() + "/member/" + username;
    }

    private static String keyTarget(ProjectRef project, String id) {
        return "project/" + project.name() + "/key/" + id;
    }

    static String usernameMessage() {
        return "is required: 1 to 64 lower-case letters, digits, '.', '_', '@' or '-', starting with a letter"
                + " or digit";
    }
}
