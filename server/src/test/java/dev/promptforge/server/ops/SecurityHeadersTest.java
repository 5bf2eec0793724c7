package dev.promptforge.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.shared.SecurityHeaders;
import dev.promptforge.server.support.ApiTestBase;
import dev.promptforge.server.support.Http;
import dev.promptforge.server.support.Http.Response;
import dev.promptforge.server.support.SqliteTestDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

/** Security headers on every kind of answer, and refused keys in the security log's metric. */
@ContextConfiguration(initializers = SqliteTestDatabase.class)
class SecurityHeadersTest extends ApiTestBase {

    @Autowired
    JdbcClient jdbc;

    @Test
    void every_answer_carries_the_security_headers_the_proxys_included() {
        String chat =
                Http.json(Map.of("model", "local/echo", "messages", List.of(Map.of("role", "user", "content", "hi"))));
        List<Response> answers = List.of(
                api.get("/api/v1/health"),
                api.get("/api/v1/projects"),
                api.get("/api/v1/projects/nope-404"),
                api.get("/no/such/page"),
                api.get("/docs"),
                api.post("/v1/chat/completions", chat),
                api.withKey(null).post("/v1/chat/completions", chat),
                api.post("/v1/chat/completions", "{not json"));
        for (Response answer : answers) {
            assertThat(answer.header("Content-Security-Policy"))
                    .as(answer.toString())
                    .isEqualTo(SecurityHeaders.CSP)
                    .contains("frame-ancestors 'none'")
                    .contains("script-src 'self'")
                    .doesNotContain("unsafe-inline");
            assertThat(answer.raw().headers().allValues("X-Content-Type-Options"))
                    .containsExactly("nosniff");
            assertThat(answer.raw().headers().allValues("X-Frame-Options")).containsExactly("DENY");
            assertThat(answer.header("Referrer-Policy")).isEqualTo("no-referrer");
            assertThat(answer.header("Strict-Transport-Security"))
                    .as("no HSTS over plain HTTP")
                    .isNull();
        }
        assertThat(answers.get(5).status()).isEqualTo(200);
        assertThat(answers.get(6).status()).isEqualTo(401);
    }

    @Test
    void a_rejected_key_is_a_security_event() {
        double before = events("key_rejected");
        Response wrongKey = api.withKey("pf_wrong-key-000000000000").get("/api/v1/projects");
        Response wrongProxyKey = api.withKey("pf_wrong-key-000000000000").post("/v1/chat/completions", "{}");
        Response noKey = api.withKey(null).get("/api/v1/projects");
        assertThat(wrongKey.status()).isEqualTo(401);
        assertThat(wrongProxyKey.status()).isEqualTo(401);
        assertThat(noKey.status()).isEqualTo(401);
        assertThat(events("key_rejected")).as("a missing key is not an event").isEqualTo(before + 2);
    }

    @Test
    void an_authorization_denial_is_a_security_event() throws Exception {
        // given a key without the admin scope (as AuditApiTests makes one)
        String key = "pf_reader-" + UUID.randomUUID();
        String userId = UUID.randomUUID().toString();
        jdbc.sql("INSERT INTO users (id, username, password_hash, server_admin, created_at)"
                        + " VALUES (:id, :name, 'x', FALSE, 0)")
                .param("id", userId)
                .param("name", unique("reader"))
                .update();
        jdbc.sql("INSERT INTO api_keys (id, name, prefix, key_hash, user_id, scopes, created_at)"
                        + " VALUES (:id, 'reader', :prefix, :hash, :user, 'read,write', 0)")
                .param("id", UUID.randomUUID().toString())
                .param("prefix", key.substring(0, 10))
                .param(
                        "hash",
                        HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256")
                                        .digest(key.getBytes(StandardCharsets.UTF_8))))
                .param("user", userId)
                .update();
        double before = events("access_denied");
        // when
        Response denied = api.withKey(key).get("/api/v1/audit");
        Response allowed = api.withKey(key).get("/api/v1/projects");
        // then
        assertThat(denied.status()).isEqualTo(403);
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(events("access_denied")).isEqualTo(before + 1);
    }

    private double events(String type) {
        double sum = 0;
        for (String line : api.get("/actuator/prometheus").body().split("\n")) {
            if (line.startsWith("promptforge_security_events_total{") && line.contains("type=\"" + type + "\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
