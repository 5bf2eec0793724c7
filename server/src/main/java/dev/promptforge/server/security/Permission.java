package dev.promptforge.server.security;

/**
 * The permission matrix: what a project route needs, as the least role in the project and the scope
 * the API key must carry. This enum is the one place the matrix is written; the README's table is a
 * copy of it, and {@code AuthorizationMatrixTests} walks it through every route.
 *
 * <p>A server admin acts as {@link Role#OWNER} in every project; a key's scopes still apply.
 */
public enum Permission {
    /** Read prompts, versions, labels, records, feedback, PII policy, evaluators, members, dashboards. */
    READ(Role.VIEWER, Scope.READ),
    /** Create prompts and versions, archive prompts, move labels other than production, add feedback. */
    WRITE(Role.MEMBER, Scope.WRITE),
    /** Run executions (execute, chat completions) and evaluations. */
    EXECUTE(Role.MEMBER, Scope.EXECUTE),
    /** Move the {@code production} label. */
    MOVE_PRODUCTION(Role.ADMIN, Scope.ADMIN),
    /** Create, list and revoke the project's API keys. */
    MANAGE_KEYS(Role.ADMIN, Scope.ADMIN),
    /** Set the PII policy and the evaluators. */
    MANAGE_POLICIES(Role.ADMIN, Scope.ADMIN),
    /** Read the audit entries of the project (those whose target is the project or under it). */
    READ_AUDIT(Role.ADMIN, Scope.ADMIN),
    /** Add, change and remove members. */
    MANAGE_MEMBERS(Role.OWNER, Scope.ADMIN),
    /** Delete the project with everything in it. */
    DELETE_PROJECT(Role.OWNER, Scope.ADMIN);

    private final Role role;
    private final String scope;

    Permission(Role role, String scope) {
        this.role = role;
        this.scope = scope;
    }

    /** The least role in the project that has this permission. */
    public Role role() {
        return role;
    }

    /** The scope an API key needs for it. */
    public String scope() {
        return scope;
    }

    /** The scopes an API key may carry. */
    public static final class Scope {
        public static final String EXECUTE = "execute";
        public static final String READ = "read";
        public static final String WRITE = "write";
        public static final String ADMIN = "admin";
        public static final java.util.Set<String> ALL = java.util.Set.of(EXECUTE, READ, WRITE, ADMIN);

        private Scope() {}
    }
}
