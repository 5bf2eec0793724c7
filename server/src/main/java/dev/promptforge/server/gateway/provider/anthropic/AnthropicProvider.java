package dev.promptforge.server.gateway.provider.anthropic;

import static java.util.Objects.requireNonNull;

import dev.promptforge.server.gateway.ChatChunk;
import dev.promptforge.server.gateway.ChatRequest;
import dev.promptforge.server.gateway.ChatResponse;
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
 * Anthropic's Messages API ({@code POST {baseUrl}/v1/messages}, {@code anthropic-version:
 * 2023-06-01}, the key in {@code x-api-key}).
 *
 * <p>System messages go to the top-level {@code system} field; {@code max_tokens}, which Anthropic
 * requires, defaults to {@value #DEFAULT_MAX_TOKENS}; {@code stop} is sent as {@code stop_sequences};
 * {@code seed} and passthrough fields are not sent. Stop reasons come back as OpenAI finish reasons
 * ({@code end_turn} and {@code stop_sequence} → {@code stop}, {@code max_tokens} → {@code length},
 * {@code tool_use} → {@code tool_calls}, {@code refusal} → {@code content_filter}); input tokens
 * include prompt-cache reads and writes. {@link ChatResponse#raw()} and {@link ChatChunk#rawOpenAi()}
 * are null: the wire format is not OpenAI's. Tool calls are not translated yet: a request with tool
 * messages is refused ({@code BadRequest}) before anything is sent.
 *
 * <p>Failures: an error status (including 529, overloaded) is classified by {@link
 * dev.promptforge.server.gateway.ProviderFailures}, with the upstream's {@code error.message} in the
 * exception's message; an {@code error} event inside a stream is classified by its error type
 * ({@code overloaded_error} as 529, {@code rate_limit_error} as 429 …). A body or event that is not
 * JSON or of the wrong shape is {@code Malformed}; a connection refused or dropped, or a stream that
 * ends before {@code message_stop}, is {@code Unavailable} with status 0; no answer within the
 * timeout, or a stream silent for longer than the timeout, is {@code TimedOut}.
 */
public final class AnthropicProvider implements Provider {

    /** The Messages API version PromptForge speaks. */
    public static final String API_VERSION = "2023-06-01";

    /** {@code max_tokens} when the request sets none (Anthropic requires one). */
    public static final int DEFAULT_MAX_TOKENS = 1024;

    private static final String PATH = "/v1/messages";

    private final String name;
    private final List<String> models;
    private final UpstreamClient upstream;
    private final Map<String, String> jsonHeaders;
    private final Map<String, String> streamHeaders;

    /**
     * @param name the configured name, the prefix of its model names ({@code anthropic})
     * @param baseUrl {@code https://api.anthropic.com}, without {@code /v1}
     * @param apiKey the key; null or blank sends none (the upstream will refuse the call)
     * @param timeout the longest wait for an answer, or between two pieces of a stream
     * @param models the models to list; may be empty
     * @param httpClient shared by all providers
     */
    public AnthropicProvider(
            String name,
            URI baseUrl,
            @Nullable String apiKey,
            Duration timeout,
            List<String> models,
            Http1Client httpClient) {
        this.name = requireNonNull(name, "name");
        this.models = List.copyOf(models);
        this.upstream =
                new UpstreamClient(name, "the Anthropic API (without /v1)", baseUrl, apiKey, timeout, httpClient);
        Map<String, String> common = new LinkedHashMap<>();
        if (apiKey != null && !apiKey.isBlank()) {
            common.put("x-api-key", apiKey);
        }
        common.put("anthropic-version", API_VERSION);
        this.jsonHeaders = headers(common, "application/json");
        this.streamHeaders = headers(common, "text/event-stream");
    }

    private static Map<String, String> headers(Map<String, String> common, String accept) {
        Map<String, String> headers = new LinkedHashMap<>(common);
        headers.put("Accept", accept);
        return Map.copyOf(headers);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "anthropic";
    }

    @Override
    public List<String> models() {
        return models;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        byte[] body = AnthropicMapper.requestBody(request, false, DEFAULT_MAX_TOKENS, upstream);
        byte[] answer = upstream.post(PATH, jsonHeaders, body, request.model());
        return AnthropicMapper.response(answer, request.model(), upstream);
    }

    @Override
    public void stream(ChatRequest request, Consumer<ChatChunk> onChunk) {
        byte[] body = AnthropicMapper.requestBody(request, true, DEFAULT_MAX_TOKENS, upstream);
        AnthropicMapper.StreamState state = new AnthropicMapper.StreamState(request.model(), upstream);
        upstream.stream(
                PATH, streamHeaders, body, request.model(), "message_stop", event -> state.onEvent(event, onChunk));
    }

    @Override
    public String toString() {
        return "AnthropicProvider[" + name + "]";
    }
}
