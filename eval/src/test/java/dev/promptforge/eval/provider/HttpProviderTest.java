package dev.promptforge.eval.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.promptforge.eval.EvalProvider;
import dev.promptforge.eval.Message;
import dev.promptforge.eval.ProviderCallException;
import dev.promptforge.eval.ProviderRequest;
import dev.promptforge.eval.provider.LoopbackServer.Reply;
import dev.promptforge.eval.suite.Location;
import dev.promptforge.eval.suite.ProviderSpec;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class HttpProviderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Location HERE = new Location("suite.yaml", 3, 5);

    private final ProviderRegistry registry = ProviderRegistry.withBuiltIns(
                    Map.of("API_TOKEN", "t0ken"), HttpClient.newHttpClient())
            .build();

    private EvalProvider provider(String id, Map<String, Object> config) {
        return registry.resolve(new ProviderSpec(id, null, config, HERE));
    }

    private static ProviderRequest request(String prompt, Map<String, Object> vars) {
        return new ProviderRequest(prompt, List.of(Message.user(prompt)), vars);
    }

    @Test
    void sends_the_rendered_body_and_headers_and_follows_the_transform_path() throws Exception {
        // given
        try (var server = new LoopbackServer(
                r -> new Reply(200, "application/json", "{\"choices\": [{\"message\": {\"content\": \"Paris\"}}]}"))) {
            var provider = provider(
                    "http",
                    Map.of(
                            "url",
                            server.url() + "/v1/chat",
                            "headers",
                            Map.of("Authorization", "Bearer {{ env.API_TOKEN }}"),
                            "body",
                            Map.of(
                                    "messages",
                                    List.of(Map.of("role", "user", "content", "{{prompt}}")),
                                    "user",
                                    "{{ customer }}",
                                    "temperature",
                                    0),
                            "transformResponse",
                            "json.choices[0].message.content"));

            // when
            var response = provider.call(request("Capital of \"France\"?", Map.of("customer", "c-42")));

            // then
            assertThat(response.output()).isEqualTo("Paris");
            var recorded = server.requests.get(0);
            assertThat(recorded.method()).isEqualTo("POST");
            assertThat(recorded.uri()).isEqualTo("/v1/chat");
            assertThat(recorded.header("Authorization")).isEqualTo("Bearer t0ken");
            assertThat(recorded.header("Content-Type")).isEqualTo("application/json");
            assertThat(JSON.readTree(recorded.body()))
                    .isEqualTo(JSON.readTree(
                            "{\"messages\": [{\"role\": \"user\", \"content\": \"Capital of \\\"France\\\"?\"}],"
                                    + " \"user\": \"c-42\", \"temperature\": 0}"));
        }
    }

    @Test
    void an_id_that_is_a_url_needs_no_config_and_json_without_transform_is_shown_as_json() throws Exception {
        try (var server = new LoopbackServer(r -> new Reply(200, "application/json", "{\"answer\": 42}"))) {
            var provider = provider(server.url() + "/ask", Map.of("body", "q={{prompt}}", "method", "put"));
            var response = provider.call(request("why?", Map.of()));
            assertThat(response.output()).isEqualTo("{\"answer\":42}");
            assertThat(server.requests.get(0).method()).isEqualTo("PUT");
            assertThat(server.requests.get(0).body()).isEqualTo("q=why?");
        }
    }

    @Test
    void a_plain_text_answer_is_the_output_and_query_params_are_encoded() throws Exception {
        try (var server = new LoopbackServer(r -> new Reply(200, "text/plain", "plain answer"))) {
            var provider = provider(
                    "http",
                    Map.of("url", server.url() + "/q", "method", "GET", "queryParams", Map.of("text", "{{prompt}}")));
            assertThat(provider.call(request("a b&c", Map.of())).output()).isEqualTo("plain answer");
            assertThat(server.requests.get(0).uri()).isEqualTo("/q?text=a+b%26c");
        }
    }

    @Test
    void an_error_status_is_a_failed_call_that_quotes_the_answer() throws Exception {
        try (var server = new LoopbackServer(r -> new Reply(503, "application/json", "{\"error\": \"overloaded\"}"))) {
            var provider = provider("http", Map.of("url", server.url() + "/x", "body", Map.of("p", "{{prompt}}")));
            assertThatThrownBy(() -> provider.call(request("hi", Map.of())))
                    .isInstanceOf(ProviderCallException.class)
                    .hasMessage("HTTP 503 from POST " + server.url() + "/x: {\"error\": \"overloaded\"}");
        }
    }

    @Test
    void a_transform_path_that_finds_nothing_is_a_failed_call() throws Exception {
        try (var server = new LoopbackServer(r -> new Reply(200, "application/json", "{\"other\": 1}"))) {
            var provider = provider("http", Map.of("url", server.url(), "transformResponse", "json.output"));
            assertThatThrownBy(() -> provider.call(request("hi", Map.of())))
                    .isInstanceOf(ProviderCallException.class)
                    .hasMessageContaining("transformResponse json.output finds nothing");
        }
    }

    @Test
    void rejects_javascript_transforms_unknown_keys_and_bad_templates_when_made() {
        assertThatThrownBy(() -> provider("http", Map.of("url", "http://x", "transformResponse", "(json) => json.a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JavaScript is not evaluated");
        assertThatThrownBy(() -> provider("http", Map.of("url", "http://x", "transformRequest", "x")))
                .hasMessageContaining("unknown key 'transformRequest'");
        assertThatThrownBy(() -> provider("http", Map.of("url", "http://x", "body", "{% if a %}x{% endif %}")))
                .hasMessageContaining("body: the Nunjucks tag '{% if %}' is not supported");
        assertThatThrownBy(() -> provider("http", Map.of())).hasMessageContaining("needs config.url");
    }

    @Test
    void leaves_secret_headers_out_of_the_cache_identity() {
        var provider = provider(
                "http", Map.of("url", "http://x", "headers", Map.of("Authorization", "Bearer abc", "X-Team", "risk")));
        assertThat(provider.cacheIdentity().toString()).contains("X-Team").doesNotContain("Bearer");
    }

    @Test
    void names_the_known_forms_for_an_unknown_provider() {
        assertThatThrownBy(() -> provider("bedrock:claude", Map.of()))
                .hasMessageContaining("unknown provider 'bedrock:claude'")
                .hasMessageContaining("promptforge:<project>/<prompt>@<label>");
    }
}
