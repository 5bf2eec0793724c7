package dev.promptforge.server.shared;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A client-facing error, rendered as RFC 9457 problem details by the web layer. The detail is a
 * sentence a person can act on; {@code errors} lists per-field problems when there are several.
 */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final HttpStatus status;
    private final String title;
    private final transient List<FieldError> errors;
    private final transient Map<String, String> headers = new LinkedHashMap<>();
    private final transient Map<String, Object> properties = new LinkedHashMap<>();

    public ApiException(HttpStatus status, String title, String detail) {
        this(status, title, detail, List.of());
    }

    public ApiException(HttpStatus status, String title, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** Adds a response header (e.g. {@code Retry-After}). */
    public ApiException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Adds a property to the problem body (e.g. the {@code recordId} of a failed execution). */
    public ApiException withProperty(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }

    public Map<String, Object> properties() {
        return Map.copyOf(properties);
    }

    /** One invalid field of a request body. */
    public record FieldError(String field, String message) {}

    public static ApiException notFound(String detail) {
        return new ApiException(HttpStatus.NOT_FOUND, "Not found", detail);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(HttpStatus.CONFLICT, "Conflict", detail);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, "Bad request", detail);
    }

    public static ApiException unprocessable(String detail) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Unprocessable request", detail);
    }

    public static ApiException invalid(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.getFirst().field() + ": " + errors.getFirst().message()
                : "The request has " + errors.size() + " invalid fields: "
                        + String.join(
                                "; ",
                                errors.stream()
                                        .map(e -> e.field() + ": " + e.message())
                                        .toList());
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid request", detail, errors);
    }
}
