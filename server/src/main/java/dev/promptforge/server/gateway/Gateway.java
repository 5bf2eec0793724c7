package dev.promptforge.server.gateway;

import static java.util.Objects.requireNonNull;

import dev.promptforge.server.limits.Budgets;
import dev.promptforge.server.limits.InjectionDetector;
import dev.promptforge.server.limits.InjectionPolicies;
import dev.promptforge.server.limits.InjectionPolicy;
import dev.promptforge.server.privacy.PrivacyGuard;
import dev.promptforge.server.records.ExecutionRecord;
import dev.promptforge.server.records.Records;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Json;
import dev.promptforge.server.shared.PlainJson;
import dev.promptforge.server.shared.Problems;
import dev.promptforge.server.shared.SecurityEvents;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * The one execution path of PromptForge. Every caller — the execute API, the OpenAI-compatible
 * proxy, later the test pipelines — goes through {@link #execute} or {@link #stream}: pick the model
 * (then each fallback), call its provider with retries (exponential backoff with full jitter,
 * honouring {@code Retry-After}, within a retry budget) behind a per-provider circuit breaker, observe
 * each provider call, estimate tokens when the provider reports none, price the call, and record it —
 * success or failure — before answering. Before the provider is called, the input of the execute API
 * and the proxy is screened for prompt injection (the project's policy blocks, flags or ignores it)
 * and the call is checked against its project's and key's budgets, both from memory.
 */
@Service
public class Gateway {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Gateway.class);

    /**
     * One execution.
     *
     * @param recordId the id its record will have (known up front so a stream can name it)
     * @param models the model and its fallbacks, each {@code provider/model}, in order
     * @param runId the evaluation run or pipeline run the execution belongs to; null for none
     */
    public record Call(
            String recordId,
            String projectId,
            @Nullable String promptName,
            @Nullable Integer promptVersion,
            String endpoint,
            List<String> models,
            List<ChatMessage> messages,
            ChatOptions options,
            Map<String, Object> passthrough,
            @Nullable String apiKeyId,
            @Nullable String runId,
            @Nullable String subjectHash,
            @Nullable String injection) {
        public Call {
            requireNonNull(recordId, "recordId");
            models = List.copyOf(models);
            if (models.isEmpty()) {
                throw new IllegalArgumentException("a call needs a model");
            }
            messages = List.copyOf(messages);
        }

        /**
         * A call of rendered prompt messages on exactly one model (no fallbacks: a test measures the
         * model it names), with a version's generation parameters: {@code temperature}, {@code
         * max_tokens}, {@code top_p}, {@code stop} and {@code seed} are understood, the rest is passed
         * through to the provider.
         *
         * @throws dev.promptforge.server.shared.ApiException 422 when a known parameter has the wrong type
         */
        public static Call of(
                String recordId,
                String projectId,
                @Nullable String promptName,
                @Nullable Integer promptVersion,
                String endpoint,
                String model,
                List<ChatMessage> messages,
                Map<String, Object> parameters,
                @Nullable String apiKeyId,
                @Nullable String runId) {
            ExecutionOptions options = ExecutionOptions.from(parameters);
            return new Call(
                    recordId,
                    projectId,
                    promptName,
                    promptVersion,
                    endpoint,
                    List.of(model),
                    messages,
                    options.options(),
                    options.passthrough(),
                    apiKeyId,
                    runId,
                    null,
                    null);
        }

        /** This call with the injection finding its record keeps. */
        Call flagged(String finding) {
            return new Call(
                    recordId,
                    projectId,
                    promptName,
                    promptVersion,
                    endpoint,
                    models,
                    messages,
                    options,
                    passthrough,
                    apiKeyId,
                    runId,
                    subjectHash,
                    finding);
        }
    }

    /** A successful execution. */
    public record Outcome(
            String recordId,
            ChatResponse response,
            String model,
            Usage usage,
            @Nullable Double cost,
            double latencyMs,
            int attempts) {}

    /** Thrown from {@link #stream} when the stream breaks after chunks were already sent. */
    public static final class StreamBroken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StreamBroken(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Providers providers;
    private final Records records;
    private final Pricing pricing;
    private final GatewayProperties properties;
    private final ObservationRegistry observations;
    private final MeterRegistry meters;
    private final ObjectProvider<Tracer> tracer;
    private final Clock clock;
    private final CircuitBreakerRegistry breakers;
    private final PrivacyGuard privacy;
    private final Budgets budgets;
    private final InjectionDetector injections;
    private final InjectionPolicies injectionPolicies;
    private final SecurityEvents events;
    private final TokenCounter tokens = new TokenCounter();
    private final Map<String, Guard> guards = new ConcurrentHashMap<>();
    private volatile @Nullable Tracer resolvedTracer;

    Gateway(
            Providers providers,
            Records records,
            Pricing pricing,
            GatewayProperties properties,
            ObservationRegistry observations,
            MeterRegistry meters,
            ObjectProvider<Tracer> tracer,
            Clock clock,
            CircuitBreakerRegistry breakers,
            PrivacyGuard privacy,
            Budgets budgets,
            InjectionDetector injections,
            InjectionPolicies injectionPolicies,
            SecurityEvents events) {
        this.providers = providers;
        this.records = records;
        this.pricing = pricing;
        this.properties = properties;
        this.observations = observations;
        this.meters = meters;
        this.tracer = tracer;
        this.clock = clock;
        this.breakers = breakers;
        this.privacy = privacy;
        this.budgets = budgets;
        this.injections = injections;
        this.injectionPolicies = injectionPolicies;
        this.events = events;
    }

    /** Checks every model name of a call before anything runs (a 422 naming the bad one). */
    public void validateModels(List<String> models) {
        models.forEach(providers::resolve);
    }

    public Outcome execute(Call call) {
        return run(call, (ref, request, session) -> ref.provider().chat(request), false);
    }

    /**
     * Streams an answer to {@code sink} as it arrives. A failure before the first chunk is retried and
     * falls back like {@link #execute}; one after it ends the call with {@link StreamBroken}.
     */
    public Outcome stream(Call call, Consumer<ChatChunk> sink) {
        return run(
                call,
                (ref, request, session) -> {
                    Consumer<ChatChunk> out = session.hasPlaceholders() ? restoring(session, sink) : sink;
                    StringBuilder text = new StringBuilder();
                    String[] finish = new String[1];
                    Usage[] usage = new Usage[1];
                    boolean[] started = new boolean[1];
                    try {
                        ref.provider().stream(request, chunk -> {
                            text.append(chunk.textDelta());
                            if (chunk.finishReason() != null) {
                                finish[0] = chunk.finishReason();
                            }
                            if (chunk.usage() != null) {
                                usage[0] = chunk.usage();
                            }
                            started[0] = true;
                            out.accept(chunk);
                        });
                    } catch (ProviderException e) {
                        if (started[0]) {
                            throw new StreamBroken(e.getMessage(), e);
                        }
                        throw e;
                    }
                    return new ChatResponse(text.toString(), finish[0], usage[0], request.model(), null);
                },
                true);
    }

    @FunctionalInterface
    private interface Attempt {
        ChatResponse call(Providers.ModelRef ref, ChatRequest request, PrivacyGuard.Session session);
    }

    /**
     * Restores the originals in a streamed answer whose placeholders may be split across chunks:
     * text held back for a possible placeholder is emitted with the next chunk, the rest before the
     * finish. Chunks become PromptForge's own (the upstream's raw payload holds the placeholders).
     */
    private static Consumer<ChatChunk> restoring(PrivacyGuard.Session session, Consumer<ChatChunk> sink) {
        var restorer = session.streamingRestorer();
        boolean[] finished = {false};
        return chunk -> {
            if (finished[0]) {
                // After the finish: only usage comes; text would hold placeholders, so none is passed on.
                if (chunk.usage() != null) {
                    sink.accept(new ChatChunk(
                            "", null, chunk.usage(), chunk.textDelta().isEmpty() ? chunk.rawOpenAi() : null));
                }
                return;
            }
            String text = restorer.push(chunk.textDelta());
            boolean usageOnly = chunk.usage() != null && chunk.textDelta().isEmpty() && chunk.finishReason() == null;
            if (chunk.finishReason() != null) {
                finished[0] = true;
                String rest = restorer.finish();
                if (!(text + rest).isEmpty()) {
                    sink.accept(new ChatChunk(text + rest, null, null, null));
                }
                sink.accept(new ChatChunk("", chunk.finishReason(), chunk.usage(), null));
            } else if (usageOnly) {
                sink.accept(chunk);
            } else if (!text.isEmpty()) {
                sink.accept(new ChatChunk(text, null, chunk.usage(), null));
            }
        };
    }

    /** The messages as the provider may see them: every text anonymized under the project's policy. */
    private static List<ChatMessage> protect(List<ChatMessage> messages, PrivacyGuard.Session session) {
        List<ChatMessage> result = new ArrayList<>(messages.size());
        for (ChatMessage message : messages) {
            Object content = message.content();
            if (content instanceof String text) {
                content = session.protect(text);
            } else if (content instanceof List<?> parts) {
                List<Object> protectedParts = new ArrayList<>(parts.size());
                for (Object part : parts) {
                    if (part instanceof Map<?, ?> map && map.get("text") instanceof String text) {
                        Map<Object, Object> copy = new LinkedHashMap<>(map);
                        copy.put("text", session.protect(text));
                        protectedParts.add(copy);
                    } else {
                        protectedParts.add(part);
                    }
                }
                content = protectedParts;
            }
            result.add(new ChatMessage(message.role(), content, message.extra()));
        }
        return result;
    }

    /** The answer the client gets: originals restored in the text and in the raw upstream body. */
    private static ChatResponse restore(ChatResponse response, PrivacyGuard.Session session) {
        if (!session.hasPlaceholders()) {
            return response;
        }
        Map<String, Object> raw = response.raw();
        byte[] restoredJson = null;
        if (raw != null && raw.get("choices") instanceof List<?> choices) {
            Map<String, Object> copy = new LinkedHashMap<>(raw);
            List<Object> restoredChoices = new ArrayList<>();
            for (Object choice : choices) {
                if (choice instanceof Map<?, ?> c
                        && c.get("message") instanceof Map<?, ?> m
                        && m.get("content") instanceof String text) {
                    Map<Object, Object> message = new LinkedHashMap<>(m);
                    message.put("content", session.restore(text));
                    Map<Object, Object> restoredChoice = new LinkedHashMap<>(c);
                    restoredChoice.put("message", message);
                    restoredChoices.add(restoredChoice);
                } else {
                    restoredChoices.add(choice);
                }
            }
            copy.put("choices", restoredChoices);
            restoredJson = Json.write(copy).getBytes(StandardCharsets.UTF_8);
        }
        return new ChatResponse(
                session.restore(response.text()),
                response.finishReason(),
                response.usage(),
                response.model(),
                restoredJson);
    }

    /** The endpoints whose input comes from outside and is screened for injection. */
    private static final java.util.Set<String> SCREENED = java.util.Set.of("execute", "chat.completions");

    /**
     * Screens the call's input for prompt injection under its project's policy: a blocked call is
     * recorded as an error and refused (422) before anything is sent; a flagged one goes on, marked.
     */
    private Call screen(
            Call call,
            Providers.ModelRef ref,
            Instant start,
            long startNanos,
            boolean streamed,
            PrivacyGuard.Session session) {
        if (!SCREENED.contains(call.endpoint())) {
            return call;
        }
        InjectionPolicy policy = injectionPolicies.policy(call.projectId());
        if (policy == InjectionPolicy.OFF) {
            return call;
        }
        InjectionDetector.Scan scan = injections.scan();
        for (ChatMessage message : call.messages()) {
            feed(scan, message.content());
        }
        InjectionDetector.Finding finding = scan.finding();
        if (finding == null) {
            return call;
        }
        Call flagged = call.flagged(finding.json());
        String where = "project " + call.projectId() + ", key " + call.apiKeyId() + ", record " + call.recordId()
                + ": rules " + finding.rules() + ", score " + Math.round(finding.score() * 100) / 100.0;
        if (policy == InjectionPolicy.FLAG) {
            events.record(SecurityEvents.Type.INJECTION_FLAGGED, where);
            return flagged;
        }
        events.record(SecurityEvents.Type.INJECTION_BLOCKED, where);
        ApiException error = new ApiException(
                        org.springframework.http.HttpStatus.UNPROCESSABLE_CONTENT,
                        "Prompt injection blocked",
                        "The input matched the prompt-injection rules " + finding.rules()
                                + "; this project's injection policy is 'block', so it was not sent to a provider.")
                .withProperty("rules", finding.rules())
                .withProperty("recordId", call.recordId());
        failure(
                flagged,
                ref,
                "[]",
                "InjectionBlocked",
                error.getMessage(),
                422,
                start,
                startNanos,
                0,
                streamed,
                session);
        throw error;
    }

    private static void feed(InjectionDetector.Scan scan, @Nullable Object content) {
        if (content instanceof String text) {
            scan.feed(text);
        } else if (content instanceof List<?> parts) {
            for (Object part : parts) {
                if (part instanceof Map<?, ?> map && map.get("text") instanceof String text) {
                    scan.feed(text);
                }
            }
        }
    }

    /** Input tokens at four characters a token: a cheap estimate for the budget check. */
    private static long estimateTokens(List<ChatMessage> messages) {
        long chars = 0;
        for (ChatMessage message : messages) {
            if (message.content() instanceof String text) {
                chars += text.length();
            } else if (message.content() instanceof List<?> parts) {
                for (Object part : parts) {
                    if (part instanceof Map<?, ?> map && map.get("text") instanceof String text) {
                        chars += text.length();
                    }
                }
            }
        }
        return (chars + 3) / 4;
    }

    private double estimateCost(Providers.ModelRef ref, Call call) {
        Double cost =
                pricing.cost(ref.fullName(), (int) Math.min(Integer.MAX_VALUE, estimateTokens(call.messages())), 0);
        return cost == null ? 0 : cost;
    }

    private Outcome run(Call call, Attempt attempt, boolean streamed) {
        Instant start = Instant.ofEpochMilli(clock.millis());
        long startNanos = System.nanoTime();
        List<Providers.ModelRef> refs =
                call.models().stream().map(providers::resolve).toList();
        PrivacyGuard.Session session = privacy.open(call.projectId());
        call = screen(call, refs.getFirst(), start, startNanos, streamed, session);
        budgets.check(
                call.projectId(),
                call.apiKeyId(),
                estimateTokens(call.messages()),
                estimateCost(refs.getFirst(), call));
        List<ChatMessage> messages;
        try {
            messages = protect(call.messages(), session);
        } catch (ApiException e) {
            // Nothing was sent; the record keeps no text, only what went wrong.
            failure(
                    call,
                    refs.getFirst(),
                    "[]",
                    "PiiRefused",
                    e.getMessage(),
                    e.status().value(),
                    start,
                    startNanos,
                    0,
                    streamed,
                    session);
            throw e.withProperty("recordId", call.recordId());
        }
        String input = inputJson(messages);
        int[] attempts = {0};
        Providers.ModelRef used = refs.getFirst();
        RuntimeException last = null;
        for (Providers.ModelRef ref : refs) {
            used = ref;
            Guard guard = guard(ref.provider());
            guard.budget.recordCall();
            ChatRequest request = new ChatRequest(ref.model(), messages, call.options(), call.passthrough());
            Providers.ModelRef current = ref;
            CheckedSupplier<ChatResponse> once = () -> {
                attempts[0]++;
                return guard.breaker.executeCheckedSupplier(
                        () -> observe(current, () -> attempt.call(current, request, session)));
            };
            try {
                ChatResponse response = guard.retry.executeCheckedSupplier(once);
                return success(call, ref, messages, input, response, session, start, startNanos, attempts[0], streamed);
            } catch (StreamBroken e) {
                failure(
                        call,
                        ref,
                        input,
                        "Unavailable",
                        e.getMessage(),
                        502,
                        start,
                        startNanos,
                        attempts[0],
                        streamed,
                        session);
                throw e;
            } catch (ProviderException e) {
                last = e;
                if (e.failure() instanceof ProviderFailure.BadRequest) {
                    break;
                }
            } catch (CallNotPermittedException e) {
                last = e;
            } catch (Throwable e) {
                throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
            }
        }
        if (last instanceof CallNotPermittedException) {
            long wait = properties.breakerOpenFor().toSeconds();
            ApiException error = GatewayException.breakerOpen(used.provider().name(), wait, call.recordId());
            failure(
                    call,
                    used,
                    input,
                    "CircuitOpen",
                    error.getMessage(),
                    503,
                    start,
                    startNanos,
                    attempts[0],
                    streamed,
                    session);
            throw error;
        }
        ProviderException failed = (ProviderException) requireNonNull(last);
        ApiException error = GatewayException.of(failed.failure(), failed.getMessage(), call.recordId());
        failure(
                call,
                used,
                input,
                failed.failure().getClass().getSimpleName(),
                failed.getMessage(),
                error.status().value(),
                start,
                startNanos,
                attempts[0],
                streamed,
                session);
        throw error;
    }

    private ChatResponse observe(Providers.ModelRef ref, java.util.function.Supplier<ChatResponse> call) {
        ObservedModel model = observedModels.computeIfAbsent(
                ref.fullName(),
                name -> new ObservedModel(
                        "chat " + ref.model(),
                        KeyValues.of(
                                "gen_ai.operation.name", "chat",
                                "gen_ai.system", ref.provider().type(),
                                "gen_ai.request.model", ref.model())));
        return Observation.createNotStarted("gen_ai.client.operation", observations)
                .contextualName(model.contextualName())
                .lowCardinalityKeyValues(model.keyValues())
                .observe(() -> {
                    // The proxy endpoint runs outside an HTTP server span: this call's span is the trace.
                    observedTrace.set(traceId());
                    return call.get();
                });
    }

    /** What each observation of a model carries, built once per model rather than per call. */
    private record ObservedModel(String contextualName, KeyValues keyValues) {}

    private final Map<String, ObservedModel> observedModels = new ConcurrentHashMap<>();

    private Outcome success(
            Call call,
            Providers.ModelRef ref,
            List<ChatMessage> messages,
            String input,
            ChatResponse response,
            PrivacyGuard.Session session,
            Instant start,
            long startNanos,
            int attempts,
            boolean streamed) {
        Usage usage = response.usage() != null
                ? response.usage()
                : new Usage(tokens.countMessages(messages), tokens.count(response.text()), true);
        meter(ref, "input", usage.inputTokens());
        meter(ref, "output", usage.outputTokens());
        Double cost = pricing.cost(ref.fullName(), usage.inputTokens(), usage.outputTokens());
        budgets.spent(call.projectId(), call.apiKeyId(), (long) usage.inputTokens() + usage.outputTokens(), cost);
        double latency = (System.nanoTime() - startNanos) / 1_000_000.0;
        if (properties.logContent()) {
            log.info(
                    "Execution {} on {}: prompt {} answer {}", call.recordId(), ref.fullName(), input, response.text());
        }
        save(
                call,
                ref,
                session,
                start,
                latency,
                attempts,
                streamed,
                input,
                ExecutionRecord.OK,
                null,
                null,
                null,
                response.text(),
                response.finishReason(),
                usage,
                cost);
        return new Outcome(call.recordId(), restore(response, session), ref.fullName(), usage, cost, latency, attempts);
    }

    private void failure(
            Call call,
            Providers.ModelRef ref,
            String inputJson,
            String errorType,
            String message,
            int status,
            Instant start,
            long startNanos,
            int attempts,
            boolean streamed,
            PrivacyGuard.Session session) {
        double latency = (System.nanoTime() - startNanos) / 1_000_000.0;
        save(
                call,
                ref,
                session,
                start,
                latency,
                attempts,
                streamed,
                inputJson,
                ExecutionRecord.ERROR,
                errorType,
                message,
                status,
                null,
                null,
                null,
                null);
    }

    /** Stores the record of one execution (group commit); what the call and session know is filled in here. */
    private void save(
            Call call,
            Providers.ModelRef ref,
            PrivacyGuard.Session session,
            Instant start,
            double latencyMs,
            int attempts,
            boolean streamed,
            String inputJson,
            String status,
            @Nullable String errorType,
            @Nullable String errorMessage,
            @Nullable Integer httpStatus,
            @Nullable String output,
            @Nullable String finishReason,
            @Nullable Usage usage,
            @Nullable Double cost) {
        records.save(new ExecutionRecord(
                call.recordId(),
                call.projectId(),
                call.promptName(),
                call.promptVersion(),
                call.endpoint(),
                ref.provider().name(),
                ref.fullName(),
                status,
                errorType,
                errorMessage,
                httpStatus,
                inputJson,
                output,
                finishReason,
                latencyMs,
                usage == null ? null : usage.inputTokens(),
                usage == null ? null : usage.outputTokens(),
                usage != null && usage.estimated(),
                cost,
                attempts,
                streamed,
                MDC.get(Problems.REQUEST_ID),
                recordTraceId(),
                call.apiKeyId(),
                piiCounts(session),
                start,
                Instant.ofEpochMilli(clock.millis()),
                call.runId(),
                call.subjectHash(),
                call.injection()));
    }

    private static @Nullable String piiCounts(PrivacyGuard.Session session) {
        Map<String, Integer> counts = session.counts();
        return counts.isEmpty() ? null : Json.write(counts);
    }

    private record MeterKey(String system, String model, String type) {}

    private final Map<MeterKey, DistributionSummary> tokenMeters = new ConcurrentHashMap<>();

    private void meter(Providers.ModelRef ref, String type, int count) {
        tokenMeters
                .computeIfAbsent(new MeterKey(ref.provider().type(), ref.model(), type), key -> tokenMeter(ref, type))
                .record(count);
    }

    private DistributionSummary tokenMeter(Providers.ModelRef ref, String type) {
        return DistributionSummary.builder("gen_ai.client.token.usage")
                .baseUnit("{token}")
                .description("Tokens used per provider call")
                .tag("gen_ai.operation.name", "chat")
                .tag("gen_ai.system", ref.provider().type())
                .tag("gen_ai.request.model", ref.model())
                .tag("gen_ai.token.type", type)
                .register(meters);
    }

    /** The trace id of the last provider call on this thread, for its record (see {@link #observe}). */
    private final ThreadLocal<@Nullable String> observedTrace = new ThreadLocal<>();

    private @Nullable String recordTraceId() {
        String current = traceId();
        String observed = observedTrace.get();
        observedTrace.remove();
        return current != null ? current : observed;
    }

    private @Nullable String traceId() {
        Tracer current = resolvedTracer;
        if (current == null) {
            current = tracer.getIfAvailable(() -> Tracer.NOOP);
            resolvedTracer = current;
        }
        Span span = current.currentSpan();
        return span == null ? null : span.context().traceId();
    }

    private static String inputJson(List<ChatMessage> messages) {
        List<Map<String, Object>> list = new ArrayList<>(messages.size());
        for (ChatMessage message : messages) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("role", message.role());
            map.put("content", message.content());
            map.putAll(message.extra());
            list.add(map);
        }
        return PlainJson.writeString(list);
    }

    // --- per-provider resilience

    private record Guard(CircuitBreaker breaker, Retry retry, RetryBudget budget) {}

    private Guard guard(Provider provider) {
        return guards.computeIfAbsent(provider.name(), name -> {
            RetryBudget budget = new RetryBudget(properties.retryBudget(), properties.retryBudgetReserve());
            CircuitBreaker breaker = breakers.circuitBreaker(
                    name,
                    CircuitBreakerConfig.custom()
                            .slidingWindowSize(properties.breakerWindow())
                            .minimumNumberOfCalls(properties.breakerWindow() / 2)
                            .failureRateThreshold(properties.breakerFailureRate() * 100f)
                            .waitDurationInOpenState(properties.breakerOpenFor())
                            .permittedNumberOfCallsInHalfOpenState(2)
                            .recordException(e -> e instanceof ProviderException p
                                    && p.failure().retriable())
                            .ignoreException(e -> e instanceof ProviderException p
                                    && !p.failure().retriable())
                            .build());
            Retry retry = Retry.of(
                    name,
                    RetryConfig.<ChatResponse>custom()
                            .maxAttempts(1 + properties.maxRetries())
                            .retryOnException(e -> e instanceof ProviderException p
                                    && p.failure().retriable()
                                    && budget.tryRetry())
                            .intervalBiFunction(
                                    (attempt, outcome) -> backoff(attempt, outcome.isLeft() ? outcome.getLeft() : null))
                            .build());
            return new Guard(breaker, retry, budget);
        });
    }

    /** Full jitter on an exponential ceiling, or the provider's own {@code Retry-After}, capped. */
    long backoff(int attempt, @Nullable Throwable failure) {
        Duration max = properties.maxBackoff();
        if (failure instanceof ProviderException p
                && p.failure() instanceof ProviderFailure.RateLimited limited
                && limited.retryAfter() != null) {
            return Math.min(limited.retryAfter().toMillis(), max.toMillis());
        }
        long ceiling = Math.min(max.toMillis(), properties.initialBackoff().toMillis() << Math.min(attempt - 1, 20));
        return ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1);
    }
}
