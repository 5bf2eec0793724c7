package dev.promptforge.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final GatewayProperties properties = new GatewayProperties(
            Duration.ofSeconds(60),
            2,
            0.2,
            10,
            Duration.ofMillis(200),
            Duration.ofSeconds(10),
            20,
            0.5f,
            Duration.ofSeconds(30),
            null,
            "default",
            false,
            Map.of(),
            new GatewayProperties.Local(Duration.ZERO, 0, 42));
    private final Gateway gateway =
            new Gateway(null, null, null, properties, null, null, null, null, null, null, null, null, null, null);

    @RepeatedTest(20)
    void jitters_within_an_exponential_ceiling() {
        assertThat(gateway.backoff(1, null)).isBetween(0L, 200L);
        assertThat(gateway.backoff(3, null)).isBetween(0L, 800L);
        assertThat(gateway.backoff(30, null)).isBetween(0L, 10_000L);
    }

    @Test
    void honours_retry_after_up_to_the_maximum() {
        var limited = new ProviderException(new ProviderFailure.RateLimited(Duration.ofMillis(1500)), "429");
        var tooLong = new ProviderException(new ProviderFailure.RateLimited(Duration.ofMinutes(5)), "429");
        assertThat(gateway.backoff(1, limited)).isEqualTo(1500);
        assertThat(gateway.backoff(1, tooLong)).isEqualTo(10_000);
    }

    @Test
    void a_retry_budget_allows_a_share_of_calls_as_retries() {
        RetryBudget budget = new RetryBudget(0.2, 2);
        // the reserve
        assertThat(budget.tryRetry()).isTrue();
        assertThat(budget.tryRetry()).isTrue();
        assertThat(budget.tryRetry()).isFalse();
        // five calls earn one retry
        for (int i = 0; i < 5; i++) {
            budget.recordCall();
        }
        assertThat(budget.tryRetry()).isTrue();
        assertThat(budget.tryRetry()).isFalse();
    }
}
