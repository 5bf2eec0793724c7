package dev.promptforge.server.gateway.provider.openai;

import static java.util.Objects.requireNonNull;

import dev.promptforge.server.gateway.ChatChunk;
import dev.promptforge.server.gateway.ChatRequest;
import dev.promptforge.server.gateway.ChatResponse;
import dev.promptforge.server.gateway.EmbeddingsAndModeration;
import dev.promptforge.server.gateway.Provider;
import dev.promptforge.server.gateway.provider.Http1Client;
import dev.promptforge.server.gateway.provider.UpstreamClient;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI's Chat Completions API ({@code POST {baseUrl}/chat/completions}), for OpenAI and every
 * OpenAI-compatible server (Groq, Ollama, vLLM, LM Studio …) by its base URL.
 *
 * <p>Requests carry the model, the messages with their extra fields, the {@link
 * dev.promptforge.server.gateway.ChatOptions} ({@code temperature}, {@code max_tokens}, {@code
 * top_p}, {@code stop}, {@code seed}) and every passthrough field untouched. Answers keep the
 * upstream's body ({@link ChatResponse#raw()}) and each streamed chunk's exact {@code data:} payload
 * ({@link ChatChunk#rawOpenAi()}), so the proxy can return fields PromptForge does not know. A
 * streamed request asks for usage on the last chunk ({@code stream_options.include_usage}) unless
 * the caller set {@code stream_options}. The key goes in {@code Authorization: Bearer}; without a key
 * (a local Ollama) no such header is sent.
 *
 * <p>Failures: an error status is classified by {@link
 * dev.promptforge.server.gateway.ProviderFailures}, with the upstream's {@code error.message} in
 * the exception's message. A body or stream event that is not JSON, not an object, or of the wrong
 * shape (no {@code choices}) is {@code Malformed}; a connection refused or dropped, or a stream that
 * ends before {@code data: [DONE]}, is {@code Unavailable} with status 0; no answer within the
 * timeout, or a stream silent for longer than the timeout, is {@code TimedOut}. An {@code error}
 * object inside a 200 answer or a stream is classified by its {@code code} (an HTTP status) or
 * {@code type}.
 *
 * <p>Besides chat, its embeddings ({@code POST {baseUrl}/embeddings}) and moderation ({@code POST
 * {baseUrl}/moderations}) endpoints serve the server's evaluators, with the same key, time limit
 * and failures.
 */
public final class OpenAiProvider implements Provider, EmbeddingsAndModeration {

    private static final String PATH = "/chat/completions";

    private final String name;
    private final List<String> models;
    private final UpstreamClient upstream;
    private final Map<String, String> jsonHeaders;
    private final Map<String, String> streamHeaders;
    private final OpenAiEndpoints endpoints;

    /**
     * @param name the configured name, the prefix of its model names ({@code openai}, {@code groq})
     * @param baseUrl e.g. {@code https://api.openai.com/v1} or {@code http://localhost:11434/v1}
     * @param apiKey the key; null or blank for servers that need none
     * @param timeout the longest wait for an answer, or between two pieces of a stream
     * @param models the models to list; may be empty
     * @param httpClient shared by all providers
     */
    public OpenAiProvider(
            String name,
            URI baseUrl,
            @Nullable String apiKey,
            Duration timeout,
            List<String> models,
            Http1Client httpClient) {
        this.name = requireNonNull(name, "name");
        this.models = List.copyOf(models);
        this.upstream = new UpstreamClient(name, "an OpenAI-compatible API", baseUrl, apiKey, timeout, httpClient);
        Map<String, String> auth = new LinkedHashMap<>();
        if (apiKey != null && !apiKey.isBlank()) {
            auth.put("Authorization", "Bearer " + apiKey);
        }
        this.jsonHeaders = headers(auth, "application/json");
        this.streamHeaders = headers(auth, "text/event-stream");
        this.endpoints = new OpenAiEndpoints(upstream, jsonHeaders);
    }

    private static Map<String, String> headers(Map<String, String> auth, String accept) {
        Map<String, String> headers = new LinkedHashMap<>(auth);
        headers.put("Accept", accept);
        return Map.copyOf(headers);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "openai";
    }

    @Override
    public List<String> models() {
        return models;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        byte[] answer = upstream.post(PATH, jsonHeaders, OpenAiMapper.requestBody(request, false), request.model());
        return OpenAiMapper.response(answer, request.model(), upstream);
    }

    @Override
    public void stream(ChatRequest request, Consumer<ChatChunk> onChunk) {
        byte[] body = OpenAiMapper.requestBody(request, true);
        upstream.stream(PATH, streamHeaders, body, request.model(), "data: [DONE]", event -> {
            if (event.data().strip().equals("[DONE]")) {
                return true;
            }
            onChunk.accept(OpenAiMapper.chunk(event.data(), request.model(), upstream));
            return false;
        });
    }

    @Override
    public double[] embed(String model, String input) {
        return endpoints.embed(model, input);
    }

    @Override
    public ModerationVerdict moderate(String model, String input) {
        return endpoints.moderate(model, input);
    }

    @Override
    public String toString() {
        return "OpenAiProvider[" + name + "]";
    }
}
