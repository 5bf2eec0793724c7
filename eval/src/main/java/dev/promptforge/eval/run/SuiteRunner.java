package dev.promptforge.eval.run;

import static java.util.Objects.requireNonNull;

import dev.promptforge.eval.AssertionContext;
import dev.promptforge.eval.EvalProvider;
import dev.promptforge.eval.EvaluationException;
import dev.promptforge.eval.Evaluators;
import dev.promptforge.eval.GradingResult;
import dev.promptforge.eval.ProviderCallException;
import dev.promptforge.eval.ProviderRequest;
import dev.promptforge.eval.ProviderResponse;
import dev.promptforge.eval.suite.EvaluateOptions;
import dev.promptforge.eval.suite.Suite;
import dev.promptforge.eval.suite.SuitePrompt;
import dev.promptforge.eval.suite.SuiteProvider;
import dev.promptforge.eval.suite.TestCase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a suite: every repetition × test × prompt × provider, each provider's cells on {@code
 * maxConcurrency} threads of its own, so at most that many calls are in flight per provider (one
 * when a {@code delay} is set, as in promptfoo). Answers come from the response cache when the
 * same request was answered before, and go into it when the call succeeded. A failed call, a
 * timeout or an assertion that cannot be evaluated makes the cell an error; it never stops the run.
 */
public final class SuiteRunner {

    /** Pauses between calls; a test replaces it to see the pauses without waiting. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /** The mapper of cache keys; in a holder class, so that a run without a cache never builds it. */
    private static final class Canonical {
        static final JsonMapper JSON = JsonMapper.builder()
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .build();
    }

    private final ResponseCache cache;
    private final ProgressListener listener;
    private final Sleeper sleeper;
    private final Clock clock;

    private SuiteRunner(Builder builder) {
        this.cache = builder.cache;
        this.listener = builder.listener;
        this.sleeper = builder.sleeper;
        this.clock = builder.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    private record Cell(
            int repeat,
            TestCase test,
            int promptIndex,
            SuitePrompt prompt,
            int providerIndex,
            SuiteProvider provider) {}

    public RunResult run(Suite suite) {
        EvaluateOptions options = suite.options();
        Instant started = clock.instant();
        long startNanos = System.nanoTime();
        List<Cell> cells = new ArrayList<>();
        for (int r = 0; r < options.repeat(); r++) {
            for (TestCase test : suite.tests()) {
                for (int p = 0; p < suite.prompts().size(); p++) {
                    for (int v = 0; v < suite.providers().size(); v++) {
                        cells.add(new Cell(
                                r,
                                test,
                                p,
                                suite.prompts().get(p),
                                v,
                                suite.providers().get(v)));
                    }
                }
            }
        }
        int permits = options.delayMs() > 0 ? 1 : options.maxConcurrency();
        ResponseCache activeCache = options.cache() ? cache : ResponseCache.NONE;
        listener.started(cells.size());
        TestResult[] results = new TestResult[cells.size()];
        // Per provider, `permits` platform threads take its cells in order: at most that many calls
        // in flight. Not virtual threads: their socket I/O starts the JDK's poller thread, which then
        // waits in native code, and the JVM's exit waits 0.3 s for threads in native code to settle.
        AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int v = 0; v < suite.providers().size(); v++) {
            int provider = v;
            int[] mine = IntStream.range(0, cells.size())
                    .filter(i -> cells.get(i).providerIndex() == provider)
                    .toArray();
            AtomicInteger next = new AtomicInteger();
            Runnable work = () -> {
                for (int n = next.getAndIncrement();
                        n < mine.length && failure.get() == null;
                        n = next.getAndIncrement()) {
                    Cell cell = cells.get(mine[n]);
                    try {
                        TestResult result = runCell(cell, options, activeCache);
                        results[mine[n]] = result;
                        listener.finished(result);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }
            };
            for (int t = 0; t < Math.min(permits, mine.length); t++) {
                workers.add(Thread.ofPlatform()
                        .daemon()
                        .name("eval-provider-" + v + "-" + t)
                        .start(work));
            }
        }
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                workers.forEach(Thread::interrupt);
                throw new IllegalStateException("the run was interrupted", e);
            }
        }
        Throwable failed = failure.get();
        if (failed != null) {
            throw new IllegalStateException("a cell failed unexpectedly: " + failed, failed);
        }
        listener.done();
        long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        return new RunResult(
                suite.description(),
                suite.configFile().toString(),
                suite.tags(),
                started,
                durationMs,
                suite.prompts().stream().map(SuitePrompt::label).toList(),
                suite.providers().stream().map(SuiteProvider::label).toList(),
                options.repeat(),
                List.of(results));
    }

    private TestResult runCell(Cell cell, EvaluateOptions options, ResponseCache activeCache) {
        TestCase test = cell.test();
        ProviderRequest request = cell.prompt().render(test.vars(), test.prefix(), test.suffix());
        EvalProvider provider = cell.provider().provider();
        ProviderResponse response;
        Double latencyMs;
        boolean cached;
        ResponseCache cellCache = provider.cacheable() ? activeCache : ResponseCache.NONE;
        // Without a cache (--no-cache) the key, a canonical JSON and a SHA-256 per cell, is not computed.
        @Nullable String key = cellCache == ResponseCache.NONE ? null : cacheKey(provider, request, cell.repeat());
        var hit = key == null ? java.util.Optional.<ResponseCache.Entry>empty() : cellCache.get(key);
        if (hit.isPresent()) {
            response = hit.get().response();
            latencyMs = hit.get().latencyMs();
            cached = true;
        } else {
            cached = false;
            long t0 = System.nanoTime();
            try {
                response = call(provider, request, options.timeoutMs());
                latencyMs = (System.nanoTime() - t0) / 1_000_000.0;
            } catch (ProviderCallException e) {
                return error(cell, request, provider.id() + ": " + e.getMessage(), null);
            } catch (RuntimeException e) {
                return error(cell, request, provider.id() + " failed: " + describe(e), null);
            } finally {
                pause(options.delayMs());
            }
            if (key != null) {
                cellCache.put(key, new ResponseCache.Entry(response, latencyMs));
            }
        }
        AssertionContext context = new AssertionContext(response, request.prompt(), test.vars(), latencyMs, cached);
        GradingResult grading;
        try {
            grading = Evaluators.grade(test.assertions(), test.threshold(), context);
        } catch (EvaluationException e) {
            return result(cell, request, response, latencyMs, cached, null, e.getMessage());
        } catch (RuntimeException e) {
            return result(cell, request, response, latencyMs, cached, null, "grading failed: " + describe(e));
        }
        return result(cell, request, response, latencyMs, cached, grading, null);
    }

    /**
     * Calls the provider, on its own (daemon) thread when there is a time limit: a call that does not
     * answer in time is interrupted and left behind, so it cannot hold the run up.
     */
    private static ProviderResponse call(EvalProvider provider, ProviderRequest request, long timeoutMs) {
        if (timeoutMs <= 0) {
            return provider.call(request);
        }
        CompletableFuture<ProviderResponse> answer = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().daemon().name("provider-call").start(() -> {
            try {
                answer.complete(provider.call(request));
            } catch (Throwable e) {
                answer.completeExceptionally(e);
            }
        });
        try {
            return answer.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            thread.interrupt();
            throw new ProviderCallException("no answer within timeoutMs " + timeoutMs + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new ProviderCallException(describe(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
            throw new ProviderCallException("interrupted while waiting for the answer");
        }
    }

    private void pause(long delayMs) {
        if (delayMs <= 0) {
            return;
        }
        try {
            sleeper.sleep(delayMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static TestResult error(
            Cell cell, ProviderRequest request, String message, @Nullable ProviderResponse response) {
        return result(cell, request, response, null, false, null, message);
    }

    private static TestResult result(
            Cell cell,
            ProviderRequest request,
            @Nullable ProviderResponse response,
            @Nullable Double latencyMs,
            boolean cached,
            @Nullable GradingResult grading,
            @Nullable String error) {
        TestResult.Status status = error != null
                ? TestResult.Status.ERROR
                : grading.pass() ? TestResult.Status.PASS : TestResult.Status.FAIL;
        return new TestResult(
                cell.test().index(),
                cell.test().name(),
                cell.test().vars(),
                cell.promptIndex(),
                cell.prompt().label(),
                cell.providerIndex(),
                cell.provider().provider().id(),
                cell.provider().label(),
                cell.repeat(),
                status,
                request.prompt(),
                response == null ? null : response.output(),
                grading,
                error,
                latencyMs,
                cached,
                response == null ? null : response.cost(),
                response == null ? null : response.tokenUsage(),
                response == null ? null : response.finishReason());
    }

    /**
     * The cache key: a SHA-256 of the provider's identity, the full request (prompt, messages,
     * variables) and the repetition, so each repetition has its own answer.
     */
    static String cacheKey(EvalProvider provider, ProviderRequest request, int repeat) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("provider", provider.cacheIdentity());
        key.put("prompt", request.prompt());
        key.put("messages", request.messages());
        key.put("vars", request.vars());
        key.put("repeat", repeat);
        byte[] canonical = Canonical.JSON.writeValueAsString(key).getBytes(StandardCharsets.UTF_8);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** Configures a runner. */
    public static final class Builder {
        private ResponseCache cache = ResponseCache.NONE;
        private ProgressListener listener = ProgressListener.NONE;
        private Sleeper sleeper = Thread::sleep;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        public Builder cache(ResponseCache value) {
            this.cache = requireNonNull(value, "cache");
            return this;
        }

        public Builder listener(ProgressListener value) {
            this.listener = requireNonNull(value, "listener");
            return this;
        }

        public Builder sleeper(Sleeper value) {
            this.sleeper = requireNonNull(value, "sleeper");
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = requireNonNull(value, "clock");
            return this;
        }

        public SuiteRunner build() {
            return new SuiteRunner(this);
        }
    }
}
