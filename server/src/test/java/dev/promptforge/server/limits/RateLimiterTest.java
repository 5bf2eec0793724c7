package dev.promptforge.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.SecurityEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Constructor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;

/** Token buckets on an injected clock: refusal, refill and separate buckets, without sleeping. */
class RateLimiterTest {

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovableClock clock = new MovableClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RateLimiter limiter = new RateLimiter(
            new RateLimitProperties(true, "memory", "redis://127.0.0.1:6379", 2, 100, 5, Duration.ofMinutes(1)),
            events(meters),
            clock);

    @Test
    void refuses_the_request_after_the_capacity_and_refills_over_the_period() {
        // given
        limiter.check("k1", RouteClass.EXECUTE, new MockHttpServletResponse());
        limiter.check("k1", RouteClass.EXECUTE, new MockHttpServletResponse());
        // when / then
        assertThatThrownBy(() -> limiter.check("k1", RouteClass.EXECUTE, new MockHttpServletResponse()))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(429);
                    assertThat(e.headers())
                            .containsEntry("Retry-After", "30")
                            .containsEntry("RateLimit-Policy", "\"execute\";q=2;w=60")
                            .containsEntry("RateLimit", "\"execute\";r=0;t=30");
                });
        // another key and another route class have their own buckets
        limiter.check("k2", RouteClass.EXECUTE, new MockHttpServletResponse());
        limiter.check("k1", RouteClass.READ, new MockHttpServletResponse());
        // half the period later, one token is back
        clock.now = clock.now.plusSeconds(30);
        MockHttpServletResponse response = new MockHttpServletResponse();
        limiter.check("k1", RouteClass.EXECUTE, response);
        assertThat(response.getHeader("RateLimit")).isEqualTo("\"execute\";r=0;t=60");
        assertThat(meters.get("promptforge.security.events")
                        .tag("type", "rate_limited")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void a_disabled_limiter_lets_everything_through() {
        RateLimiter off = new RateLimiter(
                new RateLimitProperties(false, "memory", "redis://127.0.0.1:6379", 1, 1, 1, Duration.ofMinutes(1)),
                events(meters),
                clock);
        for (int i = 0; i < 10; i++) {
            off.check("k", RouteClass.WRITE, new MockHttpServletResponse());
        }
    }

    @Test
    void refuses_a_store_that_does_not_exist() {
        assertThatThrownBy(() -> new RateLimitProperties(
                        true, "memcached", "redis://127.0.0.1:6379", 1, 1, 1, Duration.ofMinutes(1)))
                .hasMessageContaining("promptforge.ratelimit.store");
    }

    private static SecurityEvents events(SimpleMeterRegistry meters) {
        try {
            Constructor<SecurityEvents> constructor =
                    SecurityEvents.class.getDeclaredConstructor(io.micrometer.core.instrument.MeterRegistry.class);
            constructor.setAccessible(true);
            return constructor.newInstance(meters);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
