package dev.promptforge.server.security;

import static java.util.Objects.requireNonNull;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who a valid API key speaks for.
 *
 * @param keyId the key's id
 * @param username the user owning the key
 * @param projectId the project the key is bound to, or null for a server-wide key
 * @param scopes what the key may do
 */
public record ApiKeyPrincipal(
        String keyId, String username, @Nullable String projectId, Set<String> scopes) {
    public ApiKeyPrincipal {
        requireNonNull(keyId, "keyId");
        requireNonNull(username, "username");
        scopes = Set.copyOf(scopes);
    }
}
