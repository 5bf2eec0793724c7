package dev.promptforge.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.promptforge.server.gateway.fake.FakeAnthropicServer;
import dev.promptforge.server.gateway.fake.FakeOpenAiServer;
import dev.promptforge.server.gateway.fake.FakeReply;
import dev.promptforge.server.support.ApiTestBase;
import dev.promptforge.server.support.Http;
import dev.promptforge.server.support.Http.Response;
import dev.promptforge.server.support.SqliteTestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** PromptForge in front of fake OpenAI and Anthropic servers that speak the real wire formats. */
@ContextConfiguration(initializers = SqliteTestDatabase.class)
class UpstreamProxyTest extends ApiTestBase {

    static final FakeOpenAiServer openai = FakeOpenAiServer.start();
    static final FakeAnthropicServer anthropic = FakeAnthropicServer.start();

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add(
                "promptforge.gateway.providers.openai.base-url",
                () -> openai.baseUrl().toString());
        registry.add("promptforge.gateway.providers.openai.api-key", () -> "sk-test-openai");
        registry.add(
                "promptforge.gateway.providers.anthropic.base-url",
                () -> anthropic.baseUrl().toString());
        registry.add("promptforge.gateway.providers.anthropic.api-key", () -> "sk-ant-test");
        registry.add("promptforge.gateway.initial-backoff", () -> "1ms");
    }

    @AfterAll
    static void stop() {
        openai.close();
        anthropic.close();
    }

    @Test
    void forwards_unknown_fields_untouched_and_returns_the_upstream_answer_as_it_came() {
        // given
        openai.enqueue(FakeOpenAiServer.answer("Forty-two."));
        // when
        Response response = api.post(
                "/v1/chat/completions",
                Http.json(Map.of(
                        "model",
                        "openai/gpt-4o-mini",
                        "messages",
                        List.of(Map.of("role", "user", "content", "Meaning?", "name", "ana")),
                        "response_format",
                        Map.of("type", "json_object"),
                        "user",
                        "customer-17",
                        "logit_bias",
                        Map.of("50256", -100),
                        "temperature",
                        0.3)));
        // then the upstream saw the fields PromptForge does not interpret, as sent
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        Map<String, Object> sent = openai.lastRequest().jsonBody();
        assertThat(sent.get("model")).isEqualTo("gpt-4o-mini");
        assertThat(sent.get("response_format")).isEqualTo(Map.of("type", "json_object"));
        assertThat(sent.get("user")).isEqualTo("customer-17");
        assertThat(sent.get("logit_bias")).isEqualTo(Map.of("50256", -100));
        assertThat(sent.get("temperature")).isEqualTo(0.3);
        assertThat(((List<?>) sent.get("messages")).getFirst())
                .isEqualTo(Map.of("role", "user", "content", "Meaning?", "name", "ana"));
        assertThat(openai.lastRequest().header("Authorization")).isEqualTo("Bearer sk-test-openai");
        // and the client got the upstream's answer, fields PromptForge does not know included
        JsonNode body = response.json();
        assertThat(body.get("system_fingerprint").asString()).isEqualTo("fp_fake");
        assertThat(body.get("choices").get(0).get("message").get("content").asString())
                .isEqualTo("Forty-two.");
        JsonNode record = api.get("/api/v1/records/" + response.header("X-PromptForge-Record-Id"))
                .json();
        assertThat(record.get("usage").get("estimated").asBoolean()).isFalse();
        assertThat(record.get("usage").get("inputTokens").asInt()).isEqualTo(10);
        assertThat(record.get("cost").asDouble()).isPositive();
        assertThat(record.get("provider").asString()).isEqualTo("openai");
    }

    @Test
    void passes_stream_chunks_on_as_they_arrive() throws Exception {
        // given an upstream that sends its first chunk and then holds the rest back
        CountDownLatch gate = new CountDownLatch(1);
        String model = FakeOpenAiServer.MODEL;
        openai.enqueue(FakeReply.ssePieces(
                        FakeOpenAiServer.data(FakeOpenAiServer.chunkJson(model, "assistant", "Hel", null)),
                        FakeOpenAiServer.data(FakeOpenAiServer.chunkJson(model, null, "lo", null)),
                        FakeOpenAiServer.data(FakeOpenAiServer.chunkJson(model, null, null, "stop")),
                        FakeOpenAiServer.data("[DONE]"))
                .holdAfterFirstPiece(gate));
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.base() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Http.json(Map.of(
                        "model",
                        "openai/gpt-4o-mini",
                        "stream",
                        true,
                        "messages",
                        List.of(Map.of("role", "user", "content", "Hi"))))))
                .build();
        List<String> lines = new CopyOnWriteArrayList<>();
        // when a client reads the stream
        try (HttpClient client = HttpClient.newHttpClient()) {
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    HttpResponse<Stream<String>> response = client.send(request, HttpResponse.BodyHandlers.ofLines());
                    Iterator<String> it = response.body().iterator();
                    while (it.hasNext()) {
                        lines.add(it.next());
                    }
                } catch (Exception e) {
                    lines.add("error: " + e);
                }
            });
            // then the first chunk reaches it while the upstream still holds the rest
            await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().anyMatch(l -> l.contains("\"Hel\"")));
            assertThat(lines).noneMatch(l -> l.contains("\"lo\""));
            gate.countDown();
            reader.join(Duration.ofSeconds(10));
        }
        assertThat(lines).anyMatch(l -> l.contains("\"lo\""));
        assertThat(lines.getLast()).isEmpty();
        assertThat(lines).contains("data: [DONE]");
    }

    @Test
    void translates_openai_requests_to_anthropic_and_back() {
        // given
        anthropic.enqueue(FakeAnthropicServer.answer("Bonjour."));
        // when
        Response response = api.post(
                "/v1/chat/completions",
                Http.json(Map.of(
                        "model",
                        "anthropic/claude-haiku-4-5",
                        "messages",
                        List.of(
                                Map.of("role", "system", "content", "Answer in French."),
                                Map.of("role", "user", "content", "Hello")),
                        "max_tokens",
                        50)));
        // then
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        Map<String, Object> sent = anthropic.lastRequest().jsonBody();
        assertThat(sent.get("system")).isEqualTo("Answer in French.");
        assertThat(sent.get("model")).isEqualTo("claude-haiku-4-5");
        assertThat(sent.get("max_tokens")).isEqualTo(50);
        assertThat(sent.get("messages")).isEqualTo(List.of(Map.of("role", "user", "content", "Hello")));
        assertThat(anthropic.lastRequest().header("x-api-key")).isEqualTo("sk-ant-test");
        JsonNode body = response.json();
        assertThat(body.get("object").asString()).isEqualTo("chat.completion");
        assertThat(body.get("choices").get(0).get("message").get("content").asString())
                .isEqualTo("Bonjour.");
        assertThat(body.get("choices").get(0).get("finish_reason").asString()).isEqualTo("stop");
        assertThat(body.get("usage").get("prompt_tokens").asInt()).isPositive();
    }

    @Test
    void streams_an_anthropic_answer_as_openai_chunks() {
        anthropic.enqueue(FakeAnthropicServer.streamedAnswer("Bon", "jour"));
        Response response = api.post(
                "/v1/chat/completions",
                Http.json(Map.of(
                        "model",
                        "anthropic/claude-haiku-4-5",
                        "stream",
                        true,
                        "messages",
                        List.of(Map.of("role", "user", "content", "Hello")))));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body())
                .contains("\"object\":\"chat.completion.chunk\"")
                .contains("\"content\":\"Bon\"")
                .contains("\"content\":\"jour\"")
                .contains("\"finish_reason\":\"stop\"")
                .endsWith("data: [DONE]\n\n");
    }

    @Test
    void retries_an_upstream_429_after_its_retry_after() {
        openai.enqueue(
                FakeOpenAiServer.error(429, "Rate limit reached").header("retry-after-ms", "5"),
                FakeOpenAiServer.answer("After the wait."));
        api.post("/api/v1/projects", Http.json(Map.of("name", "upstream")));
        Response response = api.post(
                "/api/v1/prompt/execute",
                Http.json(Map.of(
                        "project",
                        "upstream",
                        "model",
                        "openai/gpt-4o-mini",
                        "messages",
                        List.of(Map.of("role", "user", "content", "x")))));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().get("attempts").asInt()).isEqualTo(2);
        assertThat(response.json().get("output").asString()).isEqualTo("After the wait.");
        assertThat(response.json().get("usage").get("estimated").asBoolean()).isFalse();
    }

    @Test
    void reports_rejected_upstream_credentials_as_502_without_the_key() {
        openai.enqueue(FakeOpenAiServer.error(401, "Incorrect API key provided: sk-test-openai"));
        Response response = api.post(
                "/v1/chat/completions",
                Http.json(Map.of(
                        "model", "openai/gpt-4o-mini", "messages", List.of(Map.of("role", "user", "content", "x")))));
        assertThat(response.status()).isEqualTo(502);
        assertThat(response.body()).doesNotContain("sk-test-openai");
        assertThat(response.json().get("error").get("message").asString()).isNotBlank();
    }

    static final String SECRET_PROMPT = "Customer Maria Gonzalez (maria.gonzalez@example.com) paid with card"
            + " 4111 1111 1111 1111; her SSN is 123-45-6789. Summarize.";

    @Test
    void the_provider_never_sees_personal_data_and_the_client_gets_it_back() {
        // given an upstream that echoes what it receives
        // when
        Response response = api.post(
                "/v1/chat/completions",
                Http.json(Map.of(
                        "model",
                        "openai/gpt-4o-mini",
                        "messages",
                        List.of(Map.of("role", "user", "content", SECRET_PROMPT)))));
        // then the provider saw placeholders only
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        String sent = openai.lastRequest().jsonBody().toString();
        assertThat(sent)
                .doesNotContain("Maria")
                .doesNotContain("Gonzalez")
                .doesNotContain("maria.gonzalez@example.com")
                .doesNotContain("4111 1111 1111 1111")
                .doesNotContain("123-45-6789")
                .contains("<CREDIT_CARD_1>")
                .contains("<EMAIL_ADDRESS_1>");
        // and the client got the originals back
        assertThat(response.json()
                        .get("choices")
                        .get(0)
                        .get("message")
                        .get("content")
                        .asString())
                .isEqualTo(SECRET_PROMPT);
        // and the record keeps the anonymized text and what was found, not the originals
        JsonNode record = api.get("/api/v1/records/" + response.header("X-PromptForge-Record-Id"))
                .json();
        assertThat(record.toString())
                .doesNotContain("4111 1111 1111 1111")
                .doesNotContain("maria.gonzalez@example.com");
        assertThat(record.get("pii").get("CREDIT_CARD").asInt()).isEqualTo(1);
        assertThat(record.get("pii").get("US_SSN").asInt()).isEqualTo(1);
        assertThat(record.get("output").asString()).contains("<CREDIT_CARD_1>");
    }

    @Test
    void restores_placeholders_split_across_stream_chunks() {
        // given an upstream whose streamed answer cuts placeholders into pieces
        openai.enqueue(FakeOpenAiServer.streamedAnswer("Thanks <PERS", "ON_1>, card <CREDIT_CA", "RD_1> is noted.")
                .splitEvery(7));
        // when
        Response response = api.post(
                "/v1/chat/completions",
                Http.json(Map.of(
                        "model",
                        "openai/gpt-4o-mini",
                        "stream",
                        true,
                        "messages",
                        List.of(Map.of("role", "user", "content", SECRET_PROMPT)))));
        // then
        assertThat(response.status()).isEqualTo(200);
        StringBuilder text = new StringBuilder();
        response.body().lines().filter(l -> l.startsWith("data: {")).forEach(l -> {
            JsonNode chunk =
                    tools.jackson.databind.json.JsonMapper.builder().build().readTree(l.substring(6));
            if (chunk.get("choices").size() > 0
                    && chunk.get("choices").get(0).get("delta").has("content")) {
                text.append(
                        chunk.get("choices").get(0).get("delta").get("content").asString());
            }
        });
        assertThat(text.toString()).isEqualTo("Thanks Maria Gonzalez, card 4111 1111 1111 1111 is noted.");
        assertThat(response.body()).doesNotContain("<PERSON_1>").doesNotContain("<CREDIT_CARD_1>");
    }

    @Test
    void a_blocking_policy_refuses_personal_data_before_any_provider_call() {
        // given
        api.post("/api/v1/projects", Http.json(Map.of("name", "strict")));
        api.put("/api/v1/projects/strict/pii-policy", "{\"mode\": \"block\"}");
        int before = openai.requests().size();
        // when
        Response response = api.post(
                "/v1/chat/completions",
                Http.json(Map.of(
                        "model",
                        "openai/gpt-4o-mini",
                        "messages",
                        List.of(Map.of("role", "user", "content", SECRET_PROMPT)))),
                "X-PromptForge-Project",
                "strict");
        // then
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().get("detail").asString())
                .contains("CREDIT_CARD")
                .contains("blocks it");
        assertThat(openai.requests()).hasSize(before);
        JsonNode record = api.get(
                        "/api/v1/records/" + response.json().get("recordId").asString())
                .json();
        assertThat(record.get("status").asString()).isEqualTo("error");
        assertThat(record.toString()).doesNotContain("4111");
    }

    @Test
    void a_projects_ad_hoc_recognizer_hides_its_matches_from_the_provider_and_restores_them() {
        // given a project that also protects its employee ids
        String project = unique("adhoc");
        api.post("/api/v1/projects", Http.json(Map.of("name", project)));
        api.put("/api/v1/projects/" + project + "/pii-policy", """
                {"recognizers": [{"name": "employee-id", "entity": "EMPLOYEE_ID", "pattern": "EMP-[0-9]{6}"}]}
                """);
        openai.enqueue(FakeOpenAiServer.answer("Badge <EMPLOYEE_ID_1> is renewed."));
        // when
        Response response = api.post(
                "/v1/chat/completions",
                Http.json(Map.of(
                        "model",
                        "openai/gpt-4o-mini",
                        "messages",
                        List.of(Map.of("role", "user", "content", "Renew the badge of EMP-123456.")))),
                "X-PromptForge-Project",
                project);
        // then
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(openai.lastRequest().jsonBody().toString())
                .doesNotContain("EMP-123456")
                .contains("Renew the badge of <EMPLOYEE_ID_1>.");
        assertThat(response.json()
                        .get("choices")
                        .get(0)
                        .get("message")
                        .get("content")
                        .asString())
                .isEqualTo("Badge EMP-123456 is renewed.");
    }

    @Test
    void policy_off_sends_text_unchanged() {
        api.post("/api/v1/projects", Http.json(Map.of("name", "open")));
        api.put("/api/v1/projects/open/pii-policy", "{\"mode\": \"off\"}");
        openai.enqueue(FakeOpenAiServer.answer("ok"));
        api.post(
                "/v1/chat/completions",
                Http.json(Map.of(
                        "model",
                        "openai/gpt-4o-mini",
                        "messages",
                        List.of(Map.of("role", "user", "content", SECRET_PROMPT)))),
                "X-PromptForge-Project",
                "open");
        assertThat(openai.lastRequest().jsonBody().toString()).contains("4111 1111 1111 1111");
    }

    @Test
    void lists_the_remote_models_next_to_the_local_ones() {
        JsonNode models = api.get("/v1/models").json().get("data");
        assertThat(models.toString())
                .contains("openai/gpt-4o-mini")
                .contains("anthropic/claude-haiku-4-5")
                .contains("local/echo");
    }
}
