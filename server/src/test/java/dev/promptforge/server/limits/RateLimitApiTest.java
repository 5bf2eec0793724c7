package dev.promptforge.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.support.ApiTestBase;
import dev.promptforge.server.support.Http;
import dev.promptforge.server.support.Http.Response;
import dev.promptforge.server.support.SqliteTestDatabase;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/** Rate limits through HTTP, with small buckets; they live in memory, so one database suffices. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "promptforge.bootstrap.api-key=" + ApiTestBase.KEY,
            "promptforge.bootstrap.admin-password=" + ApiTestBase.ADMIN_PASSWORD,
            "promptforge.demo.enabled=false",
            "promptforge.ratelimit.execute=2",
            "promptforge.ratelimit.write=3",
            "promptforge.ratelimit.read=1000",
            "promptforge.ratelimit.period=1h",
            "logging.structured.format.console=",
            "logging.level.root=warn"
        })
@ContextConfiguration(initializers = SqliteTestDatabase.class)
class RateLimitApiTest {

    @LocalServerPort
    int port;

    private Http api;

    @BeforeEach
    void connect() {
        api = new Http(port, ApiTestBase.KEY);
    }

    @Test
    void limits_each_route_class_per_key_and_answers_429_with_the_rate_limit_headers() {
        // given
        String chat =
                Http.json(Map.of("model", "local/echo", "messages", List.of(Map.of("role", "user", "content", "hi"))));
        String project =
                Http.json(Map.of("name", "rl-" + UUID.randomUUID().toString().substring(0, 8)));
        // when: two executions through the proxy use the execute bucket...
        Response first = api.post("/v1/chat/completions", chat);
        Response second = api.post("/v1/chat/completions", chat);
        Response third = api.post("/v1/chat/completions", chat);
        Response viaExecuteApi = api.post(
                "/api/v1/prompt/execute",
                Http.json(Map.of(
                        "project",
                        "default",
                        "model",
                        "local/echo",
                        "messages",
                        List.of(Map.of("role", "user", "content", "hi")))));
        // ...which the write bucket does not share
        Response write = api.post("/api/v1/projects", project);
        Response read = api.get("/api/v1/projects");
        // then
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.header("RateLimit-Policy")).isEqualTo("\"execute\";q=2;w=3600");
        assertThat(first.header("RateLimit")).isEqualTo("\"execute\";r=1;t=1800");
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.header("RateLimit")).isEqualTo("\"execute\";r=0;t=3600");
        for (Response refused : List.of(third, viaExecuteApi)) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.json().get("title").asString()).isEqualTo("Too many requests");
            assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 1800L);
            assertThat(refused.header("RateLimit-Policy")).isEqualTo("\"execute\";q=2;w=3600");
            assertThat(refused.header("RateLimit")).startsWith("\"execute\";r=0;t=");
        }
        assertThat(third.json().get("error").get("type").asString())
                .as("the proxy's problems carry OpenAI's error object")
                .isNotBlank();
        assertThat(write.status()).as(write.toString()).isEqualTo(201);
        assertThat(write.header("RateLimit-Policy")).isEqualTo("\"write\";q=3;w=3600");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("RateLimit")).isEqualTo("\"read\";r=999;t=4");
        // and the storm is a security event
        String metrics = api.get("/actuator/prometheus").body();
        assertThat(metrics)
                .containsPattern("promptforge_security_events_total\\{[^}]*type=\"rate_limited\"[^}]*} [2-9]");
    }

    @Test
    void a_request_without_a_key_is_refused_before_any_bucket() {
        Response response = api.withKey(null).get("/api/v1/projects");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("RateLimit")).isNull();
    }
}
