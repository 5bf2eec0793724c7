package dev.promptforge.server.security;

import dev.promptforge.server.shared.ApiException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Checks an {@code Authorization: Bearer <api key>} header. The API filter chain and the proxy's own
 * servlet ({@code /v1/chat/completions}, which skips Spring Security for speed) both use it, so a key
 * is accepted and refused the same way, with the same messages, everywhere.
 */
@Component
public class ApiKeyAuthenticator {

    private static final String BEARER = "Bearer ";
    private static final int MAX_KEY_LENGTH = 512;

    static final String MISSING = "This route needs an API key: send 'Authorization: Bearer <api key>'."
            + " The first key is printed at first start and saved in the data directory's"
            + " bootstrap-credentials.txt.";
    static final String MALFORMED = "The Authorization header must be 'Bearer <api key>'.";
    static final String INVALID = "The API key is not valid: it is unknown, revoked or expired. Use a current key"
            + " (an admin can create one).";

    private final ApiKeyRepository keys;

    ApiKeyAuthenticator(ApiKeyRepository keys) {
        this.keys = keys;
    }

    /**
     * The key's principal; empty when there is no header at all.
     *
     * @throws ApiException 401 (with {@code WWW-Authenticate}) for a malformed header or a key that
     *     is unknown, revoked or expired
     */
    public Optional<ApiKeyPrincipal> authenticate(@Nullable String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || authorization.length() == BEARER.length()) {
            throw unauthorized(MALFORMED);
        }
        String key = authorization.substring(BEARER.length()).trim();
        if (key.length() > MAX_KEY_LENGTH) {
            throw unauthorized(INVALID);
        }
        return Optional.of(keys.authenticate(key).orElseThrow(() -> unauthorized(INVALID)));
    }

    /** Like {@link #authenticate}, but a missing header is a 401 too. */
    public ApiKeyPrincipal require(@Nullable String authorization) {
        return authenticate(authorization).orElseThrow(() -> unauthorized(MISSING));
    }

    /**
     * Authorizes an authenticated key in a project, from the principal alone (no database access);
     * the same rules as {@link ProjectAccess}, for the proxy endpoint that runs before Spring Security.
     *
     * @throws ApiException 404 when the project is not visible to the key, 403 when its role or
     *     scopes are not enough
     */
    public void authorize(ApiKeyPrincipal principal, String projectId, String projectName, Permission permission) {
        ProjectAccess.check(principal, projectId, projectName, permission);
    }

    static ApiException unauthorized(String detail) {
        return new ApiException(HttpStatus.UNAUTHORIZED, "Unauthorized", detail)
                .withHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"promptforge\"");
    }
}
