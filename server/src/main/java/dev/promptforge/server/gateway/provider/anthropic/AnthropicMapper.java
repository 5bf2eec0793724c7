package dev.promptforge.server.gateway.provider.anthropic;

import dev.promptforge.server.gateway.ChatChunk;
import dev.promptforge.server.gateway.ChatMessage;
import dev.promptforge.server.gateway.ChatOptions;
import dev.promptforge.server.gateway.ChatRequest;
import dev.promptforge.server.gateway.ChatResponse;
import dev.promptforge.server.gateway.ProviderException;
import dev.promptforge.server.gateway.Usage;
import dev.promptforge.server.gateway.provider.ServerSentEvents;
import dev.promptforge.server.gateway.provider.UpstreamClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** PromptForge's request to the Messages API's JSON and its answers and stream events back. */
final class AnthropicMapper {

    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private AnthropicMapper() {}

    /**
     * The request body. System (and developer) messages become the top-level {@code system}, joined
     * by a blank line; {@code max_tokens}, which Anthropic requires, defaults to {@code
     * defaultMaxTokens}; {@code stop} becomes {@code stop_sequences}; {@code seed} and passthrough
     * fields are not sent (Anthropic has no such fields). Text and image content parts are translated;
     * tool messages and tool calls are refused as untranslatable, before anything is sent.
     */
    static byte[] requestBody(ChatRequest request, boolean stream, int defaultMaxTokens, UpstreamClient upstream) {
        ChatOptions options = request.options();
        List<String> system = new ArrayList<>();
        List<Map<String, Object>> messages = new ArrayList<>();
        for (ChatMessage message : request.messages()) {
            switch (message.role()) {
                case "system", "developer" -> system.add(message.text());
                case "user", "assistant" -> {
                    if (message.extra().containsKey("tool_calls")) {
                        throw toolsUnsupported(upstream);
                    }
                    messages.add(Map.of("role", message.role(), "content", content(message, upstream)));
                }
                default ->
                    throw message.role().equals("tool")
                            ? toolsUnsupported(upstream)
                            : upstream.untranslatable(
                                    "send a message with role '" + message.role() + "'",
                                    "Use the roles system, user and assistant.");
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", request.model());
        body.put("max_tokens", options.maxTokens() != null ? options.maxTokens() : defaultMaxTokens);
        if (!system.isEmpty()) {
            body.put("system", String.join("\n\n", system));
        }
        body.put("messages", messages);
        putIfPresent(body, "temperature", options.temperature());
        putIfPresent(body, "top_p", options.topP());
        putIfPresent(body, "stop_sequences", options.stop());
        if (stream) {
            body.put("stream", true);
        }
        return JSON.writeValueAsBytes(body);
    }

    private static ProviderException toolsUnsupported(UpstreamClient upstream) {
        return upstream.untranslatable(
                "translate OpenAI tool calls and tool messages to Anthropic's tool_use blocks yet",
                "Use an OpenAI-compatible provider for tool use.");
    }

    private static Object content(ChatMessage message, UpstreamClient upstream) {
        Object content = message.content();
        if (content == null) {
            return "";
        }
        if (content instanceof String text) {
            return text;
        }
        if (!(content instanceof List<?> parts)) {
            throw upstream.untranslatable(
                    "send message content that is neither text nor a list of parts", "Send text content.");
        }
        List<Map<String, Object>> blocks = new ArrayList<>();
        for (Object part : parts) {
            Map<?, ?> map = part instanceof Map<?, ?> m ? m : Map.of();
            String type = map.get("type") instanceof String t ? t : "";
            switch (type) {
                case "text" -> blocks.add(Map.of("type", "text", "text", String.valueOf(map.get("text"))));
                case "image_url" -> blocks.add(image(map.get("image_url"), upstream));
                default ->
                    throw upstream.untranslatable(
                            "translate a content part of type '" + type + "'", "Send text and image_url parts only.");
            }
        }
        return blocks;
    }

    /** An OpenAI {@code image_url} part as an Anthropic image block: a data URL or an http(s) URL. */
    private static Map<String, Object> image(@Nullable Object imageUrl, UpstreamClient upstream) {
        Object url = imageUrl instanceof Map<?, ?> map ? map.get("url") : imageUrl;
        String value = url instanceof String s ? s : "";
        int comma = value.indexOf(',');
        if (value.startsWith("data:") && comma > 0 && value.substring(0, comma).endsWith(";base64")) {
            String mediaType = value.substring("data:".length(), comma - ";base64".length());
            return Map.of(
                    "type",
                    "image",
                    "source",
                    Map.of("type", "base64", "media_type", mediaType, "data", value.substring(comma + 1)));
        }
        if (value.startsWith("https://") || value.startsWith("http://")) {
            return Map.of("type", "image", "source", Map.of("type", "url", "url", value));
        }
        throw upstream.untranslatable(
                "send an image that is neither a base64 data URL nor an http(s) URL", "Send the image as either.");
    }

    /**
     * A {@code message}: its text blocks joined, the stop reason as an OpenAI finish reason, the
     * usage, and {@code raw} null (the body is not in the OpenAI format). An {@code error} body is
     * classified by its error type.
     */
    static ChatResponse response(byte[] body, String requestedModel, UpstreamClient upstream) {
        JsonNode tree = objectTree(body, "with a body", upstream);
        if ("error".equals(string(tree.path("type")))) {
            throw upstreamError(
                    convert(tree, AnthropicWire.Event.class, "with a body", upstream), requestedModel, upstream);
        }
        AnthropicWire.Message message = convert(tree, AnthropicWire.Message.class, "with a body", upstream);
        if (message.content() == null) {
            throw upstream.malformed("with JSON that has no content", null);
        }
        StringBuilder text = new StringBuilder();
        for (AnthropicWire.Block block : message.content()) {
            if (block != null && "text".equals(block.type()) && block.text() != null) {
                text.append(block.text());
            }
        }
        return new ChatResponse(
                text.toString(),
                finishReason(message.stopReason()),
                usage(message.usage(), null),
                message.model() != null ? message.model() : requestedModel,
                null);
    }

    /** An Anthropic stop reason as the OpenAI finish reason; unknown ones are kept as they are. */
    static @Nullable String finishReason(@Nullable String stopReason) {
        if (stopReason == null) {
            return null;
        }
        return switch (stopReason) {
            case "end_turn", "stop_sequence" -> "stop";
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> stopReason;
        };
    }

    /**
     * The state of one streamed answer: text deltas become chunks as they come; {@code message_delta}
     * becomes the last chunk, with the finish reason and the usage ({@code input_tokens} from {@code
     * message_start} unless {@code message_delta} repeats them); {@code message_stop} ends the stream;
     * an {@code error} event is classified by its error type; {@code ping}, other block types (tool
     * input, thinking) and unknown events are skipped.
     */
    static final class StreamState {

        private final String model;
        private final UpstreamClient upstream;
        private AnthropicWire.@Nullable TokenUsage started;

        StreamState(String model, UpstreamClient upstream) {
            this.model = model;
            this.upstream = upstream;
        }

        /** Returns true for {@code message_stop}. */
        boolean onEvent(ServerSentEvents.Event sse, Consumer<ChatChunk> onChunk) {
            JsonNode tree = objectTree(sse.data().getBytes(StandardCharsets.UTF_8), "with a stream event", upstream);
            AnthropicWire.Event event = convert(tree, AnthropicWire.Event.class, "with a stream event", upstream);
            String type = event.type() != null ? event.type() : sse.type();
            switch (type) {
                case "message_start" ->
                    started = event.message() == null ? null : event.message().usage();
                case "content_block_start" -> {
                    AnthropicWire.Block block = event.contentBlock();
                    if (block != null
                            && "text".equals(block.type())
                            && block.text() != null
                            && !block.text().isEmpty()) {
                        onChunk.accept(new ChatChunk(block.text(), null, null, null));
                    }
                }
                case "content_block_delta" -> {
                    AnthropicWire.Delta delta = event.delta();
                    if (delta != null && "text_delta".equals(delta.type()) && delta.text() != null) {
                        onChunk.accept(new ChatChunk(delta.text(), null, null, null));
                    }
                }
                case "message_delta" -> {
                    String stopReason =
                            event.delta() == null ? null : event.delta().stopReason();
                    onChunk.accept(new ChatChunk("", finishReason(stopReason), usage(event.usage(), started), null));
                }
                case "message_stop" -> {
                    return true;
                }
                case "error" -> throw upstreamError(event, model, upstream);
                default -> {
                    // ping, content_block_stop and event types added after this was written
                }
            }
            return false;
        }
    }

    private static ProviderException upstreamError(AnthropicWire.Event event, String model, UpstreamClient upstream) {
        AnthropicWire.Error error = event.error();
        String type = error == null ? null : error.type();
        return upstream.failure(
                UpstreamClient.statusOf(type), null, null, error == null ? null : error.message(), model);
    }

    /**
     * Usage with every input token counted (uncached, written to and read from the prompt cache), as
     * OpenAI counts them; {@code earlier} fills in what {@code latest} leaves out. Null when neither
     * has any.
     */
    private static @Nullable Usage usage(
            AnthropicWire.@Nullable TokenUsage latest, AnthropicWire.@Nullable TokenUsage earlier) {
        Integer input = firstNonNull(inputTokens(latest), inputTokens(earlier));
        Integer output = firstNonNull(
                latest == null ? null : latest.outputTokens(), earlier == null ? null : earlier.outputTokens());
        if (input == null && output == null) {
            return null;
        }
        return new Usage(input == null ? 0 : input, output == null ? 0 : output, false);
    }

    private static @Nullable Integer inputTokens(AnthropicWire.@Nullable TokenUsage usage) {
        if (usage == null || usage.inputTokens() == null) {
            return null;
        }
        return usage.inputTokens() + orZero(usage.cacheCreationInputTokens()) + orZero(usage.cacheReadInputTokens());
    }

    private static @Nullable Integer firstNonNull(@Nullable Integer a, @Nullable Integer b) {
        return a != null ? a : b;
    }

    private static int orZero(@Nullable Integer value) {
        return value == null ? 0 : value;
    }

    private static @Nullable String string(JsonNode node) {
        return node.isString() ? node.stringValue() : null;
    }

    private static JsonNode objectTree(byte[] body, String what, UpstreamClient upstream) {
        if (body.length == 0) {
            throw upstream.malformed(what + " that is empty", null);
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (JacksonException e) {
            throw upstream.malformed(
                    what + " that is not JSON (" + upstream.quote(new String(body, StandardCharsets.UTF_8)) + ")", e);
        }
        if (!tree.isObject()) {
            throw upstream.malformed(
                    what + " that is not a JSON object (" + upstream.quote(new String(body, StandardCharsets.UTF_8))
                            + ")",
                    null);
        }
        return tree;
    }

    private static <T> T convert(JsonNode tree, Class<T> type, String what, UpstreamClient upstream) {
        try {
            return JSON.treeToValue(tree, type);
        } catch (JacksonException e) {
            throw upstream.malformed(
                    what + " of an unexpected shape (" + upstream.quote(e.getOriginalMessage()) + ")", e);
        }
    }

    private static void putIfPresent(Map<String, Object> body, String field, @Nullable Object value) {
        if (value != null) {
            body.put(field, value);
        }
    }
}
