package dev.promptforge.server.shared;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;

/**
 * The security headers every response carries, and the security events read from a finished
 * response (a 401 to a request that sent credentials is a rejected key; every 403 is a denial). The
 * first servlet filter applies them to every route; the proxy endpoint, which answers ahead of the
 * other filters, applies them itself.
 */
public final class SecurityHeaders {

    public static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
            + " frame-ancestors 'none'";
    public static final String HSTS = "max-age=31536000; includeSubDomains";

    /** Set on a request whose security events were already reported, so no filter reports them twice. */
    private static final String REPORTED = SecurityHeaders.class.getName() + ".reported";

    private SecurityHeaders() {}

    public static void apply(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("Content-Security-Policy", CSP);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        if (request.isSecure()) {
            response.setHeader("Strict-Transport-Security", HSTS);
        }
    }

    /** Records a rejected key or a denial from the answered status, once per request. */
    public static void report(SecurityEvents events, HttpServletRequest request, HttpServletResponse response) {
        if (request.getAttribute(REPORTED) != null) {
            return;
        }
        request.setAttribute(REPORTED, Boolean.TRUE);
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
