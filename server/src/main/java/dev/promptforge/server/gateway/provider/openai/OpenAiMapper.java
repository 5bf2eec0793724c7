package dev.promptforge.server.gateway.provider.openai;

import dev.promptforge.server.gateway.ChatChunk;
import dev.promptforge.server.gateway.ChatMessage;
import dev.promptforge.server.gateway.ChatOptions;
import dev.promptforge.server.gateway.ChatRequest;
import dev.promptforge.server.gateway.ChatResponse;
import dev.promptforge.server.gateway.ProviderException;
import dev.promptforge.server.gateway.Usage;
import dev.promptforge.server.gateway.provider.UpstreamClient;
import dev.promptforge.server.shared.PlainJson;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** PromptForge's request to OpenAI's JSON and OpenAI's answers back; malformed answers are failures. */
final class OpenAiMapper {

    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Request fields the provider sets itself; a passthrough value for them is not used. */
    private static final Set<String> OWN_FIELDS = Set.of("model", "messages", "stream", "stream_options");

    private OpenAiMapper() {}

    /**
     * The request body: model, messages (with their extra fields), the options, then every
     * passthrough field untouched. A streamed request asks for usage on the last chunk unless the
     * caller set {@code stream_options}; {@code max_tokens} is left out when the caller passes {@code
     * max_completion_tokens} (which OpenAI's reasoning models need instead).
     */
    static byte[] requestBody(ChatRequest request, boolean stream) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringProperty("model", request.model());
            json.writeArrayPropertyStart("messages");
            for (ChatMessage message : request.messages()) {
                json.writeStartObject();
                json.writeStringProperty("role", message.role());
                json.writeName("content");
                PlainJson.write(json, message.content());
                for (Map.Entry<String, Object> extra : message.extra().entrySet()) {
                    if (!extra.getKey().equals("role") && !extra.getKey().equals("content")) {
                        json.writeName(extra.getKey());
                        PlainJson.write(json, extra.getValue());
                    }
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            Set<String> written = new HashSet<>(OWN_FIELDS);
            ChatOptions options = request.options();
            Map<String, Object> passthrough = request.passthrough();
            writeOption(json, written, "temperature", options.temperature());
            writeOption(json, written, "top_p", options.topP());
            if (!passthrough.containsKey("max_completion_tokens")) {
                writeOption(json, written, "max_tokens", options.maxTokens());
            }
            writeOption(json, written, "stop", options.stop());
            writeOption(json, written, "seed", options.seed());
            for (Map.Entry<String, Object> field : passthrough.entrySet()) {
                if (written.add(field.getKey())) {
                    json.writeName(field.getKey());
                    PlainJson.write(json, field.getValue());
                }
            }
            if (stream) {
                json.writeBooleanProperty("stream", true);
                Object streamOptions = passthrough.get("stream_options");
                json.writeName("stream_options");
                PlainJson.write(json, streamOptions != null ? streamOptions : Map.of("include_usage", true));
            }
            json.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void writeOption(JsonGenerator json, Set<String> written, String field, @Nullable Object value) {
        if (value != null) {
            json.writeName(field);
            PlainJson.write(json, value);
            written.add(field);
        }
    }

    /**
     * A {@code chat.completion}: the first choice's text and finish reason, the usage (null when the
     * upstream sent none) and the whole body as {@code raw}. An {@code error} object instead of
     * choices is classified like an error status.
     */
    static ChatResponse response(byte[] body, String requestedModel, UpstreamClient upstream) {
        ChatResponse fast = fastResponse(body, requestedModel);
        if (fast != null) {
            return fast;
        }
        JsonNode tree = objectTree(body, "with a body", upstream);
        if (tree.has("error") && !tree.has("choices")) {
            throw upstreamError(tree.get("error"), requestedModel, upstream);
        }
        OpenAiWire.Completion completion = convert(tree, "with a body", upstream);
        List<OpenAiWire.@Nullable Choice> choices = completion.choices();
        if (choices == null || choices.isEmpty() || choices.get(0) == null) {
            throw upstream.malformed("with JSON that has no choices", null);
        }
        OpenAiWire.Choice first = choices.get(0);
        if (first.message() == null) {
            throw upstream.malformed("with a choice that has no message", null);
        }
        return new ChatResponse(
                text(first.message().content()),
                first.finishReason(),
                usage(completion.usage()),
                completion.model() != null ? completion.model() : requestedModel,
                body);
    }

    /**
     * The common case read in one pass over the bytes, without building a tree: a JSON object whose
     * first choice holds a message with string content, and well-typed finish reason, usage and
     * model. The body itself is kept as {@code rawJson}. Anything else returns null, and {@link
     * #response} takes the path that explains what is wrong.
     */
    private static @Nullable ChatResponse fastResponse(byte[] body, String requestedModel) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String content = null;
            String finish = null;
            String model = null;
            Integer promptTokens = null;
            Integer completionTokens = null;
            boolean message = false;
            boolean usage = false;
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "choices" -> {
                        if (value != JsonToken.START_ARRAY || parser.nextToken() != JsonToken.START_OBJECT) {
                            return null;
                        }
                        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                            String choiceField = parser.currentName();
                            JsonToken choiceValue = parser.nextToken();
                            if (choiceField.equals("message") && choiceValue == JsonToken.START_OBJECT) {
                                message = true;
                                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                                    String messageField = parser.currentName();
                                    JsonToken messageValue = parser.nextToken();
                                    if (messageField.equals("content") && messageValue == JsonToken.VALUE_STRING) {
                                        content = parser.getString();
                                    } else if (messageField.equals("content") && messageValue != JsonToken.VALUE_NULL) {
                                        return null; // content parts: the tree path reads them
                                    } else {
                                        parser.skipChildren();
                                    }
                                }
                            } else if (choiceField.equals("message")) {
                                return null;
                            } else if (choiceField.equals("finish_reason") && choiceValue == JsonToken.VALUE_STRING) {
                                finish = parser.getString();
                            } else if (choiceField.equals("finish_reason") && choiceValue != JsonToken.VALUE_NULL) {
                                return null;
                            } else {
                                parser.skipChildren();
                            }
                        }
                        while (parser.nextToken() != JsonToken.END_ARRAY) {
                            parser.skipChildren();
                        }
                    }
                    case "model" -> {
                        if (value == JsonToken.VALUE_STRING) {
                            model = parser.getString();
                        } else if (value != JsonToken.VALUE_NULL) {
                            return null;
                        }
                    }
                    case "usage" -> {
                        if (value == JsonToken.START_OBJECT) {
                            usage = true;
                            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                                String usageField = parser.currentName();
                                JsonToken count = parser.nextToken();
                                boolean known =
                                        usageField.equals("prompt_tokens") || usageField.equals("completion_tokens");
                                if (known
                                        && count == JsonToken.VALUE_NUMBER_INT
                                        && parser.getNumberType() == JsonParser.NumberType.INT) {
                                    if (usageField.equals("prompt_tokens")) {
                                        promptTokens = parser.getIntValue();
                                    } else {
                                        completionTokens = parser.getIntValue();
                                    }
                                } else if (known && count != JsonToken.VALUE_NULL) {
                                    return null;
                                } else {
                                    parser.skipChildren();
                                }
                            }
                        } else if (value != JsonToken.VALUE_NULL) {
                            return null;
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
            if (!message || parser.nextToken() != null) {
                return null;
            }
            Usage counted = usage && (promptTokens != null || completionTokens != null)
                    ? new Usage(orZero(promptTokens), orZero(completionTokens), false)
                    : null;
            return new ChatResponse(
                    content == null ? "" : content, finish, counted, model != null ? model : requestedModel, body);
        } catch (JacksonException e) {
            return null;
        }
    }

    /**
     * One {@code chat.completion.chunk}: its first choice's delta and finish reason, its usage (on the
     * last chunk when asked for), and the payload itself as {@code rawOpenAi}. A chunk needs {@code
     * choices} or {@code usage}; an {@code error} object is classified like an error status.
     */
    static ChatChunk chunk(String data, String requestedModel, UpstreamClient upstream) {
        JsonNode tree = objectTree(data.getBytes(StandardCharsets.UTF_8), "with a stream event", upstream);
        if (tree.has("error") && !tree.has("choices")) {
            throw upstreamError(tree.get("error"), requestedModel, upstream);
        }
        OpenAiWire.Completion chunk = convert(tree, "with a stream event", upstream);
        OpenAiWire.TokenUsage tokens = chunk.usage() != null
                ? chunk.usage()
                : chunk.xGroq() != null ? chunk.xGroq().usage() : null;
        if (chunk.choices() == null && tokens == null) {
            throw upstream.malformed(
                    "with a stream event that has neither choices nor usage (" + upstream.quote(data) + ")", null);
        }
        String delta = "";
        String finishReason = null;
        if (chunk.choices() != null
                && !chunk.choices().isEmpty()
                && chunk.choices().get(0) != null) {
            OpenAiWire.Choice first = chunk.choices().get(0);
            delta = first.delta() == null ? "" : text(first.delta().content());
            finishReason = first.finishReason();
        }
        return new ChatChunk(delta, finishReason, usage(tokens), data);
    }

    private static ProviderException upstreamError(JsonNode error, String model, UpstreamClient upstream) {
        String message = error.isString()
                ? error.stringValue()
                : error.path("message").isString() ? error.path("message").stringValue() : null;
        int status;
        if (isStatus(error.path("code"))) {
            status = error.path("code").intValue();
        } else if (isStatus(error.path("status"))) {
            status = error.path("status").intValue();
        } else {
            JsonNode type = error.path("type").isString() ? error.path("type") : error.path("code");
            status = UpstreamClient.statusOf(type.isString() ? type.stringValue() : null);
        }
        return upstream.failure(status, null, null, message, model);
    }

    private static boolean isStatus(JsonNode node) {
        return node.isIntegralNumber() && node.canConvertToInt() && node.intValue() >= 400 && node.intValue() < 600;
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

    private static OpenAiWire.Completion convert(JsonNode tree, String what, UpstreamClient upstream) {
        try {
            return JSON.treeToValue(tree, OpenAiWire.Completion.class);
        } catch (JacksonException e) {
            throw upstream.malformed(
                    what + " of an unexpected shape (" + upstream.quote(e.getOriginalMessage()) + ")", e);
        }
    }

    private static String text(@Nullable Object content) {
        return new ChatMessage("assistant", content, Map.of()).text();
    }

    private static @Nullable Usage usage(OpenAiWire.@Nullable TokenUsage tokens) {
        if (tokens == null || (tokens.promptTokens() == null && tokens.completionTokens() == null)) {
            return null;
        }
        return new Usage(orZero(tokens.promptTokens()), orZero(tokens.completionTokens()), false);
    }

    private static int orZero(@Nullable Integer value) {
        return value == null ? 0 : value;
    }
}
