package dev.promptforge.server.gateway.provider;

import dev.promptforge.server.gateway.ProviderException;
import dev.promptforge.server.gateway.ProviderFailure;
import dev.promptforge.server.gateway.ProviderFailures;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One remote provider's HTTP side: a JSON {@code POST} to the upstream, its time limits, and the
 * classification of everything that can go wrong as a {@link ProviderException} whose message says
 * what happened and what to do, quoting the upstream's own error message when it sent one. The API
 * key is never part of a message: where the upstream echoes it, it is replaced by {@code ***}.
 *
 * <p>Time limits: a complete answer ({@link #post}) must arrive within the timeout, headers and
 * body together. A stream ({@link #stream}) must start within the timeout and then never fall silent
 * for longer than the timeout, however long it runs in total. Both are {@link
 * ProviderFailure.TimedOut}.
 *
 * <p>{@link ProviderFailure.Unavailable} carries status 0 when there was no HTTP error status: the
 * connection was refused or dropped, or a stream ended before its last event. An interrupted call
 * throws {@link CancellationException}, not a provider failure. (A blocked socket read notices the
 * interrupt at once on a virtual thread, where calls run; on a platform thread only at its timeout.)
 */
public final class UpstreamClient {

    /** Receives a stream's events in order; returns true for the event that ends the stream. */
    @FunctionalInterface
    public interface EventHandler {
        boolean onEvent(ServerSentEvents.Event event);
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_ANSWER_BYTES = 64 * 1024 * 1024;
    private static final int MAX_ERROR_BYTES = 64 * 1024;
    private static final int MAX_QUOTE_CHARS = 300;
    private static final Duration MAX_DRAIN = Duration.ofSeconds(1);

    private final String provider;
    private final String api;
    private final URI baseUrl;
    private final Http1Client.Origin origin;
    private final String basePath;
    private final String baseQuery;
    private final @Nullable String secret;
    private final Duration timeout;
    private final Http1Client http;

    /**
     * @param provider the provider's configured name, used in messages
     * @param api what the base URL should point at, for messages ({@code an OpenAI-compatible API})
     * @param baseUrl an absolute {@code http} or {@code https} URL; paths are appended to its path
     *     (a query it has stays at the end)
     * @param secret the API key, so it can be kept out of messages; null when there is none
     * @param timeout the time limit described above; positive
     */
    public UpstreamClient(
            String provider, String api, URI baseUrl, @Nullable String secret, Duration timeout, Http1Client http) {
        this.provider = provider;
        this.api = api;
        String scheme = baseUrl.getScheme();
        if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("The base URL of provider '" + provider + "' must be an http:// or"
                    + " https:// URL with a host, not '" + display(baseUrl) + "'.");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(
                    "The timeout of provider '" + provider + "' must be positive, not " + timeout + ".");
        }
        this.baseUrl = baseUrl;
        this.origin = Http1Client.Origin.of(baseUrl);
        String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.baseQuery = baseUrl.getRawQuery() == null ? "" : "?" + baseUrl.getRawQuery();
        this.secret = secret == null || secret.isBlank() ? null : secret;
        this.timeout = timeout;
        this.http = http;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Whether a non-blank API key was given. */
    public boolean hasSecret() {
        return secret != null;
    }

    /**
     * Posts a JSON body and returns the whole 2xx answer.
     *
     * @param model the requested model, named in the message of a 404
     * @throws ProviderException for an error status, a refused or dropped connection, or the timeout
     */
    public byte[] post(String path, Map<String, String> headers, byte[] body, String model) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Http1Client.Response response = send(path, headers, body, deadline)) {
            if (!isSuccess(response.status())) {
                throw statusFailure(response, deadline, model);
            }
            byte[] answer = readAll(response, deadline, MAX_ANSWER_BYTES);
            if (answer.length >= MAX_ANSWER_BYTES) {
                throw malformed("with a body larger than " + MAX_ANSWER_BYTES / (1024 * 1024) + " MB", null);
            }
            return answer;
        } catch (SocketTimeoutException e) {
            throw timedOut("did not finish its answer within " + human(timeout), e);
        } catch (IOException e) {
            throw bodyFailure(e, "closed the connection before its answer was complete");
        }
    }

    /**
     * Posts a JSON body that asks for a stream, and passes the 2xx answer's Server-Sent Events to
     * {@code handler} as they complete, on the calling thread. Returns once the handler has seen the
     * stream's last event and the body has ended (or has stayed silent for a moment after it).
     *
     * @param lastEvent names the event that ends the stream, for the message when it never comes
     * @throws ProviderException for an error status, a JSON answer where a stream was asked for, a
     *     refused or dropped connection, a stream that ends before its last event, or the timeout;
     *     and whatever the handler throws, after the upstream's body was cancelled
     */
    public void stream(
            String path,
            Map<String, String> headers,
            byte[] body,
            String model,
            String lastEvent,
            EventHandler handler) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean ended = false;
        try (Http1Client.Response response = send(path, headers, body, deadline)) {
            if (!isSuccess(response.status())) {
                throw statusFailure(response, deadline, model);
            }
            String contentType = response.headers().first("content-type");
            if (contentType != null && contentType.contains("json")) {
                String said = errorMessage(readQuietly(response, System.nanoTime() + timeout.toNanos()));
                throw malformed(
                        "with a JSON body where an event stream was asked for"
                                + (said == null ? "" : " (" + quote(said) + ")"),
                        null);
            }
            ServerSentEvents parser = new ServerSentEvents();
            byte[] buffer = new byte[8192];
            while (true) {
                int n;
                try {
                    // each read takes what has arrived, so events pass on as they come
                    n = response.read(
                            buffer,
                            0,
                            buffer.length,
                            System.nanoTime() + (ended ? min(timeout, MAX_DRAIN) : timeout).toNanos());
                } catch (SocketTimeoutException e) {
                    if (ended) {
                        return;
                    }
                    throw timedOut("sent nothing for " + human(timeout) + " in the middle of a stream", e);
                } catch (IOException e) {
                    if (ended && !Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    throw bodyFailure(e, "dropped the connection in the middle of a stream");
                }
                List<ServerSentEvents.Event> events;
                try {
                    events = n < 0 ? parser.finish() : parser.feed(ByteBuffer.wrap(buffer, 0, n));
                } catch (IllegalStateException e) {
                    throw malformed("with " + e.getMessage() + " in its stream", e);
                }
                for (ServerSentEvents.Event event : events) {
                    if (!ended) {
                        ended = handler.onEvent(event);
                    }
                }
                if (n < 0) {
                    break;
                }
            }
        }
        if (!ended) {
            throw unavailable(
                    "ended the stream before " + lastEvent + ", so the answer may be incomplete", "Try again.", null);
        }
    }

    /**
     * The failure for an error status, from the upstream's headers and its error message: a response
     * status, or an error the upstream reported inside a 2xx answer or a stream.
     */
    public ProviderException failure(
            int status,
            @Nullable String retryAfter,
            @Nullable String retryAfterMs,
            @Nullable String upstreamMessage,
            String model) {
        ProviderFailure failure = ProviderFailures.fromStatus(status, retryAfter, retryAfterMs);
        String said = "HTTP " + status + (upstreamMessage == null ? "" : ": " + quote(upstreamMessage));
        String message = switch (failure) {
            case ProviderFailure.RateLimited r ->
                sentence(
                        "is rate limiting requests (" + said + ")",
                        r.retryAfter() == null
                                ? "Retry later, or lower the request rate."
                                : "Retry after " + human(r.retryAfter()) + ", or lower the request rate.");
            case ProviderFailure.AuthFailed a ->
                secret == null
                        ? sentence(
                                "refused a request without an API key (" + said + ")", "Configure an API key for it.")
                        : sentence(
                                "refused the API key (" + said + ")",
                                "Check its API key and what that key may access.");
            case ProviderFailure.ModelNotFound m ->
                sentence(
                        "does not know model '" + model + "' (" + said + ")",
                        "Use a model it serves, and check that its base URL " + display(baseUrl) + " is right.");
            case ProviderFailure.BadRequest b ->
                sentence(
                        "refused the request as invalid (" + said + ")",
                        "Fix what it names: a parameter, a message or the model.");
            case ProviderFailure.Unavailable u ->
                sentence("is unavailable (" + said + ")", "Try again later, or configure a fallback.");
            case ProviderFailure.TimedOut t -> sentence("gave up waiting for the request (" + said + ")", "Try again.");
            case ProviderFailure.Malformed m ->
                sentence("answered with an unexpected status (" + said + ")", "Try again.");
        };
        return new ProviderException(failure, message);
    }

    /**
     * An answer that is not the provider's format: {@code problem} completes "Provider 'x' answered
     * …", e.g. {@code "with a body that is not JSON"}.
     */
    public ProviderException malformed(String problem, @Nullable Throwable cause) {
        String message = sentence(
                "answered " + problem, "Check that its base URL " + display(baseUrl) + " points at " + api + ".");
        return cause == null
                ? new ProviderException(new ProviderFailure.Malformed(), message)
                : new ProviderException(new ProviderFailure.Malformed(), message, cause);
    }

    /**
     * A request this provider cannot translate, refused before anything is sent: a {@link
     * ProviderFailure.BadRequest} with status 400. {@code what} completes "Provider 'x' cannot …".
     */
    public ProviderException untranslatable(String what, String advice) {
        return new ProviderException(
                new ProviderFailure.BadRequest(400), "Provider '" + provider + "' cannot " + what + ". " + advice);
    }

    /** The start of a body, for a message: tags and line breaks removed, cut short, the key hidden. */
    public String quote(String text) {
        String plain = text.stripLeading().startsWith("<") ? text.replaceAll("<[^>]*>", " ") : text;
        plain = plain.replaceAll("\\s+", " ").strip();
        if (secret != null) {
            plain = plain.replace(secret, "***");
        }
        return plain.length() <= MAX_QUOTE_CHARS ? plain : plain.substring(0, MAX_QUOTE_CHARS) + "…";
    }

    /**
     * The error message in an upstream's body: {@code error.message} (OpenAI, Anthropic), a string
     * {@code error} (Ollama), a top-level {@code message} (vLLM) or {@code detail}; the text itself
     * when the body is not JSON; null when the body is empty.
     */
    public static @Nullable String upstreamMessage(byte[] body) {
        String message = errorMessage(body);
        if (message != null) {
            return message;
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? null : text;
    }

    /** The error message of a JSON error body, as {@link #upstreamMessage}; null for any other body. */
    private static @Nullable String errorMessage(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            JsonNode error = node.path("error");
            if (error.path("message").isString()) {
                return error.path("message").stringValue();
            }
            if (error.isString()) {
                return error.stringValue();
            }
            if (node.path("message").isString()) {
                return node.path("message").stringValue();
            }
            if (node.path("detail").isString()) {
                return node.path("detail").stringValue();
            }
        } catch (JacksonException e) {
            // not JSON: a proxy's error page or plain text
        }
        return null;
    }

    /**
     * The HTTP status an error type stands for, for errors reported without a status (inside a
     * stream): Anthropic's types and OpenAI's; 500 for any other.
     */
    public static int statusOf(@Nullable String errorType) {
        return switch (errorType == null ? "" : errorType) {
            case "invalid_request_error" -> 400;
            case "authentication_error", "invalid_api_key" -> 401;
            case "permission_error", "permission_denied" -> 403;
            case "not_found_error", "model_not_found" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error", "rate_limit_exceeded", "insufficient_quota" -> 429;
            case "overloaded_error" -> 529;
            default -> 500;
        };
    }

    /** Sends the request; returns once the response's headers have arrived. */
    private Http1Client.Response send(String path, Map<String, String> headers, byte[] body, long deadline) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Content-Type", "application/json");
        all.put("User-Agent", "PromptForge");
        all.putAll(headers);
        try {
            return http.post(origin, basePath + path + baseQuery, all, body, deadline);
        } catch (SocketTimeoutException e) {
            throw timedOut("did not answer within " + human(timeout), e);
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw interrupted(e);
            }
            throw transportFailure(e);
        }
    }

    /** A failure while reading a body after its headers arrived: interrupted, malformed or dropped. */
    private RuntimeException bodyFailure(IOException e, String dropped) {
        if (Thread.currentThread().isInterrupted()) {
            return interrupted(e);
        }
        if (e instanceof ProtocolException) {
            return malformed("with an invalid HTTP body (" + e.getMessage() + ")", e);
        }
        return unavailable(dropped, "Try again.", e);
    }

    private ProviderException statusFailure(Http1Client.Response response, long deadline, String model) {
        byte[] body = readQuietly(response, deadline);
        return failure(
                response.status(),
                response.headers().first("retry-after"),
                response.headers().first("retry-after-ms"),
                upstreamMessage(body),
                model);
    }

    private ProviderException transportFailure(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof ConnectException
                    || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException) {
                return new ProviderException(
                        new ProviderFailure.Unavailable(0),
                        "Cannot connect to provider '" + provider + "' at " + display(baseUrl) + " (" + reason(t)
                                + "). Check its base URL and that the server is running.",
                        thrown);
            }
            if (t instanceof ProtocolException) {
                return malformed("with something that is not an HTTP/1.1 response (" + t.getMessage() + ")", thrown);
            }
            if (t instanceof SSLException) {
                return new ProviderException(
                        new ProviderFailure.Unavailable(0),
                        "Cannot set up TLS with provider '" + provider + "' at " + display(baseUrl)
                                + ". Check its base URL and the server's certificate.",
                        thrown);
            }
        }
        return unavailable("closed the connection before answering", "Try again.", thrown);
    }

    private static String reason(Throwable t) {
        if (t instanceof UnknownHostException) {
            return "unknown host";
        }
        if (t instanceof NoRouteToHostException) {
            return "no route to host";
        }
        return "connection refused";
    }

    private ProviderException timedOut(String what, Throwable cause) {
        return new ProviderException(
                new ProviderFailure.TimedOut(timeout), sentence(what, "Try again, or raise its timeout."), cause);
    }

    private ProviderException unavailable(String what, String advice, @Nullable Throwable cause) {
        String message = sentence(what, advice);
        return cause == null
                ? new ProviderException(new ProviderFailure.Unavailable(0), message)
                : new ProviderException(new ProviderFailure.Unavailable(0), message, cause);
    }

    private CancellationException interrupted(Throwable e) {
        Thread.currentThread().interrupt();
        CancellationException cancelled =
                new CancellationException("The call to provider '" + provider + "' was interrupted.");
        cancelled.initCause(e);
        return cancelled;
    }

    private String sentence(String what, String advice) {
        return "Provider '" + provider + "' " + what + ". " + advice;
    }

    private static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The start of an error body, what arrives of it before the deadline; empty when none does. */
    private static byte[] readQuietly(Http1Client.Response response, long deadline) {
        try {
            return readAll(response, deadline, MAX_ERROR_BYTES);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /**
     * Reads until the end of the body, or until {@code limit} bytes (then stops reading: the caller
     * closes the response, which closes the connection).
     */
    private static byte[] readAll(Http1Client.Response response, long deadline, int limit) throws IOException {
        long length = response.contentLength();
        if (length >= 0 && length < limit) {
            byte[] body = new byte[(int) length];
            int read = 0;
            while (read < body.length) {
                int n = response.read(body, read, body.length - read, deadline);
                if (n < 0) {
                    throw new EOFException("the body ended before its Content-Length");
                }
                read += n;
            }
            return body;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while (out.size() < limit
                && (n = response.read(buffer, 0, Math.min(buffer.length, limit - out.size()), deadline)) >= 0) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** Human durations for messages: {@code 250ms}, {@code 2s}, {@code 1.5s}. */
    static String human(Duration duration) {
        long ms = duration.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        return BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + "s";
    }

    /** The URL without user info, query or fragment, for messages. */
    static String display(URI url) {
        try {
            return new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(), null, null).toString();
        } catch (URISyntaxException e) {
            return String.valueOf(url.getScheme()) + "://" + url.getHost();
        }
    }
}
