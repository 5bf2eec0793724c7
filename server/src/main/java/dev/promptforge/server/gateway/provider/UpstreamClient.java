package dev.promptforge.server.gateway.provider;

import dev.promptforge.server.gateway.ProviderException;
import dev.promptforge.server.gateway.ProviderFailure;
import dev.promptforge.server.gateway.ProviderFailures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * throws {@link CancellationException}, not a provider failure.
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
    private final @Nullable String secret;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param provider the provider's configured name, used in messages
     * @param api what the base URL should point at, for messages ({@code an OpenAI-compatible API})
     * @param baseUrl an absolute {@code http} or {@code https} URL; paths are appended to it
     * @param secret the API key, so it can be kept out of messages; null when there is none
     * @param timeout the time limit described above; positive
     */
    public UpstreamClient(
            String provider, String api, URI baseUrl, @Nullable String secret, Duration timeout, HttpClient http) {
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
        HttpResponse<BodyQueue> response = send(path, headers, body);
        if (!isSuccess(response.statusCode())) {
            throw statusFailure(response, deadline, model);
        }
        BodyQueue queue = response.body();
        try {
            byte[] answer = readAll(queue, deadline, MAX_ANSWER_BYTES);
            if (answer.length >= MAX_ANSWER_BYTES) {
                queue.cancel();
                throw malformed("with a body larger than " + MAX_ANSWER_BYTES / (1024 * 1024) + " MB", null);
            }
            return answer;
        } catch (TimeoutException e) {
            queue.cancel();
            throw timedOut("did not finish its answer within " + human(timeout), e);
        } catch (IOException e) {
            throw unavailable("closed the connection before its answer was complete", "Try again.", e);
        } catch (InterruptedException e) {
            queue.cancel();
            throw interrupted(e);
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
        HttpResponse<BodyQueue> response = send(path, headers, body);
        BodyQueue queue = response.body();
        if (!isSuccess(response.statusCode())) {
            throw statusFailure(response, System.nanoTime() + timeout.toNanos(), model);
        }
        String contentType = response.headers().firstValue("content-type").orElse("");
        if (contentType.contains("json")) {
            String said = errorMessage(readQuietly(queue, System.nanoTime() + timeout.toNanos()));
            throw malformed(
                    "with a JSON body where an event stream was asked for"
                            + (said == null ? "" : " (" + quote(said) + ")"),
                    null);
        }
        ServerSentEvents parser = new ServerSentEvents();
        boolean ended = false;
        try {
            while (true) {
                List<ByteBuffer> buffers;
                try {
                    buffers = queue.next((ended ? min(timeout, MAX_DRAIN) : timeout).toNanos());
                } catch (TimeoutException e) {
                    queue.cancel();
                    if (ended) {
                        return;
                    }
                    throw timedOut("sent nothing for " + human(timeout) + " in the middle of a stream", e);
                } catch (IOException e) {
                    if (ended) {
                        return;
                    }
                    throw unavailable("dropped the connection in the middle of a stream", "Try again.", e);
                }
                List<ServerSentEvents.Event> events = new ArrayList<>();
                try {
                    if (buffers == null) {
                        events.addAll(parser.finish());
                    } else {
                        for (ByteBuffer buffer : buffers) {
                            events.addAll(parser.feed(buffer));
                        }
                    }
                } catch (IllegalStateException e) {
                    throw malformed("with " + e.getMessage() + " in its stream", e);
                }
                for (ServerSentEvents.Event event : events) {
                    if (!ended) {
                        ended = handler.onEvent(event);
                    }
                }
                if (buffers == null) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            queue.cancel();
            throw interrupted(e);
        } catch (RuntimeException e) {
            queue.cancel();
            throw e;
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

    private HttpResponse<BodyQueue> send(String path, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(resolve(path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "PromptForge")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if ("http".equalsIgnoreCase(baseUrl.getScheme())) {
            request.version(HttpClient.Version.HTTP_1_1);
        }
        headers.forEach(request::header);
        CompletableFuture<HttpResponse<BodyQueue>> response = http.sendAsync(request.build(), info -> new BodyQueue());
        try {
            return response.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            response.cancel(true);
            throw timedOut("did not answer within " + human(timeout), e);
        } catch (ExecutionException e) {
            throw transportFailure(e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            response.cancel(true);
            throw interrupted(e);
        }
    }

    private URI resolve(String path) {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    private ProviderException statusFailure(HttpResponse<BodyQueue> response, long deadline, String model) {
        byte[] body = readQuietly(response.body(), deadline);
        return failure(
                response.statusCode(),
                response.headers().firstValue("retry-after").orElse(null),
                response.headers().firstValue("retry-after-ms").orElse(null),
                upstreamMessage(body),
                model);
    }

    private ProviderException transportFailure(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof HttpTimeoutException) {
                return timedOut("did not answer within " + human(timeout), thrown);
            }
            if (t instanceof ConnectException
                    || t instanceof UnresolvedAddressException
                    || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException) {
                return new ProviderException(
                        new ProviderFailure.Unavailable(0),
                        "Cannot connect to provider '" + provider + "' at " + display(baseUrl) + " (" + reason(t)
                                + "). Check its base URL and that the server is running.",
                        thrown);
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
        if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
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

    private CancellationException interrupted(InterruptedException e) {
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

    private static byte[] readQuietly(BodyQueue queue, long deadline) {
        try {
            byte[] body = readAll(queue, deadline, MAX_ERROR_BYTES);
            if (body.length >= MAX_ERROR_BYTES) {
                queue.cancel();
            }
            return body;
        } catch (TimeoutException | IOException e) {
            queue.cancel();
            return new byte[0];
        } catch (InterruptedException e) {
            queue.cancel();
            Thread.currentThread().interrupt();
            return new byte[0];
        }
    }

    /** Reads until the end of the body, or until {@code limit} bytes (then stops reading). */
    private static byte[] readAll(BodyQueue queue, long deadline, int limit)
            throws TimeoutException, IOException, InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < limit) {
            List<ByteBuffer> buffers = queue.next(Math.max(0, deadline - System.nanoTime()));
            if (buffers == null) {
                break;
            }
            for (ByteBuffer buffer : buffers) {
                int n = Math.min(buffer.remaining(), limit - out.size());
                byte[] bytes = new byte[n];
                buffer.get(bytes);
                out.write(bytes, 0, n);
            }
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

    /**
     * A response body read on demand: the HTTP client pushes buffers one at a time into a queue and
     * the caller takes them with its own time limit, so a silent upstream cannot block it forever.
     */
    private static final class BodyQueue implements HttpResponse.BodySubscriber<BodyQueue> {

        private static final Object END = new Object();

        private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
        private volatile Flow.@Nullable Subscription subscription;
        private volatile boolean cancelled;

        @Override
        public CompletionStage<BodyQueue> getBody() {
            return CompletableFuture.completedStage(this);
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (cancelled) {
                s.cancel();
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            items.add(item);
        }

        @Override
        public void onError(Throwable throwable) {
            items.add(throwable);
        }

        @Override
        public void onComplete() {
            items.add(END);
        }

        /** The next buffers, or null at the end of the body. */
        @Nullable
        List<ByteBuffer> next(long timeoutNanos) throws InterruptedException, TimeoutException, IOException {
            Object item = items.poll(timeoutNanos, TimeUnit.NANOSECONDS);
            if (item == null) {
                throw new TimeoutException();
            }
            if (item == END) {
                items.add(END);
                return null;
            }
            if (item instanceof Throwable t) {
                items.add(t);
                throw t instanceof IOException io ? io : new IOException(t);
            }
            Flow.Subscription s = subscription;
            if (s != null) {
                s.request(1);
            }
            @SuppressWarnings("unchecked")
            List<ByteBuffer> buffers = (List<ByteBuffer>) item;
            return buffers;
        }

        void cancel() {
            cancelled = true;
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }
}
