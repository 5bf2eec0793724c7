package dev.promptforge.server.ops;

import dev.promptforge.server.shared.SecurityEvents;
import dev.promptforge.server.shared.SecurityHeaders;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The first filter: puts the security headers on every response (the proxy endpoint, which may answer
 * ahead of it, applies the same {@link SecurityHeaders} itself), and reports refused credentials and
 * denied access to the security log. A 401 to
 * a request that sent an {@code Authorization} header is a rejected key; every 403 is a denial. Both
 * are read from the finished response, so every route and both filter chains are covered alike.
 */
final class SecurityHeadersFilter implements Filter {

    private final SecurityEvents events;

    SecurityHeadersFilter(SecurityEvents events) {
        this.events = events;
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        if (!(servletRequest instanceof HttpServletRequest request)
                || !(servletResponse instanceof HttpServletResponse response)) {
            chain.doFilter(servletRequest, servletResponse);
            return;
        }
        SecurityHeaders.apply(request, response);
        chain.doFilter(request, response);
        SecurityHeaders.report(events, request, response);
    }
}
