package dev.promptforge.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.SecurityEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * Two instances on one Redis share each key's buckets (promptforge.ratelimit.store=redis). Needs
 * Redis at PROMPTFORGE_TEST_REDIS_URL (default redis://127.0.0.1:6379); outside CI it is skipped
 * when none answers.
 */
class RedisRateLimitStoreTest {

    private static final String URL =
            System.getenv().getOrDefault("PROMPTFORGE_TEST_REDIS_URL", "redis://127.0.0.1:6379");

    private final RateLimiterTest.MovableClock clock = new RateLimiterTest.MovableClock();

    @Test
    void instances_sharing_a_redis_share_each_keys_bucket() throws Exception {
        assumeTrue("true".equalsIgnoreCase(System.getenv("CI")) || redisAnswers(), "no Redis at " + URL);
        // given: two limiters on one Redis, and keys no other run uses
        RateLimitProperties properties =
                new RateLimitProperties(true, "redis", URL, 3, 100, 100, Duration.ofMinutes(1));
        RateLimiter one = new RateLimiter(properties, events(), clock, null);
        RateLimiter two = new RateLimiter(properties, events(), clock, null);
        String key = "test-" + UUID.randomUUID();
        try {
            // when: the key spends its three executions across both
            one.check(key, RouteClass.EXECUTE, new MockHttpServletResponse());
            two.check(key, RouteClass.EXECUTE, new MockHttpServletResponse());
            MockHttpServletResponse third = new MockHttpServletResponse();
            one.check(key, RouteClass.EXECUTE, third);
            // then
            assertThat(third.getHeader("RateLimit")).isEqualTo("\"execute\";r=0;t=60");
            assertThatThrownBy(() -> two.check(key, RouteClass.EXECUTE, new MockHttpServletResponse()))
                    .isInstanceOfSatisfying(
                            ApiException.class,
                            e -> assertThat(e.status().value()).isEqualTo(429));
            two.check(key + "-other", RouteClass.EXECUTE, new MockHttpServletResponse());
            one.check(key, RouteClass.READ, new MockHttpServletResponse());
            clock.now = clock.now.plusSeconds(20);
            two.check(key, RouteClass.EXECUTE, new MockHttpServletResponse());
            assertThatThrownBy(() -> one.check(key, RouteClass.EXECUTE, new MockHttpServletResponse()))
                    .isInstanceOf(ApiException.class);
        } finally {
            one.destroy();
            two.destroy();
        }
    }

    @Test
    void refuses_to_start_when_redis_does_not_answer() {
        RateLimitProperties properties =
                new RateLimitProperties(true, "redis", "redis://127.0.0.1:1", 3, 3, 3, Duration.ofMinutes(1));
        assertThatThrownBy(() -> new RateLimiter(properties, events(), clock, null))
                .hasMessageContaining("cannot reach Redis at redis://127.0.0.1:1");
    }

    private static boolean redisAnswers() {
        java.net.URI uri = java.net.URI.create(URL);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static SecurityEvents events() {
        try {
            Constructor<SecurityEvents> constructor = SecurityEvents.class.getDeclaredConstructor(MeterRegistry.class);
            constructor.setAccessible(true);
            return constructor.newInstance(new SimpleMeterRegistry());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
