package dev.promptforge.server.gateway.fake;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A fake OpenAI Chat Completions server on loopback, speaking the real wire format. Script it per
 * test with {@link #enqueue}; the static methods build replies in OpenAI's format:
 *
 * <pre>{@code
 * try (var server = FakeOpenAiServer.start()) {
 *     server.enqueue(FakeOpenAiServer.answer("Hello"));                       // a chat.completion
 *     server.enqueue(FakeOpenAiServer.streamedAnswer("Hel", "lo").splitEvery(7)); // SSE, awkward pieces
 *     server.enqueue(FakeOpenAiServer.error(429, "Slow down").header("Retry-After", "2"));
 *     server.enqueue(FakeReply.drop());
 *     var provider = new OpenAiProvider("openai", server.baseUrl(), "sk-test", timeout, List.of(), http);
 *     ...
 *     assertThat(server.lastRequest().jsonBody()).containsEntry("model", "gpt-4o-mini");
 * }
 * }</pre>
 *
 * With nothing enqueued it answers {@code POST …/chat/completions} by echoing the last user message
 * (streamed word by word when {@code "stream": true}, with a usage chunk when {@code
 * stream_options.include_usage}), and refuses a body without {@code model} or {@code messages} with
 * a 400 as OpenAI does, so integration and load tests can use it without a script. {@link
 * #requireApiKey} and {@link #serveModels} make that default answer refuse a wrong key (401) or an
 * unknown model (404) in OpenAI's words.
 *
 * <p>Unscripted {@code POST …/embeddings} gets a deterministic bag-of-words vector of {@value
 * #DIMENSIONS} numbers (lower-cased words hashed into buckets, so texts with the same words have a
 * cosine of 1 and texts without a common word 0), and {@code POST …/moderations} flags {@code
 * violence} when the input has one of the words {@link #VIOLENT_WORDS}, in OpenAI's formats.
 */
public final class FakeOpenAiServer implements AutoCloseable {

    /** The model the reply builders name when none is given. */
    public static final String MODEL = "gpt-4o-mini";

    /** The size of the default embeddings. */
    public static final int DIMENSIONS = 64;

    /** Words that make the default moderation answer flag {@code violence}. */
    public static final List<String> VIOLENT_WORDS = List.of("attack", "kill", "hurt");

    private static final List<String> MODERATION_CATEGORIES =
            List.of("harassment", "hate", "self-harm", "sexual", "violence");

    private final FakeHttpServer server = new FakeHttpServer("fake-openai", this::echo);
    private volatile @Nullable String requiredKey;
    private volatile List<String> models = List.of();

    private FakeOpenAiServer() {}

    public static FakeOpenAiServer start() {
        return new FakeOpenAiServer();
    }

    /** {@code http://127.0.0.1:<port>/v1}, the base URL to give the provider. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.port() + "/v1");
    }

    /** Replies to the next requests, in order, whatever they ask. */
    public FakeOpenAiServer enqueue(FakeReply... replies) {
        for (FakeReply reply : replies) {
            server.enqueue(reply);
        }
        return this;
    }

    /** Unscripted requests must carry {@code Authorization: Bearer <key>}, else they get a 401. */
    public FakeOpenAiServer requireApiKey(String key) {
        this.requiredKey = key;
        return this;
    }

    /** Unscripted requests for any other model get a 404 {@code model_not_found}. */
    public FakeOpenAiServer serveModels(String... names) {
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
            throw new AssertionError("the fake OpenAI server received no request");
        }
        return requests.get(requests.size() - 1);
    }

    @Override
    public void close() {
        server.close();
    }

    /** A 200 {@code chat.completion} with this text, finish reason {@code stop} and usage. */
    public static FakeReply answer(String text) {
        return FakeReply.json(200, completionJson(MODEL, text, "stop", 10, tokens(text)));
    }

    /** A {@code chat.completion} body; usage is left out when both counts are null. */
    public static String completionJson(
            String model,
            String text,
            @Nullable String finishReason,
            @Nullable Integer promptTokens,
            @Nullable Integer completionTokens) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "assistant");
        message.put("content", text);
        message.put("refusal", null);
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("message", message);
        choice.put("logprobs", null);
        choice.put("finish_reason", finishReason);
        Map<String, Object> completion = new LinkedHashMap<>();
        completion.put("id", "chatcmpl-fake");
        completion.put("object", "chat.completion");
        completion.put("created", 1_700_000_000);
        completion.put("model", model);
        completion.put("choices", List.of(choice));
        if (promptTokens != null || completionTokens != null) {
            completion.put("usage", usage(promptTokens, completionTokens));
        }
        completion.put("system_fingerprint", "fp_fake");
        return FakeHttpServer.JSON.writeValueAsString(completion);
    }

    /**
     * A 200 event stream: a role chunk, one chunk per delta, a finish chunk ({@code stop}), a usage
     * chunk, then {@code data: [DONE]}. Split it with {@link FakeReply#splitEvery} or {@link
     * FakeReply#splitAt}.
     */
    public static FakeReply streamedAnswer(String... deltas) {
        String text = String.join("", deltas);
        return FakeReply.sse(eventStream(MODEL, List.of(deltas), "stop", 10, tokens(text)));
    }

    /**
     * The event stream of an answer, exactly as OpenAI sends it; the usage chunk is left out when both
     * counts are null. Each event is {@code data: <json>} followed by a blank line.
     */
    public static String eventStream(
            String model,
            List<String> deltas,
            @Nullable String finishReason,
            @Nullable Integer promptTokens,
            @Nullable Integer completionTokens) {
        StringBuilder stream = new StringBuilder();
        stream.append(data(chunkJson(model, "assistant", "", null)));
        for (String delta : deltas) {
            stream.append(data(chunkJson(model, null, delta, null)));
        }
        stream.append(data(chunkJson(model, null, null, finishReason)));
        if (promptTokens != null || completionTokens != null) {
            stream.append(data(usageChunkJson(model, promptTokens, completionTokens)));
        }
        stream.append(data("[DONE]"));
        return stream.toString();
    }

    /** One {@code chat.completion.chunk} with a single choice; null fields are left out of the delta. */
    public static String chunkJson(
            String model, @Nullable String role, @Nullable String content, @Nullable String finishReason) {
        Map<String, Object> delta = new LinkedHashMap<>();
        if (role != null) {
            delta.put("role", role);
        }
        if (content != null) {
            delta.put("content", content);
        }
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("delta", delta);
        choice.put("logprobs", null);
        choice.put("finish_reason", finishReason);
        return FakeHttpServer.JSON.writeValueAsString(chunk(model, List.of(choice)));
    }

    /** The last chunk of a stream asked for with {@code include_usage}: no choices, the usage. */
    public static String usageChunkJson(
            String model, @Nullable Integer promptTokens, @Nullable Integer completionTokens) {
        Map<String, Object> chunk = chunk(model, List.of());
        chunk.put("usage", usage(promptTokens, completionTokens));
        return FakeHttpServer.JSON.writeValueAsString(chunk);
    }

    /** {@code data: <payload>} and the blank line that ends the event. */
    public static String data(String payload) {
        return "data: " + payload + "\n\n";
    }

    /** An error answer in OpenAI's format: {@code {"error": {"message", "type", "param", "code"}}}. */
    public static FakeReply error(int status, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", status >= 500 ? "server_error" : status == 429 ? "requests" : "invalid_request_error");
        error.put("param", null);
        error.put("code", status == 404 ? "model_not_found" : null);
        return FakeReply.json(status, FakeHttpServer.JSON.writeValueAsString(Map.of("error", error)));
    }

    /** A 200 {@code /embeddings} answer with one vector. */
    public static FakeReply embedding(double... vector) {
        return FakeReply.json(200, embeddingJson("text-embedding-3-small", vector, 3));
    }

    /** An {@code /embeddings} body in OpenAI's format: one {@code embedding} object in {@code data}. */
    public static String embeddingJson(String model, double[] vector, int promptTokens) {
        List<Double> numbers = new ArrayList<>(vector.length);
        for (double v : vector) {
            numbers.add(v);
        }
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("object", "embedding");
        item.put("index", 0);
        item.put("embedding", numbers);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "list");
        body.put("data", List.of(item));
        body.put("model", model);
        body.put("usage", Map.of("prompt_tokens", promptTokens, "total_tokens", promptTokens));
        return FakeHttpServer.JSON.writeValueAsString(body);
    }

    /** A 200 {@code /moderations} answer flagging these categories (score 0.9; the others 0.01). */
    public static FakeReply moderation(String... flagged) {
        return FakeReply.json(200, moderationJson("omni-moderation-latest", List.of(flagged)));
    }

    /** A {@code /moderations} body in OpenAI's format: one result with categories and their scores. */
    public static String moderationJson(String model, List<String> flagged) {
        Map<String, Object> categories = new LinkedHashMap<>();
        Map<String, Object> scores = new LinkedHashMap<>();
        for (String category : MODERATION_CATEGORIES) {
            categories.put(category, flagged.contains(category));
            scores.put(category, flagged.contains(category) ? 0.9 : 0.01);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("flagged", !flagged.isEmpty());
        result.put("categories", categories);
        result.put("category_scores", scores);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", "modr-fake");
        body.put("model", model);
        body.put("results", List.of(result));
        return FakeHttpServer.JSON.writeValueAsString(body);
    }

    /** The default embedding of a text: its lower-cased words counted in hashed buckets. */
    public static double[] bagOfWords(String text) {
        double[] vector = new double[DIMENSIONS];
        for (String word : text.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                vector[Math.floorMod(word.hashCode(), DIMENSIONS)] += 1;
            }
        }
        return vector;
    }

    /** A rough token count (4 characters a token), enough for fake usage. */
    public static int tokens(String text) {
        return Math.max(1, (text.length() + 3) / 4);
    }

    private static Map<String, Object> chunk(String model, List<Object> choices) {
        Map<String, Object> chunk = new LinkedHashMap<>();
        chunk.put("id", "chatcmpl-fake");
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", 1_700_000_000);
        chunk.put("model", model);
        chunk.put("system_fingerprint", "fp_fake");
        chunk.put("choices", choices);
        return chunk;
    }

    private static Map<String, Object> usage(@Nullable Integer promptTokens, @Nullable Integer completionTokens) {
        int prompt = promptTokens == null ? 0 : promptTokens;
        int completion = completionTokens == null ? 0 : completionTokens;
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("prompt_tokens", prompt);
        usage.put("completion_tokens", completion);
        usage.put("total_tokens", prompt + completion);
        return usage;
    }

    private FakeReply echo(RecordedRequest request) {
        boolean chat = request.path().endsWith("/chat/completions");
        boolean embeddings = request.path().endsWith("/embeddings");
        boolean moderations = request.path().endsWith("/moderations");
        if (!request.method().equals("POST") || !(chat || embeddings || moderations)) {
            return error(404, "Unknown request URL: " + request.method() + " " + request.path() + ".");
        }
        String key = requiredKey;
        String authorization = request.header("Authorization");
        if (key != null && authorization == null) {
            return error(
                    401,
                    "You didn't provide an API key. You need to provide your API key in an Authorization"
                            + " header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
        }
        if (key != null && !authorization.equals("Bearer " + key)) {
            String given = authorization.replaceFirst("^Bearer ", "");
            String masked = given.length() <= 8
                    ? "*".repeat(given.length())
                    : given.substring(0, 3) + "*".repeat(given.length() - 7) + given.substring(given.length() - 4);
            return error(
                    401,
                    "Incorrect API key provided: " + masked + ". You can find your API key at"
                            + " https://platform.openai.com/account/api-keys.");
        }
        Map<String, Object> json = request.json();
        if (json == null) {
            return error(400, "We could not parse the JSON body of your request.");
        }
        if (!(json.get("model") instanceof String model)) {
            return error(400, "you must provide a model parameter");
        }
        if (!models.isEmpty() && !models.contains(model)) {
            return error(404, "The model `" + model + "` does not exist or you do not have access to it.");
        }
        if (embeddings || moderations) {
            if (!(json.get("input") instanceof String input)) {
                return error(400, "'input' must be a string");
            }
            if (embeddings) {
                return FakeReply.json(200, embeddingJson(model, bagOfWords(input), tokens(input)));
            }
            List<String> words =
                    List.of(input.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}]+"));
            boolean violent = VIOLENT_WORDS.stream().anyMatch(words::contains);
            return FakeReply.json(200, moderationJson(model, violent ? List.of("violence") : List.of()));
        }
        if (!(json.get("messages") instanceof List<?> messages) || messages.isEmpty()) {
            return error(400, "'messages' must be a non-empty array");
        }
        String text = "";
        int prompt = 0;
        for (Object message : messages) {
            if (message instanceof Map<?, ?> map) {
                String content = text(map.get("content"));
                prompt += tokens(content);
                if ("user".equals(map.get("role"))) {
                    text = content;
                }
            }
        }
        if (Boolean.TRUE.equals(json.get("stream"))) {
            boolean usage = json.get("stream_options") instanceof Map<?, ?> options
                    && Boolean.TRUE.equals(options.get("include_usage"));
            return FakeReply.sse(
                    eventStream(model, words(text), "stop", usage ? prompt : null, usage ? tokens(text) : null));
        }
        return FakeReply.json(200, completionJson(model, text, "stop", prompt, tokens(text)));
    }

    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String word : text.split("(?<= )")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }

    static String text(@Nullable Object content) {
        if (content instanceof String s) {
            return s;
        }
        StringBuilder text = new StringBuilder();
        if (content instanceof List<?> parts) {
            for (Object part : parts) {
                if (part instanceof Map<?, ?> map && map.get("text") instanceof String s) {
                    text.append(text.isEmpty() ? "" : "\n").append(s);
                }
            }
        }
        return text.toString();
    }
}
