package dev.promptforge.server.security;

import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <api key>}. A request without the header goes on
 * anonymously (the authorization rules then answer 401); a malformed header or an invalid key is
 * answered 401 at once, so a caller never mistakes a bad key for a public route.
 */
final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    /** The authority of a server admin's server-wide key (modules that cannot see this one check it). */
    static final String SERVER_ADMIN_AUTHORITY = "ROLE_SERVER_ADMIN";

    /**
     * Followed by a project's name: the key may read that project's audit entries (the audit module
     * cannot depend on this one, which audits through it, so it reads the authority).
     */
    static final String PROJECT_AUDIT_AUTHORITY = "PROJECT_AUDIT:";

    private final ApiKeyAuthenticator authenticator;

    ApiKeyAuthenticationFilter(ApiKeyAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ApiKeyPrincipal principal;
        try {
            principal = authenticator
                    .authenticate(request.getHeader(HttpHeaders.AUTHORIZATION))
                    .orElse(null);
        } catch (ApiException e) {
            unauthorized(request, response, e.getMessage());
            return;
        }
        if (principal == null) {
            chain.doFilter(request, response);
            return;
        }
        var authorities = new java.util.ArrayList<SimpleGrantedAuthority>();
        principal.scopes().forEach(scope -> authorities.add(new SimpleGrantedAuthority("SCOPE_" + scope)));
        if (principal.serverAdmin() && principal.projectId() == null) {
            authorities.add(new SimpleGrantedAuthority(SERVER_ADMIN_AUTHORITY));
        }
        if (principal.projectId() != null
                && principal.projectName() != null
                && ProjectAccess.decide(principal, principal.projectId(), Permission.READ_AUDIT)
                        == ProjectAccess.Decision.ALLOWED) {
            authorities.add(new SimpleGrantedAuthority(PROJECT_AUDIT_AUTHORITY + principal.projectName()));
        }
        var authentication = UsernamePasswordAuthenticationToken.authenticated(principal.username(), null, authorities);
        authentication.setDetails(principal);
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication);
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    static void unauthorized(HttpServletRequest request, HttpServletResponse response, String detail)
            throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"promptforge\"");
        Problems.write(request, response, HttpStatus.UNAUTHORIZED, "Unauthorized", detail);
    }

    static List<String> publicApiRoutes() {
        return List.of("/api/v1/health");
    }
}
