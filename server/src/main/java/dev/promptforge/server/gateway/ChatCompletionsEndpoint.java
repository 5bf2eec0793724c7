package dev.promptforge.server.gateway;

import dev.promptforge.server.limits.RateLimiter;
import dev.promptforge.server.limits.RouteClass;
import dev.promptforge.server.privacy.Subjects;
import dev.promptforge.server.registry.Project;
import dev.promptforge.server.registry.PromptRegistry;
import dev.promptforge.server.security.ApiKeyAuthenticator;
import dev.promptforge.server.security.ApiKeyPrincipal;
import dev.promptforge.server.security.Permission;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.BodyTooLargeException;
import dev.promptforge.server.shared.Correlation;
import dev.promptforge.server.shared.Ids;
import dev.promptforge.server.shared.Json;
import dev.promptforge.server.shared.Problems;
import dev.promptforge.server.shared.RequestBodyErrors;
import dev.promptforge.server.shared.SecurityEvents;
import dev.promptforge.server.shared.SecurityHeaders;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.core.JacksonException;

/**
 * {@code POST /v1/chat/completions}, OpenAI's Chat Completions (plain and {@code "stream": true}),
 * so an OpenAI SDK works with only its base URL changed. Model names are {@code provider/model}.
 * Fields PromptForge does not know are forwarded to an OpenAI-compatible upstream untouched, and its
 * answer (or each stream chunk) is returned as it came.
 *
 * <p>It is the gateway's hot path, so it answers in the first servlet filter rather than in an MVC
 * controller behind the filter chain: it gives the request its correlation id, enforces the body
 * limit, reads the body once, authenticates the API key itself (with the {@link ApiKeyAuthenticator}
 * the API filter chain uses, so keys are accepted and refused alike), and answers errors as the same
 * problem details (with OpenAI's {@code error} object) as every other route. Spring Security's filter
 * chain, the HTTP server observation and Spring MVC's dispatch are skipped for it; its requests are
 * counted and timed by {@code promptforge.proxy.requests} (and each provider call by {@code
 * gen_ai.client.operation}). The README's benchmark section has the figures.
 *
 * <p>The project a call is recorded under is the {@code X-PromptForge-Project} header, else the
 * project the API key is bound to, else {@code promptforge.gateway.default-project}.
 */
final class ChatCompletionsEndpoint implements Filter {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ChatCompletionsEndpoint.class);

    static final String PATH = "/v1/chat/completions";
    static final String PROJECT_HEADER = "X-PromptForge-Project";
    static final String FALLBACK_HEADER = "X-PromptForge-Fallback-Models";
    static final String RECORD_HEADER = "X-PromptForge-Record-Id";
    static final String SUBJECT_HEADER = "X-PromptForge-Subject";

    private final Gateway gateway;
    private final PromptRegistry registry;
    private final GatewayProperties properties;
    private final ApiKeyAuthenticator keys;
    private final Clock clock;
    private final long maxBodySize;
    private final Map<Integer, Timer> timers = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final SecurityEvents events;
    private final RateLimiter limiter;
    private final Subjects subjects;

    ChatCompletionsEndpoint(
            Gateway gateway,
            PromptRegistry registry,
            GatewayProperties properties,
            ApiKeyAuthenticator keys,
            Clock clock,
            long maxBodySize,
            MeterRegistry meters,
            RateLimiter limiter,
            Subjects subjects,
            SecurityEvents events) {
        this.gateway = gateway;
        this.registry = registry;
        this.properties = properties;
        this.keys = keys;
        this.clock = clock;
        this.maxBodySize = maxBodySize;
        this.meters = meters;
        this.limiter = limiter;
        this.subjects = subjects;
        this.events = events;
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        if (!(servletRequest instanceof HttpServletRequest request)
                || !(servletResponse instanceof HttpServletResponse response)
                || !PATH.equals(request.getRequestURI())) {
            chain.doFilter(servletRequest, servletResponse);
            return;
        }
        long start = System.nanoTime();
        Correlation.begin(request, response);
        SecurityHeaders.apply(request, response);
        try {
            service(request, response);
        } finally {
            SecurityHeaders.report(events, request, response);
            Correlation.end();
            timer(response.getStatus()).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** {@code promptforge.proxy.requests}: this route's count and latency per status. */
    private Timer timer(int status) {
        return timers.computeIfAbsent(
                status,
                code -> Timer.builder("promptforge.proxy.requests")
                        .description("Requests to POST " + PATH + ", answered by the proxy endpoint")
                        .tag("status", String.valueOf(code))
                        .tag("outcome", code < 400 ? "SUCCESS" : code < 500 ? "CLIENT_ERROR" : "SERVER_ERROR")
                        .register(meters));
    }

    private void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        try {
            ApiKeyPrincipal key = keys.require(request.getHeader(HttpHeaders.AUTHORIZATION));
            limiter.check(key.keyId(), RouteClass.EXECUTE, response);
            if (!"POST".equals(request.getMethod())) {
                throw new ApiException(
                                HttpStatus.METHOD_NOT_ALLOWED,
                                "Method not allowed",
                                "Use POST for " + PATH + " (OpenAI's Chat Completions).")
                        .withHeader(HttpHeaders.ALLOW, "POST");
            }
            if (!isJson(request.getContentType())) {
                throw new ApiException(
                        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                        "Unsupported media type",
                        "Send the request body as JSON with 'Content-Type: application/json'.");
            }
            completions(read(request, maxBodySize), request, response, key);
        } catch (ApiException e) {
            fail(request, response, e);
        } catch (BodyTooLargeException e) {
            fail(
                    request,
                    response,
                    new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Request body too large", e.getMessage()));
        } catch (RuntimeException e) {
            log.error("Unexpected error on POST {}", PATH, e);
            fail(
                    request,
                    response,
                    new ApiException(
                            HttpStatus.INTERNAL_SERVER_ERROR,
                            "Internal error",
                            "Something went wrong on the server; the error was logged with this request id."));
        }
    }

    private static void fail(HttpServletRequest request, HttpServletResponse response, ApiException e)
            throws IOException {
        if (response.isCommitted()) {
            log.warn("Could not report a failure on {} after the answer began: {}", PATH, e.getMessage());
            return;
        }
        response.resetBuffer();
        Problems.write(request, response, e);
    }

    private static boolean isJson(@Nullable String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.isCompatibleWith(MediaType.APPLICATION_JSON) || "json".equals(type.getSubtypeSuffix());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Map<String, Object> read(HttpServletRequest request, long limit) throws IOException {
        byte[] body = body(request, limit);
        if (body.length == 0) {
            throw ApiException.badRequest("A JSON request body is required.");
        }
        Object value;
        try {
            value = Json.readTree(body);
        } catch (JacksonException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Malformed request body", RequestBodyErrors.describe(e));
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST, "Malformed request body", "The request body must be a JSON object.");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) map;
        return fields;
    }

    /** The body, refused with 413 when its declared length or what arrives is over the limit. */
    private static byte[] body(HttpServletRequest request, long limit) throws IOException {
        String tooLarge = "The request body is larger than the limit of " + limit
                + " bytes; send less data or raise promptforge.http.max-body-size"
                + " (PROMPTFORGE_HTTP_MAX_BODY_SIZE).";
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            throw new BodyTooLargeException(tooLarge);
        }
        InputStream in = request.getInputStream();
        byte[] body = in.readNBytes((int) Math.min(limit, declared >= 0 ? declared : limit));
        if (declared < 0 && body.length == limit && in.read() >= 0) {
            throw new BodyTooLargeException(tooLarge);
        }
        return body;
    }

    private void completions(
            Map<String, Object> fields, HttpServletRequest request, HttpServletResponse response, ApiKeyPrincipal key)
            throws IOException {
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
        String fallbackHeader = request.getHeader(FALLBACK_HEADER);
        if (fallbackHeader != null && !fallbackHeader.isBlank()) {
            for (String fallback : fallbackHeader.split(",")) {
                models.add(fallback.strip());
            }
        } else {
            models.addAll(options.fallbacks());
        }
        gateway.validateModels(models);
        Project project = project(request.getHeader(PROJECT_HEADER), key);
        keys.authorize(key, project.id(), project.name(), Permission.EXECUTE);
        String subject = request.getHeader(SUBJECT_HEADER);
        String subjectField = SUBJECT_HEADER;
        if (subject == null && fields.get("user") instanceof String user) {
            // OpenAI's end-user id; it is still forwarded upstream with the other fields.
            subject = user;
            subjectField = "user";
        }
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
                key.keyId(),
                null,
                subjects.hash(project.id(), subject, subjectField),
                null);
        if (streaming) {
            stream(call, modelName, includeUsage, response);
        } else {
            Gateway.Outcome outcome = gateway.execute(call);
            byte[] json = outcome.response().rawJson() != null
                    ? outcome.response().rawJson()
                    : Json.write(completion(call.recordId(), modelName, outcome))
                            .getBytes(StandardCharsets.UTF_8);
            response.setStatus(200);
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setHeader(RECORD_HEADER, call.recordId());
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

    private Project project(@Nullable String name, ApiKeyPrincipal key) {
        if (name != null && !name.isBlank()) {
            return registry.project(name);
        }
        if (key.projectId() != null) {
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
