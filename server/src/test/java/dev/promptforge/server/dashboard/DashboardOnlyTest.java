package dev.promptforge.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.support.ApiTestBase;
import dev.promptforge.server.support.Http;
import dev.promptforge.server.support.SqliteTestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/** {@code promptforge dashboard}: the pages are served, the API and the gateway are not. */
@ContextConfiguration(initializers = SqliteTestDatabase.class)
@TestPropertySource(properties = "promptforge.dashboard.only=true")
class DashboardOnlyTest extends ApiTestBase {

    @Test
    void serves_the_sign_in_page_but_not_the_api_nor_the_gateway() {
        // when
        Http.Response login = api.withKey(null).get("/login");
        Http.Response projects = api.get("/api/v1/projects");
        Http.Response chat = api.post(
                "/v1/chat/completions",
                "{\"model\":\"local/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        // then
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.body()).contains("Sign in");
        assertThat(projects.status()).isEqualTo(404);
        assertThat(projects.header("Content-Type")).startsWith("application/problem+json");
        assertThat(projects.body()).contains("serves only the dashboard");
        assertThat(chat.status()).isEqualTo(404);
        assertThat(chat.body()).contains("promptforge serve");
    }
}
