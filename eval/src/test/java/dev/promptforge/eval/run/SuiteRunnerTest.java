package dev.promptforge.eval.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.eval.EvalProvider;
import dev.promptforge.eval.ProviderCallException;
import dev.promptforge.eval.ProviderResponse;
import dev.promptforge.eval.run.TestResult.Status;
import dev.promptforge.eval.suite.Suite;
import dev.promptforge.eval.suite.SuiteLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteRunnerTest {

    @TempDir
    Path dir;

    private Suite load(String yaml, Map<String, EvalProvider> providers) throws IOException {
        Path file = dir.resolve("suite.yaml");
        Files.writeString(file, yaml);
        return SuiteLoader.builder()
                .providers(spec -> {
                    EvalProvider provider = providers.get(spec.id());
                    if (provider == null) {
                        throw new IllegalArgumentException("unknown provider " + spec.id());
                    }
                    return provider;
                })
                .build()
                .load(file);
    }

    private static final String TWO_BY_TWO = """
            prompts: ['Q: {{q}}', 'Question: {{q}}']
            providers: [a, b]
            tests:
              - vars: {q: one}
                assert: [{type: contains, value: one}]
              - vars: {q: two}
                assert: [{type: contains, value: Question}]
            """;

    @Test
    void runs_every_test_with_every_prompt_on_every_provider_in_matrix_order() throws IOException {
        // given
        var a = ScriptedProvider.echo("a");
        var b = ScriptedProvider.echo("b");
        var suite = load(TWO_BY_TWO, Map.of("a", a, "b", b));

        // when
        var run = SuiteRunner.builder().build().run(suite);

        // then
        assertThat(run.results()).hasSize(8);
        assertThat(run.results())
                .extracting(r -> r.testIndex() + "/" + r.promptIndex() + "/" + r.providerId())
                .containsExactly("0/0/a", "0/0/b", "0/1/a", "0/1/b", "1/0/a", "1/0/b", "1/1/a", "1/1/b");
        assertThat(run.results())
                .extracting(TestResult::status)
                .containsExactly(
                        Status.PASS,
                        Status.PASS,
                        Status.PASS,
                        Status.PASS,
                        Status.FAIL,
                        Status.FAIL,
                        Status.PASS,
                        Status.PASS);
        assertThat(a.calls()).isEqualTo(4);
        var summary = run.summary();
        assertThat(summary.passed()).isEqualTo(6);
        assertThat(summary.failed()).isEqualTo(2);
        assertThat(summary.passRate()).isEqualTo(0.75);
        assertThat(summary.columns()).hasSize(4);
        assertThat(summary.columns().get(0).passRate()).isEqualTo(0.5);
        assertThat(run.results().get(4).grading().reason()).contains("does not contain \"Question\"");
    }

    @Test
    void a_failing_call_is_an_error_cell_and_the_run_goes_on() throws IOException {
        // given
        var flaky = new ScriptedProvider("a", request -> {
            if (request.prompt().contains("two")) {
                throw new ProviderCallException("HTTP 503: overloaded");
            }
            return ProviderResponse.of(request.prompt());
        });
        var suite = load(TWO_BY_TWO.replace("providers: [a, b]", "providers: [a]"), Map.of("a", flaky));

        // when
        var run = SuiteRunner.builder().build().run(suite);

        // then
        assertThat(run.results())
                .extracting(TestResult::status)
                .containsExactly(Status.PASS, Status.PASS, Status.ERROR, Status.ERROR);
        assertThat(run.results().get(2).error()).isEqualTo("a: HTTP 503: overloaded");
        assertThat(run.results().get(2).grading()).isNull();
        assertThat(run.summary().errors()).isEqualTo(2);
    }

    @Test
    void an_assertion_that_cannot_be_evaluated_makes_an_error_cell() throws IOException {
        var suite = load(
                "prompts: [hi]\nproviders: [a]\ntests: [{assert: [{type: cost, threshold: 1}]}]\n",
                Map.of("a", ScriptedProvider.echo("a")));
        var result = SuiteRunner.builder().build().run(suite).results().get(0);
        assertThat(result.status()).isEqualTo(Status.ERROR);
        assertThat(result.error()).contains("the provider reported no cost");
        assertThat(result.output()).isEqualTo("hi");
    }

    @Test
    void answers_come_from_the_cache_on_the_second_run_and_the_cache_survives_the_runner() throws IOException {
        // given
        var a = ScriptedProvider.echo("a");
        var suite = load(TWO_BY_TWO.replace("providers: [a, b]", "providers: [a]"), Map.of("a", a));
        var cacheDir = dir.resolve("cache");

        // when
        var first = SuiteRunner.builder()
                .cache(new DiskResponseCache(cacheDir))
                .build()
                .run(suite);
        var second = SuiteRunner.builder()
                .cache(new DiskResponseCache(cacheDir))
                .build()
                .run(suite);

        // then
        assertThat(a.calls()).isEqualTo(4);
        assertThat(first.results()).extracting(TestResult::cached).containsOnly(false);
        assertThat(second.results()).extracting(TestResult::cached).containsOnly(true);
        assertThat(second.results())
                .extracting(TestResult::output)
                .containsExactlyElementsOf(
                        first.results().stream().map(TestResult::output).toList());
        assertThat(second.results())
                .extracting(TestResult::latencyMs)
                .containsExactlyElementsOf(
                        first.results().stream().map(TestResult::latencyMs).toList());
    }

    @Test
    void the_cache_key_covers_the_whole_request_and_the_repetition() throws IOException {
        // given: the same prompt text twice with different variables, and two repetitions
        var a = ScriptedProvider.echo("a");
        var suite = load("""
                prompts: ['same text']
                providers: [a]
                tests: [{vars: {x: 1}}, {vars: {x: 2}}]
                evaluateOptions: {repeat: 2}
                """, Map.of("a", a));
        var cache = new DiskResponseCache(dir.resolve("cache"));

        // when
        SuiteRunner.builder().cache(cache).build().run(suite);
        SuiteRunner.builder().cache(cache).build().run(suite);

        // then: four distinct requests, each called once
        assertThat(a.calls()).isEqualTo(4);
    }

    @Test
    void a_suite_can_turn_the_cache_off_and_a_corrupt_entry_is_a_miss() throws IOException {
        var a = ScriptedProvider.echo("a");
        var suite = load("prompts: [hi]\nproviders: [a]\nevaluateOptions: {cache: false}\n", Map.of("a", a));
        var cache = new DiskResponseCache(dir.resolve("cache"));
        SuiteRunner.builder().cache(cache).build().run(suite);
        SuiteRunner.builder().cache(cache).build().run(suite);
        assertThat(a.calls()).isEqualTo(2);

        var key = "ab".repeat(32);
        cache.put(key, new ResponseCache.Entry(ProviderResponse.of("x"), 1.0));
        Files.writeString(dir.resolve("cache/ab/" + key + ".json"), "{not json");
        assertThat(cache.get(key)).isEmpty();
    }

    @Test
    void never_caches_a_provider_whose_answers_may_change_for_the_same_request() throws IOException {
        // given: a provider that says the same request may get another answer later
        var calls = new AtomicInteger();
        EvalProvider moving = new EvalProvider() {
            @Override
            public String id() {
                return "a";
            }

            @Override
            public ProviderResponse call(dev.promptforge.eval.ProviderRequest request) {
                return ProviderResponse.of("answer " + calls.incrementAndGet());
            }

            @Override
            public boolean cacheable() {
                return false;
            }
        };
        var suite = load("prompts: [hi]\nproviders: [a]\n", Map.of("a", moving));
        var cache = new DiskResponseCache(dir.resolve("cache"));

        // when
        SuiteRunner.builder().cache(cache).build().run(suite);
        var second =
                SuiteRunner.builder().cache(cache).build().run(suite).results().get(0);

        // then
        assertThat(calls.get()).isEqualTo(2);
        assertThat(second.cached()).isFalse();
        assertThat(second.output()).isEqualTo("answer 2");
    }

    @Test
    void cached_files_are_readable_by_their_owner_only() throws IOException {
        var cache = new DiskResponseCache(dir.resolve("cache"));
        var key = "cd".repeat(32);
        cache.put(key, new ResponseCache.Entry(ProviderResponse.of("secret answer"), 2.0));
        Path file = dir.resolve("cache/cd/" + key + ".json");
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(dir.resolve("cache"))))
                    .isEqualTo("rwx------");
        }
        assertThat(cache.get(key)).map(e -> e.response().output()).contains("secret answer");
    }

    @Test
    void never_has_more_calls_in_flight_per_provider_than_max_concurrency() throws IOException {
        // given: the first two calls wait until both are in flight, so a limit of two is reached
        var firstWave = new CountDownLatch(2);
        var a = new ScriptedProvider("a", request -> {
            firstWave.countDown();
            try {
                firstWave.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ProviderResponse.of("ok");
        });
        var suite = load("""
                prompts: ['{{n}}']
                providers: [a]
                tests: [{vars: {n: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}}]
                evaluateOptions: {maxConcurrency: 2}
                """, Map.of("a", a));

        // when
        var run = SuiteRunner.builder().build().run(suite);

        // then
        assertThat(run.results()).hasSize(10).extracting(TestResult::status).containsOnly(Status.PASS);
        assertThat(a.maxInFlight.get()).isEqualTo(2);
    }

    @Test
    void a_delay_pauses_after_each_call_and_makes_calls_sequential() throws IOException {
        // given
        var pauses = new CopyOnWriteArrayList<Long>();
        var a = ScriptedProvider.echo("a");
        var suite = load("""
                prompts: ['{{n}}']
                providers: [a]
                tests: [{vars: {n: [1, 2, 3]}}]
                evaluateOptions: {maxConcurrency: 8, delay: 250}
                """, Map.of("a", a));

        // when
        SuiteRunner.builder().sleeper(pauses::add).build().run(suite);

        // then
        assertThat(pauses).containsExactly(250L, 250L, 250L);
        assertThat(a.maxInFlight.get()).isEqualTo(1);
    }

    @Test
    void a_call_that_does_not_answer_in_time_is_an_error() throws IOException {
        // given: a provider that never answers unless interrupted
        var interrupted = new AtomicInteger();
        var stuck = new ScriptedProvider("a", request -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw new ProviderCallException("interrupted");
            }
            return ProviderResponse.of("never");
        });
        var suite = load("prompts: [hi]\nproviders: [a]\nevaluateOptions: {timeoutMs: 50}\n", Map.of("a", stuck));

        // when
        var result = SuiteRunner.builder().build().run(suite).results().get(0);

        // then
        assertThat(result.status()).isEqualTo(Status.ERROR);
        assertThat(result.error()).isEqualTo("a: no answer within timeoutMs 50 ms");
    }

    @Test
    void repetitions_report_how_stable_each_test_is() throws IOException {
        // given: a provider that alternates between a good and a bad answer
        var count = new AtomicInteger();
        var alternating = new ScriptedProvider(
                "a", request -> ProviderResponse.of(count.getAndIncrement() % 2 == 0 ? "yes" : "no"));
        var steady = ScriptedProvider.echo("b");
        var suite = load("""
                prompts: ['yes?']
                providers: [a, b]
                tests: [{assert: [{type: contains, value: yes}]}]
                evaluateOptions: {repeat: 4, maxConcurrency: 1}
                """, Map.of("a", alternating, "b", steady));

        // when
        var run = SuiteRunner.builder().build().run(suite);

        // then
        assertThat(run.results()).hasSize(8);
        assertThat(run.results()).extracting(TestResult::repeatIndex).containsExactly(0, 0, 1, 1, 2, 2, 3, 3);
        List<RunSummary.Stability> stability = run.summary().stability();
        assertThat(stability).hasSize(2);
        assertThat(stability.get(0).runs()).isEqualTo(4);
        assertThat(stability.get(0).passes()).isEqualTo(2);
        assertThat(stability.get(0).stable()).isFalse();
        assertThat(stability.get(0).scoreStdDev()).isEqualTo(0.5);
        assertThat(stability.get(0).distinctOutputs()).isEqualTo(2);
        assertThat(stability.get(1).stable()).isTrue();
        assertThat(stability.get(1).passes()).isEqualTo(4);
    }

    @Test
    void the_latency_of_a_cached_answer_cannot_be_asserted() throws IOException {
        var a = ScriptedProvider.echo("a");
        var suite = load(
                "prompts: [hi]\nproviders: [a]\ntests: [{assert: [{type: latency, threshold: 60000}]}]\n",
                Map.of("a", a));
        var cache = new DiskResponseCache(dir.resolve("cache"));
        var fresh =
                SuiteRunner.builder().cache(cache).build().run(suite).results().get(0);
        var cached =
                SuiteRunner.builder().cache(cache).build().run(suite).results().get(0);
        assertThat(fresh.status()).isEqualTo(Status.PASS);
        assertThat(cached.status()).isEqualTo(Status.ERROR);
        assertThat(cached.error()).contains("--no-cache");
    }

    @Test
    void tells_the_listener_about_every_cell() throws IOException {
        var seen = new CopyOnWriteArrayList<String>();
        var listener = new ProgressListener() {
            @Override
            public void started(int total) {
                seen.add("start " + total);
            }

            @Override
            public void finished(TestResult result) {
                seen.add("cell");
            }

            @Override
            public void done() {
                seen.add("done");
            }
        };
        var suite = load(TWO_BY_TWO, Map.of("a", ScriptedProvider.echo("a"), "b", ScriptedProvider.echo("b")));
        SuiteRunner.builder().listener(listener).build().run(suite);
        assertThat(seen).hasSize(10).startsWith("start 8").endsWith("done");
    }
}
