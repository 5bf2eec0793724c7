package dev.promptforge.server.ops;

import dev.promptforge.server.shared.Correlation;
import dev.promptforge.server.shared.SecurityEvents;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;

/**
 * The first filter: puts the security headers on every response, the proxy's included (it answers in
 * the next filter), and reports refused credentials and denied access to the security log. A 401 to
 * a request that sent an {@code Authorization} header is a rejected key; every 403 is a denial. Both
 * are read from the finished response, so every route and both filter chains are covered alike.
 */
final class SecurityHeadersFilter implements Filter {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
            + " frame-ancestors 'none'";
    static final String HSTS = "max-age=31536000; includeSubDomains";

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
        response.setHeader("Content-Security-Policy", CSP);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        if (request.isSecure()) {
            response.setHeader("Strict-Transport-Security", HSTS);
        }
        chain.doFilter(request, response);
        int status = response.getStatus();
        if (status == 401 && request.getHeader(HttpHeaders.AUTHORIZATION) != null) {
            events.record(SecurityEvents.Type.KEY_REJECTED, describe(request, response));
        } else if (status == 403) {
            events.record(SecurityEvents.Type.ACCESS_DENIED, describe(request, response));
        }
    }

    private static String describe(HttpServletRequest request, HttpServletResponse response) {
        String uri = request.getRequestURI();
        return request.getMethod() + " " + (uri.length() > 200 ? uri.substring(0, 200) + "…" : uri) + " from "
                + request.getRemoteAddr() + " (request " + response.getHeader(Correlation.HEADER) + ")";
    }
}
