package dev.promptforge.server.limits;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Rate limits ({@code promptforge.ratelimit.*}): each API key has one token bucket per route class,
 * holding {@code execute}, {@code read} or {@code write} requests and refilled evenly over {@code
 * period}.
 *
 * @param enabled false turns rate limiting off
 * @param store where buckets live: {@code memory} (this instance) or {@code postgres} (the
 *     database's table {@code rate_limit_buckets}, shared by the instances using it) or {@code
 *     redis} (at {@code redisUrl}, shared likewise)
 * @param redisUrl the Redis server of the {@code redis} store
 * @param execute executions per period and key
 * @param read reads per period and key
 * @param write other requests per period and key
 * @param period the window the capacities are given for
 */
@ConfigurationProperties("promptforge.ratelimit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("memory") String store,
        @DefaultValue("redis://127.0.0.1:6379") String redisUrl,
        @DefaultValue("6000") long execute,
        @DefaultValue("1200") long read,
        @DefaultValue("120") long write,
        @DefaultValue("1m") Duration period) {

    public RateLimitProperties {
        if (!MEMORY.equals(store) && !POSTGRES.equals(store) && !REDIS.equals(store)) {
            throw new IllegalArgumentException(
                    "promptforge.ratelimit.store must be 'memory', 'postgres' or 'redis', got '" + store + "'");
        }
        if (execute < 1 || read < 1 || write < 1) {
            throw new IllegalArgumentException("promptforge.ratelimit.execute, read and write must be at least 1");
        }
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("promptforge.ratelimit.period must be positive");
        }
    }

    static final String MEMORY = "memory";
    static final String POSTGRES = "postgres";
    static final String REDIS = "redis";

    long capacity(RouteClass route) {
        return switch (route) {
            case EXECUTE -> execute;
            case READ -> read;
            case WRITE -> write;
        };
    }
}
