package dev.promptforge.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.SecurityEvents;
import dev.promptforge.server.support.PostgresTestDatabase;
import dev.promptforge.server.support.RequiresPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Constructor;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.mock.web.MockHttpServletResponse;

/** Two instances on one PostgreSQL database share each key's buckets (promptforge.ratelimit.store=postgres). */
@RequiresPostgres
class PostgresRateLimitStoreTest {

    private final String schema =
            "pf_test_rl_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final RateLimiterTest.MovableClock clock = new RateLimiterTest.MovableClock();

    @AfterEach
    void drop() throws Exception {
        try (Connection c = DriverManager.getConnection(PostgresTestDatabase.url(), user(), password());
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void instances_sharing_a_database_share_each_keys_bucket() {
        // given: the schema as Flyway makes it, and two limiters on it
        String url = PostgresTestDatabase.url() + (PostgresTestDatabase.url().contains("?") ? "&" : "?")
                + "currentSchema=" + schema;
        DriverManagerDataSource dataSource = new DriverManagerDataSource(url, user(), password());
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(schema)
                .createSchemas(true)
                .locations("classpath:db/migration/postgresql")
                .load()
                .migrate();
        RateLimitProperties properties =
                new RateLimitProperties(true, "postgres", "redis://127.0.0.1:6379", 3, 100, 100, Duration.ofMinutes(1));
        RateLimiter one = new RateLimiter(properties, events(), clock, dataSource);
        RateLimiter two = new RateLimiter(properties, events(), clock, dataSource);
        // when: the key spends its three executions across both
        one.check("key-a", RouteClass.EXECUTE, new MockHttpServletResponse());
        two.check("key-a", RouteClass.EXECUTE, new MockHttpServletResponse());
        MockHttpServletResponse third = new MockHttpServletResponse();
        one.check("key-a", RouteClass.EXECUTE, third);
        // then: the fourth is refused on either, another key and class are untouched
        assertThat(third.getHeader("RateLimit")).isEqualTo("\"execute\";r=0;t=60");
        assertThatThrownBy(() -> two.check("key-a", RouteClass.EXECUTE, new MockHttpServletResponse()))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status().value()).isEqualTo(429));
        two.check("key-b", RouteClass.EXECUTE, new MockHttpServletResponse());
        one.check("key-a", RouteClass.READ, new MockHttpServletResponse());
        assertThat(new org.springframework.jdbc.core.JdbcTemplate(dataSource)
                        .queryForObject("SELECT COUNT(*) FROM rate_limit_buckets", Integer.class))
                .isEqualTo(3);
        // and a refill seen by one instance is seen by the other
        clock.now = clock.now.plusSeconds(20);
        two.check("key-a", RouteClass.EXECUTE, new MockHttpServletResponse());
        assertThatThrownBy(() -> one.check("key-a", RouteClass.EXECUTE, new MockHttpServletResponse()))
                .isInstanceOf(ApiException.class);
    }

    @Test
    void refuses_the_postgres_store_without_postgresql() {
        DriverManagerDataSource sqlite = new DriverManagerDataSource("jdbc:sqlite::memory:");
        RateLimitProperties properties =
                new RateLimitProperties(true, "postgres", "redis://127.0.0.1:6379", 3, 3, 3, Duration.ofMinutes(1));
        assertThatThrownBy(() -> new RateLimiter(properties, events(), clock, sqlite))
                .hasMessageContaining("needs PostgreSQL");
    }

    private static String user() {
        return PostgresTestDatabase.user();
    }

    private static String password() {
        return PostgresTestDatabase.password();
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
