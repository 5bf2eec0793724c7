package dev.promptforge.server.security;

import dev.promptforge.server.shared.ApiException;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * The one place a request is authorized against a project. Every project resource is reached
 * through {@link #require}: a key bound to another project, or a user who is not a member, gets the
 * same 404 as for a project that does not exist (nothing tells them it does); a member whose role or
 * key scope falls short of the {@link Permission} gets 403. The decision uses only the key's
 * principal, which the key cache holds, so it costs no database access.
 */
@Service
public class ProjectAccess {

    private final ApiKeyRepository keys;

    ProjectAccess(ApiKeyRepository keys) {
        this.keys = keys;
    }

    /** The outcome of {@link #decide}. */
    public enum Decision {
        ALLOWED,
        HIDDEN,
        ROLE_TOO_LOW,
        SCOPE_MISSING
    }

    /** Whether {@code principal} may do {@code permission} in the project {@code projectId}. */
    public static Decision decide(ApiKeyPrincipal principal, String projectId, Permission permission) {
        Role role = role(principal, projectId).orElse(null);
        if (role == null) {
            return Decision.HIDDEN;
        }
        if (!role.includes(permission.role())) {
            return Decision.ROLE_TOO_LOW;
        }
        if (!principal.scopes().contains(permission.scope())) {
            return Decision.SCOPE_MISSING;
        }
        return Decision.ALLOWED;
    }

    /** The principal's role in a project: a server admin is an owner everywhere its key reaches. */
    static Optional<Role> role(ApiKeyPrincipal principal, String projectId) {
        if (principal.projectId() != null && !principal.projectId().equals(projectId)) {
            return Optional.empty();
        }
        if (principal.serverAdmin()) {
            return Optional.of(Role.OWNER);
        }
        return principal.projectId() == null ? Optional.empty() : Optional.ofNullable(principal.role());
    }

    /** Authorizes the current request's key; see {@link #require(ApiKeyPrincipal, String, String, Permission)}. */
    public void require(String projectId, String projectName, Permission permission) {
        require(current(), projectId, projectName, permission);
    }

    /**
     * Authorizes a key for a permission in a project.
     *
     * @throws ApiException 404 when the project is not visible to the key, 403 when the role or the
     *     key's scopes are not enough
     */
    public void require(ApiKeyPrincipal principal, String projectId, String projectName, Permission permission) {
        check(principal, projectId, projectName, permission);
    }

    static void check(ApiKeyPrincipal principal, String projectId, String projectName, Permission permission) {
        switch (decide(principal, projectId, permission)) {
            case ALLOWED -> {}
            case HIDDEN -> throw notFound(projectName);
            case ROLE_TOO_LOW ->
                throw forbidden(
                        "This needs the role " + permission.role() + " (or higher) in project '" + projectName + "'.");
            case SCOPE_MISSING -> throw forbidden("This needs an API key with the '" + permission.scope() + "' scope.");
        }
    }

    /**
     * Refuses (404) an API key id that is not one of the project's keys, like any missing resource. A
     * server-wide key (bound to no project) acts in every project, so only a server admin may name it.
     */
    public void requireKeyOf(String projectId, String projectName, String keyId) {
        if (keys.belongsTo(keyId, projectId)) {
            return;
        }
        if (keys.isServerWide(keyId)) {
            requireServerAdmin();
            return;
        }
        throw ApiException.notFound("Project '" + projectName + "' has no API key '" + keyId + "'.");
    }

    /** True when the current key may read the project (for filtering listings). */
    public boolean canRead(String projectId) {
        return decide(current(), projectId, Permission.READ) == Decision.ALLOWED;
    }

    /** The project the current key is bound to, or empty for a server-wide key. */
    public Optional<String> boundProjectName() {
        return Optional.ofNullable(current().projectName());
    }

    /** True when the current key is a server admin's server-wide key. */
    public boolean isServerWide() {
        ApiKeyPrincipal principal = current();
        return principal.serverAdmin() && principal.projectId() == null;
    }

    /**
     * Requires a server admin's server-wide key with the {@code admin} scope (managing users, creating
     * projects).
     */
    public void requireServerAdmin() {
        ApiKeyPrincipal principal = current();
        if (!principal.serverAdmin() || principal.projectId() != null) {
            throw forbidden("This is for server admins: use a server-wide key of a server admin.");
        }
        if (!principal.scopes().contains(Permission.Scope.ADMIN)) {
            throw forbidden("This needs an API key with the 'admin' scope.");
        }
    }

    /** Forgets the cached keys of a deleted project, so they are refused from the next request on. */
    public void projectDeleted(String projectId) {
        keys.forgetProject(projectId);
    }

    /** The same answer as for a project that does not exist. */
    public static ApiException notFound(String projectName) {
        return ApiException.notFound("Project '" + projectName + "' does not exist.");
    }

    private static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, "Forbidden", detail);
    }

    private static ApiKeyPrincipal current() {
        return ApiKeyPrincipal.current()
                .orElseThrow(() -> ApiKeyAuthenticator.unauthorized(ApiKeyAuthenticator.MISSING));
    }
}
