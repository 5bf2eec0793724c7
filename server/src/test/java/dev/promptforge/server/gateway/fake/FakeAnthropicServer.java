package dev.promptforge.server.gateway.fake;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A fake Anthropic Messages API server on loopback, speaking the real wire format. Script it per
 * test with {@link #enqueue}; the static methods build replies in Anthropic's format:
 *
 * <pre>{@code
 * try (var server = FakeAnthropicServer.start()) {
 *     server.enqueue(FakeAnthropicServer.answer("Hello"));                         // a message
 *     server.enqueue(FakeAnthropicServer.streamedAnswer("Hel", "lo").splitEvery(5)); // the event stream
 *     server.enqueue(FakeAnthropicServer.error(529, "Overloaded"));
 *     var provider = new AnthropicProvider("anthropic", server.baseUrl(), "key", timeout, List.of(), http);
 *     ...
 *     assertThat(server.lastRequest().header("x-api-key")).isEqualTo("key");
 * }
 * }</pre>
 *
 * With nothing enqueued it answers {@code POST /v1/messages} by echoing the last user message
 * (as an event stream when {@code "stream": true}), and refuses, as Anthropic does, a request
 * without the {@code anthropic-version} header, {@code model}, {@code max_tokens} or {@code
 * messages}, so integration and load tests can use it without a script. {@link #requireApiKey} and
 * {@link #serveModels} make that default answer refuse a wrong key (401) or an unknown model (404)
 * in Anthropic's words.
 */
public final class FakeAnthropicServer implements AutoCloseable {

    /** The model the reply builders name when none is given. */
    public static final String MODEL = "claude-3-5-haiku-latest";

    private final FakeHttpServer server = new FakeHttpServer("fake-anthropic", this::echo);
    private volatile @Nullable String requiredKey;
    private volatile List<String> models = List.of();

    private FakeAnthropicServer() {}

    public static FakeAnthropicServer start() {
        return new FakeAnthropicServer();
    }

    /** {@code http://127.0.0.1:<port>}, the base URL to give the provider (it adds {@code /v1/messages}). */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** Replies to the next requests, in order, whatever they ask. */
    public FakeAnthropicServer enqueue(FakeReply... replies) {
        for (FakeReply reply : replies) {
            server.enqueue(reply);
        }
        return this;
    }

    /** Unscripted requests must carry {@code x-api-key: <key>}, else they get a 401. */
    public FakeAnthropicServer requireApiKey(String key) {
        this.requiredKey = key;
        return this;
    }

    /** Unscripted requests for any other model get a 404 {@code not_found_error}. */
    public FakeAnthropicServer serveModels(String... names) {
        this.models = List.of(names);
        return this;
    }

    /** Every request received so far, in order. */
    public List<RecordedRequest> requests() {
        return server.requests();
    }

    public RecordedRequest lastRequest() {
        List<RecordedRequest> requests = server.requests();
        if (requests.isEmpty()) {
            throw new AssertionError("the fake Anthropic server received no request");
        }
        return requests.get(requests.size() - 1);
    }

    @Override
    public void close() {
        server.close();
    }

    /** A 200 {@code message} with one text block, stop reason {@code end_turn} and usage. */
    public static FakeReply answer(String text) {
        return FakeReply.json(200, messageJson(MODEL, List.of(text), "end_turn", 10, FakeOpenAiServer.tokens(text)));
    }

    /** A {@code message} body with these text blocks; usage is left out when both counts are null. */
    public static String messageJson(
            String model,
            List<String> textBlocks,
            @Nullable String stopReason,
            @Nullable Integer inputTokens,
            @Nullable Integer outputTokens) {
        Map<String, Object> message = message(model, stopReason);
        message.put(
                "content",
                textBlocks.stream().map(FakeAnthropicServer::textBlock).toList());
        if (inputTokens != null || outputTokens != null) {
            message.put("usage", usage(inputTokens, outputTokens));
        }
        return FakeHttpServer.JSON.writeValueAsString(message);
    }

    /** A 200 event stream of these text deltas, stop reason {@code end_turn}, with usage. */
    public static FakeReply streamedAnswer(String... deltas) {
        String text = String.join("", deltas);
        return FakeReply.sse(eventStream(MODEL, List.of(deltas), "end_turn", 10, FakeOpenAiServer.tokens(text)));
    }

    /**
     * The event stream of an answer, exactly as Anthropic sends it: {@code message_start} (with the
     * input tokens), {@code content_block_start}, a {@code ping}, one {@code content_block_delta}
     * per delta, {@code content_block_stop}, {@code message_delta} (stop reason, output tokens) and
     * {@code message_stop}.
     */
    public static String eventStream(
            String model, List<String> deltas, String stopReason, int inputTokens, int outputTokens) {
        Map<String, Object> start = message(model, null);
        start.put("content", List.of());
        start.put("usage", usage(inputTokens, 1));
        StringBuilder stream = new StringBuilder();
        stream.append(event("message_start", Map.of("type", "message_start", "message", start)));
        stream.append(event(
                "content_block_start",
                Map.of("type", "content_block_start", "index", 0, "content_block", textBlock(""))));
        stream.append(event("ping", Map.of("type", "ping")));
        for (String delta : deltas) {
            stream.append(event(
                    "content_block_delta",
                    Map.of(
                            "type",
                            "content_block_delta",
                            "index",
                            0,
                            "delta",
                            Map.of("type", "text_delta", "text", delta))));
        }
        stream.append(event("content_block_stop", Map.of("type", "content_block_stop", "index", 0)));
        Map<String, Object> delta = new LinkedHashMap<>();
        delta.put("stop_reason", stopReason);
        delta.put("stop_sequence", null);
        stream.append(event(
                "message_delta",
                Map.of("type", "message_delta", "delta", delta, "usage", Map.of("output_tokens", outputTokens))));
        stream.append(event("message_stop", Map.of("type", "message_stop")));
        return stream.toString();
    }

    /** {@code event: <type>}, {@code data: <json>} and the blank line that ends the event. */
    public static String event(String type, Object data) {
        String json = data instanceof String s ? s : FakeHttpServer.JSON.writeValueAsString(data);
        return "event: " + type + "\ndata: " + json + "\n\n";
    }

    /** An {@code error} event as Anthropic sends inside a stream, e.g. {@code overloaded_error}. */
    public static String errorEvent(String errorType, String message) {
        return event("error", errorJson(errorType, message));
    }

    /** An error answer in Anthropic's format: {@code {"type":"error","error":{"type","message"}}}. */
    public static FakeReply error(int status, String message) {
        return FakeReply.json(status, errorJson(errorType(status), message));
    }

    /** Anthropic's error type for a status ({@code overloaded_error} for 529 …). */
    public static String errorType(int status) {
        return switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            default -> "api_error";
        };
    }

    private static String errorJson(String errorType, String message) {
        return FakeHttpServer.JSON.writeValueAsString(
                Map.of("type", "error", "error", Map.of("type", errorType, "message", message)));
    }

    private static Map<String, Object> message(String model, @Nullable String stopReason) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", "msg_fake");
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", model);
        message.put("content", List.of());
        message.put("stop_reason", stopReason);
        message.put("stop_sequence", null);
        return message;
    }

    private static Map<String, Object> textBlock(String text) {
        return Map.of("type", "text", "text", text);
    }

    private static Map<String, Object> usage(@Nullable Integer inputTokens, @Nullable Integer outputTokens) {
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("input_tokens", inputTokens == null ? 0 : inputTokens);
        usage.put("output_tokens", outputTokens == null ? 0 : outputTokens);
        return usage;
    }

    private FakeReply echo(RecordedRequest request) {
        if (!request.method().equals("POST") || !request.path().equals("/v1/messages")) {
            return error(404, "Not found: " + request.method() + " " + request.path());
        }
        String key = requiredKey;
        if (key != null && request.header("x-api-key") == null) {
            return error(401, "x-api-key header is required");
        }
        if (key != null && !key.equals(request.header("x-api-key"))) {
            return error(401, "invalid x-api-key");
        }
        if (request.header("anthropic-version") == null) {
            return error(400, "anthropic-version: header is required");
        }
        Map<String, Object> json = request.json();
        if (json == null) {
            return error(400, "There was an issue with the request body: it is not a JSON object");
        }
        if (!(json.get("model") instanceof String model)) {
            return error(400, "model: Field required");
        }
        if (!models.isEmpty() && !models.contains(model)) {
            return error(404, "model: " + model);
        }
        if (!(json.get("max_tokens") instanceof Integer)) {
            return error(400, "max_tokens: Field required");
        }
        if (!(json.get("messages") instanceof List<?> messages) || messages.isEmpty()) {
            return error(400, "messages: at least one message is required");
        }
        String text = "";
        int input = json.get("system") instanceof String system ? FakeOpenAiServer.tokens(system) : 0;
        for (Object message : messages) {
            if (message instanceof Map<?, ?> map) {
                String content = FakeOpenAiServer.text(map.get("content"));
                input += FakeOpenAiServer.tokens(content);
                if ("user".equals(map.get("role"))) {
                    text = content;
                }
            }
        }
        int output = FakeOpenAiServer.tokens(text);
        if (Boolean.TRUE.equals(json.get("stream"))) {
            return FakeReply.sse(eventStream(model, FakeOpenAiServer.words(text), "end_turn", input, output));
        }
        return FakeReply.json(200, messageJson(model, List.of(text), "end_turn", input, output));
    }
}
