package dev.promptforge.server.support;

import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Base of the HTTP integration tests: a real server on a random port, a bootstrap API key, and a
 * database chosen by the subclass ({@link SqliteTestDatabase} or {@link PostgresTestDatabase} through
 * {@code @ContextConfiguration(initializers = …)}), so the same tests run on both.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "promptforge.bootstrap.api-key=" + ApiTestBase.KEY,
            "promptforge.bootstrap.admin-password=" + ApiTestBase.ADMIN_PASSWORD,
            "promptforge.demo.enabled=false",
            // The suites share one key and one cached context, so the per-minute limits are far
            // above what they send; RateLimitApiTest runs its own context with small buckets.
            "promptforge.ratelimit.execute=1000000",
            "promptforge.ratelimit.read=1000000",
            "promptforge.ratelimit.write=1000000",
            "logging.structured.format.console=",
            "logging.level.root=warn",
            "logging.level.dev.promptforge=info"
        })
public abstract class ApiTestBase {

    public static final String KEY = "pf_test-bootstrap-key-0123456789";
    public static final String ADMIN_PASSWORD = "test-admin-password";

    @LocalServerPort
    protected int port;

    protected Http api;

    @BeforeEach
    void connect() {
        api = new Http(port, KEY);
    }

    /** A name no other test uses, so tests sharing one database never collide. */
    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
