package dev.promptforge.server.gateway;

import dev.promptforge.server.registry.Project;
import dev.promptforge.server.registry.PromptRegistry;
import dev.promptforge.server.security.ApiKeyPrincipal;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Ids;
import dev.promptforge.server.shared.Json;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The OpenAI-compatible surface: {@code POST /v1/chat/completions} (plain and {@code "stream":
 * true}) and {@code GET /v1/models}, so an OpenAI SDK works with only its base URL changed. Model
 * names are {@code provider/model}. Fields PromptForge does not know are forwarded to an
 * OpenAI-compatible upstream untouched, and its answer (or each stream chunk) is returned as it came.
 *
 * <p>The project a call is recorded under is the {@code X-PromptForge-Project} header, else the
 * project the API key is bound to, else {@code promptforge.gateway.default-project}.
 */
@RestController
@Tag(name = "OpenAI-compatible", description = "Drop-in /v1/chat/completions and /v1/models")
class ChatCompletionsController {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ChatCompletionsController.class);

    static final String PROJECT_HEADER = "X-PromptForge-Project";
    static final String FALLBACK_HEADER = "X-PromptForge-Fallback-Models";
    static final String RECORD_HEADER = "X-PromptForge-Record-Id";

    private final Gateway gateway;
    private final Providers providers;
    private final PromptRegistry registry;
    private final GatewayProperties properties;
    private final Clock clock;

    ChatCompletionsController(
            Gateway gateway, Providers providers, PromptRegistry registry, GatewayProperties properties, Clock clock) {
        this.gateway = gateway;
        this.providers = providers;
        this.registry = registry;
        this.properties = properties;
        this.clock = clock;
    }

    @GetMapping("/v1/models")
    @Operation(summary = "The configured models, OpenAI style")
    Map<String, Object> models() {
        List<Map<String, Object>> data = new ArrayList<>();
        for (Provider provider : providers.all()) {
            for (String model : provider.models()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("id", provider.name() + "/" + model);
                entry.put("object", "model");
                entry.put("created", 0);
                entry.put("owned_by", provider.name());
                data.add(entry);
            }
        }
        return Map.of("object", "list", "data", data);
    }

    @PostMapping(value = "/v1/chat/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "OpenAI Chat Completions through PromptForge (model = provider/model)")
    void completions(
            @RequestBody Map<String, Object> body,
            @RequestHeader(value = PROJECT_HEADER, required = false) @Nullable String projectName,
            @RequestHeader(value = FALLBACK_HEADER, required = false) @Nullable String fallbackHeader,
            HttpServletResponse response)
            throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>(body);
        Object model = fields.remove("model");
        Object rawMessages = fields.remove("messages");
        Object stream = fields.remove("stream");
        if (!(model instanceof String modelName) || modelName.isBlank()) {
            throw invalid("model", "is required: a string such as \"local/echo\" or \"openai/gpt-4o-mini\"");
        }
        if (stream != null && !(stream instanceof Boolean)) {
            throw invalid("stream", "must be true or false");
        }
        boolean streaming = Boolean.TRUE.equals(stream);
        List<ChatMessage> messages = messages(rawMessages);
        boolean includeUsage =
                fields.get("stream_options") instanceof Map<?, ?> so && Boolean.TRUE.equals(so.get("include_usage"));
        ExecutionOptions options = ExecutionOptions.from(fields);
        List<String> models = new ArrayList<>();
        models.add(modelName);
        if (fallbackHeader != null && !fallbackHeader.isBlank()) {
            for (String fallback : fallbackHeader.split(",")) {
                models.add(fallback.strip());
            }
        } else {
            models.addAll(options.fallbacks());
        }
        gateway.validateModels(models);
        ApiKeyPrincipal key = ApiKeyPrincipal.current().orElse(null);
        Project project = project(projectName, key);
        Gateway.Call call = new Gateway.Call(
                Ids.newId(clock),
                project.id(),
                null,
                null,
                "chat.completions",
                models,
                messages,
                options.options(),
                options.passthrough(),
                key == null ? null : key.keyId());
        if (streaming) {
            stream(call, modelName, includeUsage, response);
        } else {
            Gateway.Outcome outcome = gateway.execute(call);
            Map<String, Object> answer = outcome.response().raw() != null
                    ? outcome.response().raw()
                    : completion(call.recordId(), modelName, outcome);
            response.setStatus(200);
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setHeader(RECORD_HEADER, call.recordId());
            byte[] json = Json.write(answer).getBytes(StandardCharsets.UTF_8);
            response.setContentLength(json.length);
            response.getOutputStream().write(json);
        }
    }

    private void stream(Gateway.Call call, String modelName, boolean includeUsage, HttpServletResponse response)
            throws IOException {
        long created = clock.millis() / 1000;
        SseSink sink = new SseSink(response, call.recordId(), modelName, created, includeUsage);
        Gateway.Outcome outcome;
        try {
            outcome = gateway.stream(call, sink);
        } catch (Gateway.StreamBroken e) {
            sink.error(e.getMessage());
            return;
        } catch (RuntimeException e) {
            if (!sink.started()) {
                throw e;
            }
            // The answer has begun: the status is sent, so the failure ends the stream as an event.
            log.error("Stream {} failed after it started", call.recordId(), e);
            sink.error("The stream failed on the server; the error was logged with this request's id.");
            return;
        }
        sink.start();
        if (includeUsage && !sink.sawUsage) {
            Map<String, Object> chunk = chunkShell(call.recordId(), modelName, created);
            chunk.put("choices", List.of());
            chunk.put("usage", usage(outcome.usage()));
            sink.write(Json.write(chunk));
        }
        sink.write("[DONE]");
    }

    /** Writes chunks as SSE, starting the response at the first one; before it, errors are still problems. */
    private static final class SseSink implements Consumer<ChatChunk> {
        private final HttpServletResponse response;
        private final String recordId;
        private final String model;
        private final long created;
        private final boolean includeUsage;
        private @Nullable OutputStream out;
        private boolean roleSent;
        boolean sawUsage;

        SseSink(HttpServletResponse response, String recordId, String model, long created, boolean includeUsage) {
            this.response = response;
            this.recordId = recordId;
            this.model = model;
            this.created = created;
            this.includeUsage = includeUsage;
        }

        boolean started() {
            return out != null;
        }

        void start() {
            if (out != null) {
                return;
            }
            response.setStatus(200);
            response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "no-cache");
            response.setHeader("X-Accel-Buffering", "no");
            response.setHeader(RECORD_HEADER, recordId);
            try {
                out = response.getOutputStream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void accept(ChatChunk chunk) {
            start();
            if (chunk.rawOpenAi() != null) {
                boolean usageOnly =
                        chunk.usage() != null && chunk.textDelta().isEmpty() && chunk.finishReason() == null;
                if (usageOnly) {
                    sawUsage = true;
                    if (!includeUsage) {
                        return;
                    }
                }
                write(chunk.rawOpenAi());
                return;
            }
            Map<String, Object> delta = new LinkedHashMap<>();
            if (!roleSent) {
                delta.put("role", "assistant");
                roleSent = true;
            }
            if (!chunk.textDelta().isEmpty() || chunk.finishReason() == null) {
                delta.put("content", chunk.textDelta());
            }
            Map<String, Object> choice = new LinkedHashMap<>();
            choice.put("index", 0);
            choice.put("delta", delta);
            choice.put("finish_reason", chunk.finishReason());
            Map<String, Object> json = chunkShell(recordId, model, created);
            json.put("choices", List.of(choice));
            write(Json.write(json));
        }

        void write(String payload) {
            start();
            try {
                out.write(("data: " + payload + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("the client went away", e);
            }
        }

        void error(String message) {
            write(Json.write(Map.of("error", Map.of("message", message, "type", "upstream_error"))));
        }
    }

    private static Map<String, Object> chunkShell(String recordId, String model, long created) {
        Map<String, Object> chunk = new LinkedHashMap<>();
        chunk.put("id", "chatcmpl-" + recordId);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", model);
        return chunk;
    }

    private Map<String, Object> completion(String recordId, String model, Gateway.Outcome outcome) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "assistant");
        message.put("content", outcome.response().text());
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("message", message);
        choice.put("logprobs", null);
        choice.put(
                "finish_reason",
                outcome.response().finishReason() == null
                        ? "stop"
                        : outcome.response().finishReason());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", "chatcmpl-" + recordId);
        answer.put("object", "chat.completion");
        answer.put("created", clock.millis() / 1000);
        answer.put("model", model);
        answer.put("choices", List.of(choice));
        answer.put("usage", usage(outcome.usage()));
        return answer;
    }

    private static Map<String, Object> usage(Usage usage) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("prompt_tokens", usage.inputTokens());
        map.put("completion_tokens", usage.outputTokens());
        map.put("total_tokens", usage.inputTokens() + usage.outputTokens());
        return map;
    }

    private Project project(@Nullable String name, @Nullable ApiKeyPrincipal key) {
        if (name != null && !name.isBlank()) {
            return registry.project(name);
        }
        if (key != null && key.projectId() != null) {
            return registry.projectById(key.projectId());
        }
        return registry.projectOrCreate(
                properties.defaultProject(), "Calls through /v1/chat/completions without a project");
    }

    private static List<ChatMessage> messages(@Nullable Object raw) {
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
            throw invalid("messages", "is required: a non-empty array of {\"role\", \"content\"}");
        }
        List<ChatMessage> messages = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> map)) {
                throw invalid("messages[" + i + "]", "must be an object with \"role\" and \"content\"");
            }
            Map<String, Object> extra = new LinkedHashMap<>();
            map.forEach((k, v) -> extra.put(String.valueOf(k), v));
            Object role = extra.remove("role");
            Object content = extra.remove("content");
            if (!(role instanceof String r) || !ChatMessage.ROLES.contains(r)) {
                throw invalid(
                        "messages[" + i + "].role",
                        "must be one of "
                                + String.join(
                                        ", ",
                                        ChatMessage.ROLES.stream().sorted().toList()));
            }
            if (content != null && !(content instanceof String) && !(content instanceof List<?>)) {
                throw invalid("messages[" + i + "].content", "must be a string or an array of content parts");
            }
            messages.add(new ChatMessage(r, content, extra));
        }
        return messages;
    }

    private static ApiException invalid(String field, String message) {
        return ApiException.invalid(List.of(new ApiException.FieldError(field, message)));
    }
}
