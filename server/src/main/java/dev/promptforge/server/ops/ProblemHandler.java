package dev.promptforge.server.ops;

import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.BodyTooLargeException;
import dev.promptforge.server.shared.Problems;
import dev.promptforge.server.shared.RequestBodyErrors;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
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
        String expected =
                e.getRequiredType() == null ? "a valid value" : RequestBodyErrors.typeName(e.getRequiredType());
        String detail = "Parameter '" + e.getName() + "' must be " + expected + ", got '"
                + RequestBodyErrors.abbreviate(String.valueOf(e.getValue())) + "'.";
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
        Throwable tooLarge = RequestBodyErrors.find(e, BodyTooLargeException.class);
        if (tooLarge != null) {
            ProblemDetail problem = Problems.of(
                    HttpStatus.CONTENT_TOO_LARGE, "Request body too large", tooLarge.getMessage(), path(request));
            return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(problem);
        }
        ProblemDetail problem = Problems.of(
                HttpStatus.BAD_REQUEST, "Malformed request body", RequestBodyErrors.describe(e), path(request));
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

    private static @Nullable String path(WebRequest request) {
        return request instanceof ServletWebRequest servlet
                ? servlet.getRequest().getRequestURI()
                : null;
    }
}
