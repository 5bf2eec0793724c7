package dev.promptforge.server.limits;

import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.SecurityEvents;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import jakarta.servlet.http.HttpServletResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Token buckets (Bucket4j) per API key and {@link RouteClass}, in memory or, with {@code
 * promptforge.ratelimit.store=postgres} or {@code redis}, in PostgreSQL or Redis shared by all instances. A request takes one token;
 * an empty bucket answers 429 with {@code Retry-After} and the IETF draft's {@code RateLimit-Policy}
 * and {@code RateLimit} headers, which every limited answer carries. A checked request costs a map
 * lookup and a lock-free bucket update in memory, one short transaction with the shared store.
 */
@Component
public class RateLimiter implements DisposableBean {

    static final String POLICY_HEADER = "RateLimit-Policy";
    static final String LIMIT_HEADER = "RateLimit";

    /** A key's bucket for one route class, and when its last refusal was logged (a storm logs once a window). */
    private record Limited(Bucket bucket, AtomicLong lastLogged) {}

    private final RateLimitProperties properties;
    private final SecurityEvents events;
    private final Clock clock;
    private final TimeMeter time;
    private final Map<RouteClass, Map<String, Limited>> buckets = new EnumMap<>(RouteClass.class);
    private final Map<RouteClass, String> policies = new EnumMap<>(RouteClass.class);
    private final @Nullable ProxyManager<String> shared;

    /** Buckets of this instance only. */
    RateLimiter(RateLimitProperties properties, SecurityEvents events, Clock clock) {
        this(properties, events, clock, null);
    }

    /** Buckets in memory, or in the database's {@code rate_limit_buckets} when the store is {@code postgres}. */
    @Autowired
    RateLimiter(RateLimitProperties properties, SecurityEvents events, Clock clock, @Nullable DataSource dataSource) {
        this.properties = properties;
        this.events = events;
        this.clock = clock;
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return TimeUnit.MILLISECONDS.toNanos(clock.millis());
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        this.shared = switch (properties.store()) {
            case RateLimitProperties.POSTGRES -> postgres(dataSource, time);
            case RateLimitProperties.REDIS -> redis(properties, time);
            default -> null;
        };
        for (RouteClass route : RouteClass.values()) {
            buckets.put(route, new ConcurrentHashMap<>());
            policies.put(
                    route,
                    "\"" + route.tag + "\";q=" + properties.capacity(route) + ";w="
                            + properties.period().toSeconds());
        }
    }

    /**
     * Takes one token from the key's bucket for the route class and sets the rate-limit headers.
     *
     * @throws ApiException 429 when the bucket is empty
     */
    public void check(String keyId, RouteClass route, HttpServletResponse response) {
        if (!properties.enabled()) {
            return;
        }
        Limited limited = buckets.get(route).computeIfAbsent(keyId, id -> newBucket(route, id));
        ConsumptionProbe probe = limited.bucket().tryConsumeAndReturnRemaining(1);
        String policy = policies.get(route);
        if (probe.isConsumed()) {
            response.setHeader(POLICY_HEADER, policy);
            response.setHeader(LIMIT_HEADER, limit(route, probe.getRemainingTokens(), untilFull(route, probe)));
            return;
        }
        long retryAfter = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
        storm(keyId, route, limited);
        throw new ApiException(
                        HttpStatus.TOO_MANY_REQUESTS,
                        "Too many requests",
                        "This API key has used its " + properties.capacity(route) + " " + route.tag
                                + " requests per " + properties.period().toSeconds() + " s; retry in " + retryAfter
                                + " s.")
                .withHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfter))
                .withHeader(POLICY_HEADER, policy)
                .withHeader(LIMIT_HEADER, limit(route, 0, retryAfter))
                .withProperty("limit", route.tag);
    }

    private static String limit(RouteClass route, long remaining, long reset) {
        return "\"" + route.tag + "\";r=" + remaining + ";t=" + reset;
    }

    /** Seconds until the bucket is full again, at the even refill rate. */
    private long untilFull(RouteClass route, ConsumptionProbe probe) {
        long capacity = properties.capacity(route);
        long missing = capacity - probe.getRemainingTokens();
        return (long) Math.ceil(missing * (double) properties.period().toSeconds() / capacity);
    }

    /** Logs the first refusal of a key in each window; later ones of the same storm are only counted. */
    private void storm(String keyId, RouteClass route, Limited limited) {
        long now = clock.millis();
        long last = limited.lastLogged().get();
        if (now - last >= properties.period().toMillis() && limited.lastLogged().compareAndSet(last, now)) {
            events.record(
                    SecurityEvents.Type.RATE_LIMITED,
                    "key " + keyId + " is over its " + route.tag + " rate limit ("
                            + properties.capacity(route) + " per "
                            + properties.period().toSeconds()
                            + " s); further refusals in this window are counted, not logged");
        } else {
            events.count(SecurityEvents.Type.RATE_LIMITED);
        }
    }

    private Limited newBucket(RouteClass route, String keyId) {
        long capacity = properties.capacity(route);
        Bandwidth limit = Bandwidth.builder()
                .capacity(capacity)
                .refillGreedy(capacity, properties.period())
                .build();
        Bucket bucket = shared != null
                ? shared.builder()
                        .build(
                                route.tag + ":" + keyId,
                                () -> BucketConfiguration.builder()
                                        .addLimit(limit)
                                        .build())
                : Bucket.builder().addLimit(limit).withCustomTimePrecision(time).build();
        return new Limited(bucket, new AtomicLong(Long.MIN_VALUE / 2));
    }

    /**
     * Buckets in PostgreSQL (Bucket4j's select-for-update proxy on {@code rate_limit_buckets}): one
     * short transaction per check, so every instance on the database shares each key's buckets.
     */
    private static ProxyManager<String> postgres(@Nullable DataSource dataSource, TimeMeter time) {
        if (dataSource == null || !isPostgres(dataSource)) {
            throw new IllegalStateException("promptforge.ratelimit.store=postgres needs PostgreSQL as the database"
                    + " (PROMPTFORGE_DB_URL=jdbc:postgresql://…); use 'memory' with SQLite");
        }
        return Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_buckets")
                .clientClock(time)
                .build();
    }

    /**
     * Buckets in Redis (Bucket4j's compare-and-swap proxy over Lettuce): one round trip per check;
     * a bucket's key expires once it would be full again.
     */
    private ProxyManager<String> redis(RateLimitProperties properties, TimeMeter time) {
        RedisClient client = RedisClient.create(properties.redisUrl());
        try {
            StatefulRedisConnection<String, byte[]> connection =
                    client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
            this.redis = new RedisResources(client, connection);
            return Bucket4jLettuce.casBasedBuilder(connection)
                    .expirationAfterWrite(
                            ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(properties.period()))
                    .clientClock(time)
                    .build();
        } catch (RuntimeException e) {
            client.shutdown();
            throw new IllegalStateException(
                    "promptforge.ratelimit.store=redis cannot reach Redis at " + properties.redisUrl() + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private record RedisResources(RedisClient client, StatefulRedisConnection<String, byte[]> connection) {}

    private @Nullable RedisResources redis;

    /** Closes the Redis connection of the redis store. */
    @Override
    public void destroy() {
        RedisResources resources = redis;
        if (resources != null) {
            resources.connection().close();
            resources.client().shutdown();
        }
    }

    private static boolean isPostgres(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the database for the rate-limit store: " + e.getMessage(), e);
        }
    }
}
