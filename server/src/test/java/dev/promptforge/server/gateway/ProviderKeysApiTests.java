package dev.promptforge.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.gateway.fake.FakeOpenAiServer;
import dev.promptforge.server.support.ApiTestBase;
import dev.promptforge.server.support.Http;
import dev.promptforge.server.support.Http.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Provider API keys entered through the API: stored encrypted, used for the next call instead of the
 * configured key, never shown again (not in listings, the audit log or the database in clear), and
 * only by server admins.
 */
abstract class ProviderKeysApiTests extends ApiTestBase {

    /** Shared by the SQLite and PostgreSQL subclasses, so it stops with the test JVM, not after one class. */
    static final FakeOpenAiServer vendor = startVendor();

    private static FakeOpenAiServer startVendor() {
        FakeOpenAiServer server = FakeOpenAiServer.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        return server;
    }

    static final String CONFIGURED = "sk-configured-0001";

    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void upstream(DynamicPropertyRegistry registry) {
        registry.add("promptforge.gateway.providers.vendor.type", () -> "openai");
        registry.add(
                "promptforge.gateway.providers.vendor.base-url",
                () -> vendor.baseUrl().toString());
        registry.add("promptforge.gateway.providers.vendor.api-key", () -> CONFIGURED);
    }

    private String callAndReturnAuthorization() {
        vendor.enqueue(FakeOpenAiServer.answer("Hello."));
        Response response = api.post(
                "/v1/chat/completions",
                Http.json(Map.of(
                        "model", "vendor/gpt-4o-mini", "messages", List.of(Map.of("role", "user", "content", "Hi")))));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return vendor.lastRequest().header("Authorization");
    }

    private String source() {
        for (JsonNode provider : api.get("/api/v1/providers").json()) {
            if (provider.get("name").asString().equals("vendor")) {
                return provider.get("apiKey").asString();
            }
        }
        throw new AssertionError("provider 'vendor' not listed");
    }

    @Test
    void a_stored_key_replaces_the_configured_one_until_it_is_removed_and_is_never_shown() {
        // given
        String stored = "sk-stored-" + unique("k");
        assertThat(callAndReturnAuthorization()).isEqualTo("Bearer " + CONFIGURED);
        // when
        Response put = api.put("/api/v1/providers/vendor/api-key", Http.json(Map.of("apiKey", stored)));
        // then
        assertThat(put.status()).as(put.toString()).isEqualTo(204);
        assertThat(callAndReturnAuthorization()).isEqualTo("Bearer " + stored);
        assertThat(source()).isEqualTo("secrets");
        Response listing = api.get("/api/v1/providers");
        Response audit = api.get("/api/v1/audit?target=secret/provider/vendor/api-key");
        assertThat(audit.status()).isEqualTo(200);
        assertThat(audit.json().toString()).contains("secret.put");
        String ciphertext = jdbc.sql("SELECT ciphertext FROM secrets WHERE name = 'provider/vendor/api-key'")
                .query(String.class)
                .single();
        assertThat(List.of(listing.body(), audit.body(), ciphertext)).noneMatch(text -> text.contains(stored));
        // when removed
        assertThat(api.delete("/api/v1/providers/vendor/api-key").status()).isEqualTo(204);
        // then the configured key is back
        assertThat(callAndReturnAuthorization()).isEqualTo("Bearer " + CONFIGURED);
        assertThat(source()).isEqualTo("configuration");
        assertThat(api.delete("/api/v1/providers/vendor/api-key").status()).isEqualTo(404);
    }

    @Test
    void refuses_bad_keys_unknown_providers_and_the_local_one() {
        // when
        Response blank = api.put("/api/v1/providers/vendor/api-key", Http.json(Map.of("apiKey", " ")));
        Response spaces = api.put("/api/v1/providers/vendor/api-key", Http.json(Map.of("apiKey", "sk with spaces")));
        Response missing = api.put("/api/v1/providers/vendor/api-key", "{}");
        Response unknown = api.put("/api/v1/providers/nope/api-key", Http.json(Map.of("apiKey", "sk-x")));
        Response local = api.put("/api/v1/providers/local/api-key", Http.json(Map.of("apiKey", "sk-x")));
        // then
        assertThat(List.of(blank, spaces, missing)).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            assertThat(r.body()).contains("apiKey");
        });
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(local.status()).isEqualTo(422);
        assertThat(source()).isEqualTo("configuration");
    }

    @Test
    void only_server_admins_manage_provider_keys() {
        // given a project owner's key
        String project = unique("pk");
        api.post("/api/v1/projects", Http.json(Map.of("name", project)));
        String owner = unique("owner");
        api.post("/api/v1/users", Http.json(Map.of("username", owner, "password", "a-long-password")));
        api.put("/api/v1/projects/" + project + "/members/" + owner, Http.json(Map.of("role", "OWNER")));
        String key = api.post(
                        "/api/v1/projects/" + project + "/keys",
                        Http.json(Map.of("name", "k", "user", owner, "scopes", List.of("read", "write", "admin"))))
                .json()
                .get("key")
                .asString();
        Http ownerApi = api.withKey(key);
        // when
        Response list = ownerApi.get("/api/v1/providers");
        Response put = ownerApi.put("/api/v1/providers/vendor/api-key", Http.json(Map.of("apiKey", "sk-evil")));
        Response delete = ownerApi.delete("/api/v1/providers/vendor/api-key");
        // then
        assertThat(List.of(list, put, delete))
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(403));
        assertThat(callAndReturnAuthorization()).isEqualTo("Bearer " + CONFIGURED);
    }
}
