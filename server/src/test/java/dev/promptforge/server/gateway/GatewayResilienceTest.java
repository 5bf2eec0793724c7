package dev.promptforge.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.support.ApiTestBase;
import dev.promptforge.server.support.Http;
import dev.promptforge.server.support.Http.Response;
import dev.promptforge.server.support.SqliteTestDatabase;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** Retries, Retry-After, the failure → status mapping, fallback and the circuit breaker, through HTTP. */
@ContextConfiguration(initializers = SqliteTestDatabase.class)
@Import(GatewayResilienceTest.Scripted.class)
@TestPropertySource(
        properties = {
            "promptforge.gateway.max-retries=2",
            "promptforge.gateway.retry-budget-reserve=1000",
            "promptforge.gateway.initial-backoff=1ms",
            "promptforge.gateway.max-backoff=20ms",
            "promptforge.gateway.breaker-window=10",
            "promptforge.gateway.breaker-open-for=60s"
        })
class GatewayResilienceTest extends ApiTestBase {

    @TestConfiguration
    static class Scripted {
        @Bean
        ScriptedProvider flaky() {
            return new ScriptedProvider("flaky");
        }

        @Bean
        ScriptedProvider backup() {
            return new ScriptedProvider("backup");
        }

        @Bean
        ScriptedProvider fragile() {
            return new ScriptedProvider("fragile");
        }
    }

    @Autowired
    ScriptedProvider flaky;

    @Autowired
    ScriptedProvider backup;

    @Autowired
    ScriptedProvider fragile;

    @Autowired
    CircuitBreakerRegistry breakers;

    @BeforeEach
    void reset() {
        flaky.reset();
        backup.reset();
        fragile.reset();
        breakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
    }

    private Response call(String model, String... fallbacks) {
        return api.post(
                "/api/v1/prompt/execute",
                Http.json(Map.of(
                        "project",
                        "resilience",
                        "messages",
                        List.of(Map.of("role", "user", "content", "hello")),
                        "model",
                        model,
                        "fallbackModels",
                        List.of(fallbacks))));
    }

    @BeforeEach
    void project() {
        api.post("/api/v1/projects", Http.json(Map.of("name", "resilience")));
    }

    @Test
    void retries_server_errors_and_then_succeeds() {
        // given
        flaky.thenFail(new ProviderFailure.Unavailable(503)).thenFail(new ProviderFailure.Unavailable(500));
        // when
        Response response = call("flaky/m");
        // then
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().get("attempts").asInt()).isEqualTo(3);
        assertThat(flaky.calls.get()).isEqualTo(3);
        JsonNode record = api.get(
                        "/api/v1/records/" + response.json().get("recordId").asString())
                .json();
        assertThat(record.get("attempts").asInt()).isEqualTo(3);
        assertThat(record.get("usage").get("estimated").asBoolean()).isFalse();
    }

    @Test
    void passes_a_429_with_its_retry_after_on_when_retries_are_exhausted() {
        // given
        for (int i = 0; i < 3; i++) {
            flaky.thenFail(new ProviderFailure.RateLimited(Duration.ofMillis(1500)));
        }
        // when
        Response response = call("flaky/m");
        // then
        assertThat(response.status()).isEqualTo(429);
        assertThat(response.header("Retry-After")).isEqualTo("2");
        assertThat(flaky.calls.get()).isEqualTo(3);
        JsonNode record = api.get(
                        "/api/v1/records/" + response.json().get("recordId").asString())
                .json();
        assertThat(record.get("status").asString()).isEqualTo("error");
        assertThat(record.get("error").get("type").asString()).isEqualTo("RateLimited");
    }

    @Test
    void does_not_retry_a_request_the_provider_refused() {
        flaky.thenFail(new ProviderFailure.BadRequest(400));
        Response response = call("flaky/m", "backup/m");
        assertThat(response.status()).isEqualTo(400);
        assertThat(flaky.calls.get()).isEqualTo(1);
        assertThat(backup.calls.get()).isZero();
    }

    @Test
    void maps_timeouts_to_504_and_bad_answers_to_502() {
        for (int i = 0; i < 3; i++) {
            flaky.thenFail(new ProviderFailure.TimedOut(Duration.ofSeconds(1)));
        }
        assertThat(call("flaky/m").status()).isEqualTo(504);
        flaky.thenFail(new ProviderFailure.Malformed());
        Response malformed = call("flaky/m");
        assertThat(malformed.status()).isEqualTo(502);
        assertThat(malformed.json().get("title").asString()).isEqualTo("Bad answer from the provider");
        flaky.thenFail(new ProviderFailure.AuthFailed(401));
        assertThat(call("flaky/m").status()).isEqualTo(502);
    }

    @Test
    void falls_back_to_the_next_model_when_one_keeps_failing() {
        // given
        for (int i = 0; i < 3; i++) {
            flaky.thenFail(new ProviderFailure.Unavailable(503));
        }
        backup.thenAnswer("from the backup");
        // when
        Response response = call("flaky/m", "backup/m");
        // then
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().get("output").asString()).isEqualTo("from the backup");
        assertThat(response.json().get("model").asString()).isEqualTo("backup/m");
        assertThat(response.json().get("attempts").asInt()).isEqualTo(4);
    }

    @Test
    void opens_the_circuit_after_repeated_failures_and_stops_calling() {
        // given a provider that fails every call
        for (int i = 0; i < 30; i++) {
            fragile.thenFail(new ProviderFailure.Unavailable(503));
        }
        // when calls keep failing
        Response last = null;
        for (int i = 0; i < 3; i++) {
            last = call("fragile/m");
        }
        int callsWhenOpen = fragile.calls.get();
        Response refused = call("fragile/m");
        // then the breaker answers 503 with Retry-After and the provider is not called
        assertThat(last.status()).isIn(502, 503);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("Retry-After")).isEqualTo("60");
        assertThat(refused.json().get("detail").asString()).contains("'fragile'");
        assertThat(fragile.calls.get()).isEqualTo(callsWhenOpen);
    }

    @Test
    void retries_a_stream_that_fails_before_its_first_chunk() {
        flaky.thenFail(new ProviderFailure.Unavailable(503)).thenAnswer("streamed after a retry");
        Response response = api.post(
                "/v1/chat/completions",
                Http.json(Map.of(
                        "model",
                        "flaky/m",
                        "stream",
                        true,
                        "messages",
                        List.of(Map.of("role", "user", "content", "x")))),
                "X-PromptForge-Project",
                "resilience");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.body()).contains("streamed ").contains("data: [DONE]");
        assertThat(flaky.calls.get()).isEqualTo(2);
    }
}
