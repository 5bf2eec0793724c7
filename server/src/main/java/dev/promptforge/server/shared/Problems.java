package dev.promptforge.server.shared;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/** Builds and writes RFC 9457 problem details, the one error format of every route. */
public final class Problems {

    /** MDC key and problem property holding the request's correlation id. */
    public static final String REQUEST_ID = "requestId";

    /** Routes that OpenAI SDKs call: their problems also carry OpenAI's {@code error} object. */
    static final String OPENAI_PREFIX = "/v1/";

    private Problems() {}

    /** OpenAI's error shape, so an OpenAI SDK shows PromptForge's message. */
    private static Map<String, Object> openAiError(int status, String detail) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", detail);
        error.put(
                "type",
                switch (status) {
                    case 401 -> "authentication_error";
                    case 403 -> "permission_error";
                    case 404 -> "not_found_error";
                    case 429 -> "rate_limit_error";
                    default -> status >= 500 ? "api_error" : "invalid_request_error";
                });
        error.put("code", status);
        return error;
    }

    public static ProblemDetail of(HttpStatusCode status, String title, String detail, @Nullable String path) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        if (path != null) {
            problem.setInstance(URI.create(safePath(path)));
            if (path.startsWith(OPENAI_PREFIX)) {
                problem.setProperty("error", openAiError(status.value(), detail));
            }
        }
        decorate(problem);
        return problem;
    }

    /** Adds the correlation id so a user can quote it to support. */
    public static void decorate(ProblemDetail problem) {
        String requestId = MDC.get(REQUEST_ID);
        if (requestId != null) {
            problem.setProperty(REQUEST_ID, requestId);
        }
    }

    /** Writes a problem directly to a response, for filters that run before Spring MVC. */
    public static void write(
            HttpServletRequest request,
            HttpServletResponse response,
            HttpStatusCode status,
            String title,
            String detail)
            throws IOException {
        write(request, response, status, title, detail, Map.of());
    }

    /**
     * Writes an {@link ApiException} as a problem, with its field errors, properties and headers,
     * for code that answers outside Spring MVC (the proxy's own servlet).
     */
    public static void write(HttpServletRequest request, HttpServletResponse response, ApiException e)
            throws IOException {
        Map<String, Object> extra = new LinkedHashMap<>();
        if (!e.errors().isEmpty()) {
            extra.put(
                    "errors",
                    e.errors().stream()
                            .map(f -> Map.of("field", f.field(), "message", f.message()))
                            .toList());
        }
        extra.putAll(e.properties());
        e.headers().forEach(response::setHeader);
        write(request, response, e.status(), e.title(), e.getMessage(), extra);
    }

    private static void write(
            HttpServletRequest request,
            HttpServletResponse response,
            HttpStatusCode status,
            String title,
            String detail,
            Map<String, Object> extra)
            throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("instance", safePath(request.getRequestURI()));
        String requestId = MDC.get(REQUEST_ID);
        if (requestId != null) {
            body.put(REQUEST_ID, requestId);
        }
        body.putAll(extra);
        if (request.getRequestURI().startsWith(OPENAI_PREFIX)) {
            body.put("error", openAiError(status.value(), detail));
        }
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(Json.write(body));
    }

    private static String safePath(String path) {
        try {
            return URI.create(path).getRawPath() == null ? "/" : path;
        } catch (IllegalArgumentException e) {
            return "/";
        }
    }
}
