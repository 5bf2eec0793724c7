package dev.promptforge.server.ops;

import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every exception into RFC 9457 problem details with a sentence a person can act on. A
 * client's mistake is a 4xx; anything else is a 500 without internals, logged with its request id.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> handleApi(ApiException e, HttpServletRequest request) {
        ProblemDetail problem = Problems.of(e.status(), e.title(), e.getMessage(), request.getRequestURI());
        if (!e.errors().isEmpty()) {
            problem.setProperty(
                    "errors",
                    e.errors().stream()
                            .map(f -> Map.of("field", f.field(), "message", f.message()))
                            .toList());
        }
        e.properties().forEach(problem::setProperty);
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status());
        e.headers().forEach(response::header);
        return response.body(problem);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> handleTypeMismatch(
            MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        String expected = e.getRequiredType() == null ? "a valid value" : describe(e.getRequiredType());
        String detail = "Parameter '" + e.getName() + "' must be " + expected + ", got '"
                + abbreviate(String.valueOf(e.getValue())) + "'.";
        return ResponseEntity.badRequest()
                .body(Problems.of(HttpStatus.BAD_REQUEST, "Bad request", detail, request.getRequestURI()));
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> handleIntegrity(DataIntegrityViolationException e, HttpServletRequest request) {
        log.warn(
                "Integrity violation on {}: {}",
                request.getRequestURI(),
                e.getMostSpecificCause().getMessage());
        return ResponseEntity.status(HttpStatus.CONFLICT)
                .body(Problems.of(
                        HttpStatus.CONFLICT,
                        "Conflict",
                        "The change conflicts with the current state (a concurrent change or a duplicate);"
                                + " reload and try again.",
                        request.getRequestURI()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> handleUnexpected(Exception e, HttpServletRequest request) {
        log.error("Unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return ResponseEntity.internalServerError()
                .body(Problems.of(
                        HttpStatus.INTERNAL_SERVER_ERROR,
                        "Internal error",
                        "Something went wrong on the server; the error was logged with this request id.",
                        request.getRequestURI()));
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Throwable tooLarge = find(e, BodySizeLimitFilter.BodyTooLargeException.class);
        if (tooLarge != null) {
            ProblemDetail problem = Problems.of(
                    HttpStatus.CONTENT_TOO_LARGE, "Request body too large", tooLarge.getMessage(), path(request));
            return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(problem);
        }
        ProblemDetail problem =
                Problems.of(HttpStatus.BAD_REQUEST, "Malformed request body", readableMessage(e), path(request));
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(
            @Nullable Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem) {
            Problems.decorate(problem);
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    static String readableMessage(HttpMessageNotReadableException e) {
        UnrecognizedPropertyException unknown = find(e, UnrecognizedPropertyException.class);
        if (unknown != null) {
            String known = unknown.getKnownPropertyIds() == null
                    ? ""
                    : " Known fields: "
                            + unknown.getKnownPropertyIds().stream()
                                    .map(String::valueOf)
                                    .sorted()
                                    .collect(Collectors.joining(", "))
                            + ".";
            return "Unknown field '" + fieldPath(unknown) + "'." + known;
        }
        InvalidFormatException format = find(e, InvalidFormatException.class);
        if (format != null) {
            return "Field '" + fieldPath(format) + "' must be " + describe(format.getTargetType()) + ", got '"
                    + abbreviate(String.valueOf(format.getValue())) + "'.";
        }
        MismatchedInputException mismatch = find(e, MismatchedInputException.class);
        if (mismatch != null) {
            String field = fieldPath(mismatch);
            String target = mismatch.getTargetType() == null ? "a different type" : describe(mismatch.getTargetType());
            return field.isEmpty()
                    ? "The request body must be " + target + "."
                    : "Field '" + field + "' must be " + target + ".";
        }
        StreamReadException malformed = find(e, StreamReadException.class);
        if (malformed != null) {
            TokenStreamLocation at = malformed.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            String reason = malformed.getOriginalMessage() == null
                    ? ""
                    : ": "
                            + abbreviate(malformed
                                    .getOriginalMessage()
                                    .lines()
                                    .findFirst()
                                    .orElse(""));
            return "The request body is not valid JSON" + where + reason;
        }
        if (e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")) {
            return "A JSON request body is required.";
        }
        return "The request body could not be read as JSON.";
    }

    private static String fieldPath(JacksonException e) {
        StringBuilder path = new StringBuilder();
        List<JacksonException.Reference> references = e.getPath();
        for (JacksonException.Reference ref : references) {
            if (ref.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        if (type.isEnum()) {
            return "one of " + List.of(type.getEnumConstants());
        }
        return "a " + type.getSimpleName();
    }

    private static <T extends Throwable> @Nullable T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }

    private static @Nullable String path(WebRequest request) {
        return request instanceof ServletWebRequest servlet
                ? servlet.getRequest().getRequestURI()
                : null;
    }
}
