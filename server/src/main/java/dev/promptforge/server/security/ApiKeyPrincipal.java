package dev.promptforge.server.security;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who a valid API key speaks for, with what authorization needs, so a request is authorized from the
 * key cache without touching the database.
 *
 * @param keyId the key's id
 * @param username the user owning the key
 * @param projectId the project the key is bound to, or null for a server-wide key (server admins only)
 * @param projectName that project's name, or null
 * @param role the user's role in that project, or null when not (or no longer) a member
 * @param serverAdmin whether the user is a server admin
 * @param scopes what the key may do
 */
public record ApiKeyPrincipal(
        String keyId,
        String username,
        @Nullable String projectId,
        @Nullable String projectName,
        @Nullable Role role,
        boolean serverAdmin,
        Set<String> scopes) {
    public ApiKeyPrincipal {
        requireNonNull(keyId, "keyId");
        requireNonNull(username, "username");
        scopes = Set.copyOf(scopes);
    }

    /** The key of the current request, if it was authenticated by one. */
    public static Optional<ApiKeyPrincipal> current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getDetails() instanceof ApiKeyPrincipal principal
                ? Optional.of(principal)
                : Optional.empty();
    }
}
