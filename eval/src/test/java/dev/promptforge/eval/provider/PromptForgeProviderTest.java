package dev.promptforge.eval.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.promptforge.eval.EvalProvider;
import dev.promptforge.eval.Message;
import dev.promptforge.eval.ProviderCallException;
import dev.promptforge.eval.ProviderRequest;
import dev.promptforge.eval.TokenUsage;
import dev.promptforge.eval.provider.LoopbackServer.Reply;
import dev.promptforge.eval.suite.Location;
import dev.promptforge.eval.suite.ProviderSpec;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class PromptForgeProviderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Location HERE = new Location("suite.yaml", 2, 3);

    private static EvalProvider provider(String id, Map<String, String> env, Map<String, Object> config) {
        return ProviderRegistry.withBuiltIns(env, HttpClient.newHttpClient())
                .build()
                .resolve(new ProviderSpec(id, null, config, HERE));
    }

    @Test
    void executes_the_registry_prompt_by_label_with_the_test_variables() throws Exception {
        // given
        String answer = """
                {"output": "Wire transfers cost 5 dollars.", "recordId": "r1", "model": "local/extractive",
                 "version": 2, "latencyMs": 3.1, "usage": {"inputTokens": 68, "outputTokens": 7, "estimated": true},
                 "cost": 0.0, "finishReason": "stop", "attempts": 1}
                """;
        try (var server = new LoopbackServer(r -> new Reply(200, "application/json", answer))) {
            var provider = provider(
                    "promptforge:demo/customer-support@staging",
                    Map.of("PROMPTFORGE_URL", server.url() + "/", "PROMPTFORGE_API_KEY", "pf_key_123"),
                    Map.of("model", "local/echo"));

            // when
            var response = provider.call(
                    new ProviderRequest("ignored", List.of(Message.user("ignored")), Map.of("question", "Wire fee?")));

            // then
            assertThat(response.output()).isEqualTo("Wire transfers cost 5 dollars.");
            assertThat(response.cost()).isEqualTo(0.0);
            assertThat(response.finishReason()).isEqualTo("stop");
            assertThat(response.tokenUsage()).isEqualTo(new TokenUsage(68, 7, true));
            var recorded = server.requests.get(0);
            assertThat(recorded.uri()).isEqualTo("/api/v1/prompt/execute");
            assertThat(recorded.header("Authorization")).isEqualTo("Bearer pf_key_123");
            assertThat(JSON.readTree(recorded.body()))
                    .isEqualTo(JSON.readTree("{\"project\": \"demo\", \"prompt\": \"customer-support\","
                            + " \"label\": \"staging\", \"variables\": {\"question\": \"Wire fee?\"},"
                            + " \"model\": \"local/echo\"}"));
            assertThat(provider.rendersItsOwnPrompt()).isTrue();
            assertThat(provider.cacheable()).isFalse();
        }
    }

    @Test
    void the_label_defaults_to_production() throws Exception {
        try (var server = new LoopbackServer(r -> new Reply(200, "application/json", "{\"output\": \"ok\"}"))) {
            var provider =
                    provider("promptforge:demo/faq", Map.of("PROMPTFORGE_API_KEY", "k"), Map.of("url", server.url()));
            provider.call(new ProviderRequest("", List.of(), Map.of()));
            assertThat(JSON.readTree(server.requests.get(0).body()).get("label").asString())
                    .isEqualTo("production");
        }
    }

    @Test
    void quotes_the_servers_problem_detail_on_an_error() throws Exception {
        String problem =
                "{\"title\": \"Not found\", \"status\": 404, \"detail\": \"no prompt 'faq' in project 'demo'\"}";
        try (var server = new LoopbackServer(r -> new Reply(404, "application/problem+json", problem))) {
            var provider =
                    provider("promptforge:demo/faq", Map.of("PROMPTFORGE_API_KEY", "k"), Map.of("url", server.url()));
            assertThatThrownBy(() -> provider.call(new ProviderRequest("", List.of(), Map.of())))
                    .isInstanceOf(ProviderCallException.class)
                    .hasMessage("PromptForge answered HTTP 404: no prompt 'faq' in project 'demo'");
        }
    }

    @Test
    void needs_an_api_key_and_a_well_formed_id_when_the_suite_loads() {
        assertThatThrownBy(() -> provider("promptforge:demo/faq", Map.of(), Map.of()))
                .hasMessage("promptforge:demo/faq needs a PromptForge API key: set PROMPTFORGE_API_KEY");
        assertThatThrownBy(() -> provider("promptforge:demo", Map.of("PROMPTFORGE_API_KEY", "k"), Map.of()))
                .hasMessageContaining("write promptforge:<project>/<prompt>@<label>");
        assertThatThrownBy(
                        () -> provider("promptforge:demo/faq", Map.of("PROMPTFORGE_API_KEY", "k"), Map.of("temp", 1)))
                .hasMessageContaining("unknown key 'temp'");
    }
}
