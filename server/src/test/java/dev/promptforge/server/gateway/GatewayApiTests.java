package dev.promptforge.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.support.ApiTestBase;
import dev.promptforge.server.support.Http;
import dev.promptforge.server.support.Http.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The execute API, the OpenAI-compatible proxy and the records API through HTTP, on both databases. */
@ExtendWith(OutputCaptureExtension.class)
abstract class GatewayApiTests extends ApiTestBase {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private String project;

    @BeforeEach
    void createProjectWithPrompt() {
        project = unique("gw");
        api.post("/api/v1/projects", Http.json(Map.of("name", project)));
        api.post("/api/v1/projects/" + project + "/prompts", Http.json(Map.of("name", "faq")));
        api.post(
                "/api/v1/projects/" + project + "/prompts/faq/versions",
                Http.json(Map.of(
                        "template",
                        "Context: {{context}}\nQuestion: {{question}}",
                        "variables",
                        List.of("context", "question"),
                        "model",
                        "local/extractive")));
        api.put("/api/v1/projects/" + project + "/prompts/faq/labels/production", "{\"version\": 1}");
    }

    private Response execute(Map<String, Object> body) {
        return api.post("/api/v1/prompt/execute", Http.json(body));
    }

    // --- execute

    @Test
    void executes_the_production_version_and_records_it() {
        // when
        Response response = execute(Map.of(
                "project",
                project,
                "prompt",
                "faq",
                "variables",
                Map.of(
                        "context",
                        "Wire transfers cost 5 dollars. Card replacement is free. Branches open at nine.",
                        "question",
                        "How much does a card replacement cost?")));
        // then
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("output").asString()).isEqualTo("Card replacement is free.");
        assertThat(body.get("model").asString()).isEqualTo("local/extractive");
        assertThat(body.get("version").asInt()).isEqualTo(1);
        assertThat(body.get("usage").get("estimated").asBoolean()).isTrue();
        assertThat(body.get("usage").get("inputTokens").asInt()).isPositive();
        assertThat(body.get("cost").asDouble()).isZero();
        JsonNode record =
                api.get("/api/v1/records/" + body.get("recordId").asString()).json();
        assertThat(record.get("status").asString()).isEqualTo("ok");
        assertThat(record.get("prompt").asString()).isEqualTo("faq");
        assertThat(record.get("version").asInt()).isEqualTo(1);
        assertThat(record.get("output").asString()).isEqualTo("Card replacement is free.");
        assertThat(record.get("input").get(0).get("content").asString()).contains("Question: How much");
        assertThat(record.get("correlationId").asString()).isNotBlank();
        assertThat(record.get("traceId").asString()).matches("[0-9a-f]{32}");
        assertThat(record.get("project").asString()).isEqualTo(project);
    }

    @Test
    void executes_inline_messages_with_a_model_and_overrides() {
        Response response = execute(Map.of(
                "project",
                project,
                "messages",
                List.of(Map.of("role", "system", "content", "Be brief."), Map.of("role", "user", "content", "Hi!")),
                "model",
                "local/echo",
                "parameters",
                Map.of("temperature", 0.1)));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().get("output").asString()).isEqualTo("Be brief.\n\nHi!");
        assertThat(response.json().get("prompt").isNull()).isTrue();
    }

    @Test
    void a_model_override_replaces_the_versions_model() {
        Response response = execute(Map.of(
                "project",
                project,
                "prompt",
                "faq",
                "model",
                "local/echo",
                "variables",
                Map.of("context", "c", "question", "q?")));
        assertThat(response.json().get("output").asString()).isEqualTo("Context: c\nQuestion: q?");
        assertThat(response.json().get("model").asString()).isEqualTo("local/echo");
    }

    @Test
    void refuses_bad_execute_requests_with_clear_problems() {
        assertThat(execute(Map.of("prompt", "faq")).json().get("detail").asString())
                .isEqualTo("project: is required");
        assertThat(execute(Map.of("project", unique("none"), "prompt", "faq")).status())
                .isEqualTo(404);
        Response missingVariable =
                execute(Map.of("project", project, "prompt", "faq", "variables", Map.of("context", "x")));
        assertThat(missingVariable.status()).isEqualTo(422);
        assertThat(missingVariable.json().get("detail").asString()).contains("'question'");
        Response unknownProvider = execute(Map.of(
                "project",
                project,
                "messages",
                List.of(Map.of("role", "user", "content", "x")),
                "model",
                "nope/model"));
        assertThat(unknownProvider.status()).isEqualTo(422);
        assertThat(unknownProvider.json().get("detail").asString())
                .contains("no provider named 'nope'")
                .contains("local");
        Response unknownModel = execute(Map.of(
                "project",
                project,
                "messages",
                List.of(Map.of("role", "user", "content", "x")),
                "model",
                "local/gpt-9"));
        assertThat(unknownModel.status()).isEqualTo(404);
        assertThat(unknownModel.json().get("recordId").asString()).isNotBlank();
        Response neither = execute(Map.of("project", project));
        assertThat(neither.status()).isEqualTo(422);
    }

    @Test
    void records_a_failed_execution_as_an_error_record() {
        // when the model does not exist at its provider
        Response response = execute(Map.of(
                "project",
                project,
                "messages",
                List.of(Map.of("role", "user", "content", "x")),
                "model",
                "local/missing"));
        // then the failure is recorded with what went wrong
        JsonNode record = api.get(
                        "/api/v1/records/" + response.json().get("recordId").asString())
                .json();
        assertThat(record.get("status").asString()).isEqualTo("error");
        assertThat(record.get("error").get("type").asString()).isEqualTo("ModelNotFound");
        assertThat(record.get("error").get("status").asInt()).isEqualTo(404);
        assertThat(record.has("output")).isFalse();
    }

    // --- records

    @Test
    void lists_records_with_filters_and_cursor_pagination() {
        // given
        for (int i = 0; i < 3; i++) {
            execute(Map.of(
                    "project",
                    project,
                    "prompt",
                    "faq",
                    "variables",
                    Map.of("context", "A b.", "question", "b " + i + "?")));
        }
        execute(Map.of(
                "project",
                project,
                "messages",
                List.of(Map.of("role", "user", "content", "x")),
                "model",
                "local/echo"));
        execute(Map.of(
                "project",
                project,
                "messages",
                List.of(Map.of("role", "user", "content", "x")),
                "model",
                "local/nope"));
        String base = "/api/v1/records?project=" + project;
        // when
        Response first = api.get(base + "&prompt=faq&limit=2");
        Response second = api.get(base + "&prompt=faq&limit=2&cursor="
                + first.json().get("nextCursor").asString());
        // then
        assertThat(first.json().get("items").size()).isEqualTo(2);
        assertThat(second.json().get("items").size()).isEqualTo(1);
        assertThat(second.json().get("nextCursor").isNull()).isTrue();
        List<String> ids = new ArrayList<>();
        first.json().get("items").forEach(r -> ids.add(r.get("id").asString()));
        second.json().get("items").forEach(r -> ids.add(r.get("id").asString()));
        assertThat(ids).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(api.get(base + "&model=local/echo").json().get("items").size())
                .isEqualTo(1);
        assertThat(api.get(base + "&status=error").json().get("items").size()).isEqualTo(1);
        assertThat(api.get(base + "&prompt=faq&version=1").json().get("items").size())
                .isEqualTo(3);
        assertThat(api.get(base + "&from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z")
                        .json()
                        .get("items")
                        .size())
                .isZero();
        assertThat(api.get(base + "&from=yesterday").status()).isEqualTo(400);
        assertThat(api.get(base + "&status=maybe").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/records/not-a-record").status()).isEqualTo(404);
    }

    @Test
    void adds_human_feedback_to_a_record() {
        String id = execute(Map.of(
                        "project",
                        project,
                        "messages",
                        List.of(Map.of("role", "user", "content", "x")),
                        "model",
                        "local/echo"))
                .json()
                .get("recordId")
                .asString();
        Response added = api.post(
                "/api/v1/records/" + id + "/feedback",
                Http.json(Map.of("name", "helpful", "value", 0.75, "reason", "ok")));
        assertThat(added.status()).isEqualTo(201);
        JsonNode feedback = api.get("/api/v1/records/" + id).json().get("feedback");
        assertThat(feedback.get(0).get("value").asDouble()).isEqualTo(0.75);
        assertThat(feedback.get(0).get("source").asString()).isEqualTo("human");
        assertThat(feedback.get(0).get("createdBy").asString()).isEqualTo("admin");
        assertThat(api.post("/api/v1/records/" + id + "/feedback", Http.json(Map.of("name", "x", "value", 2)))
                        .status())
                .isEqualTo(422);
    }

    // --- OpenAI-compatible proxy

    @Test
    void answers_chat_completions_in_openai_format_and_records_under_the_header_project() {
        // when
        Response response = api.post(
                "/v1/chat/completions",
                Http.json(
                        Map.of("model", "local/echo", "messages", List.of(Map.of("role", "user", "content", "Hello")))),
                "X-PromptForge-Project",
                project);
        // then
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("object").asString()).isEqualTo("chat.completion");
        assertThat(body.get("choices").get(0).get("message").get("content").asString())
                .isEqualTo("Hello");
        assertThat(body.get("choices").get(0).get("finish_reason").asString()).isEqualTo("stop");
        assertThat(body.get("usage").get("total_tokens").asInt()).isPositive();
        String recordId = response.header("X-PromptForge-Record-Id");
        JsonNode record = api.get("/api/v1/records/" + recordId).json();
        assertThat(record.get("project").asString()).isEqualTo(project);
        assertThat(record.get("endpoint").asString()).isEqualTo("chat.completions");
        assertThat(record.get("traceId").asString()).matches("[0-9a-f]{32}");
        assertThat(record.get("correlationId").asString()).isEqualTo(response.header("X-Request-Id"));
    }

    @Test
    void records_proxied_calls_without_a_project_under_the_default_project() {
        Response response = api.post(
                "/v1/chat/completions",
                Http.json(Map.of("model", "local/echo", "messages", List.of(Map.of("role", "user", "content", "Hi")))));
        String recordId = response.header("X-PromptForge-Record-Id");
        assertThat(api.get("/api/v1/records/" + recordId).json().get("project").asString())
                .isEqualTo("default");
    }

    @Test
    void streams_chat_completions_as_server_sent_events() {
        // when
        Response response = api.post(
                "/v1/chat/completions",
                Http.json(Map.of(
                        "model",
                        "local/echo",
                        "stream",
                        true,
                        "stream_options",
                        Map.of("include_usage", true),
                        "messages",
                        List.of(Map.of("role", "user", "content", "one two three")))),
                "X-PromptForge-Project",
                project);
        // then
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("text/event-stream");
        List<String> events = response.body()
                .lines()
                .filter(line -> line.startsWith("data: "))
                .map(line -> line.substring(6))
                .toList();
        assertThat(events.getLast()).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        JsonNode usage = null;
        String finish = null;
        for (String event : events.subList(0, events.size() - 1)) {
            JsonNode chunk = MAPPER.readTree(event);
            assertThat(chunk.get("object").asString()).isEqualTo("chat.completion.chunk");
            if (chunk.get("choices").size() > 0) {
                JsonNode choice = chunk.get("choices").get(0);
                if (choice.get("delta").has("content")) {
                    text.append(choice.get("delta").get("content").asString());
                }
                if (!choice.get("finish_reason").isNull()) {
                    finish = choice.get("finish_reason").asString();
                }
            }
            if (chunk.has("usage")) {
                usage = chunk.get("usage");
            }
        }
        assertThat(events.size()).isGreaterThan(4);
        assertThat(text.toString()).isEqualTo("one two three");
        assertThat(finish).isEqualTo("stop");
        assertThat(usage).isNotNull();
        JsonNode record = api.get("/api/v1/records/" + response.header("X-PromptForge-Record-Id"))
                .json();
        assertThat(record.get("streamed").asBoolean()).isTrue();
        assertThat(record.get("output").asString()).isEqualTo("one two three");
    }

    @Test
    void refuses_bad_proxy_requests_with_openai_style_errors() {
        Response noModel =
                api.post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}");
        assertThat(noModel.status()).isEqualTo(422);
        assertThat(noModel.json().get("error").get("message").asString()).contains("model");
        Response badRole = api.post(
                "/v1/chat/completions",
                "{\"model\": \"local/echo\", \"messages\": [{\"role\": \"robot\", \"content\": \"x\"}]}");
        assertThat(badRole.status()).isEqualTo(422);
        assertThat(badRole.json().get("detail").asString()).contains("messages[0].role");
        Response unknownProject = api.post(
                "/v1/chat/completions",
                "{\"model\": \"local/echo\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}",
                "X-PromptForge-Project",
                unique("ghost"));
        assertThat(unknownProject.status()).isEqualTo(404);
        Response badStream = api.post(
                "/v1/chat/completions",
                "{\"model\": \"local/echo\", \"stream\": \"yes\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}");
        assertThat(badStream.status()).isEqualTo(422);
    }

    @Test
    void answers_malformed_proxy_requests_with_problems_not_errors() {
        String chat = "{\"model\": \"local/echo\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}";
        Response broken = api.post("/v1/chat/completions", "{\"model\": \"local/echo\",");
        Response trailing = api.post("/v1/chat/completions", chat + " {}");
        Response array = api.post("/v1/chat/completions", "[" + chat + "]");
        Response empty = api.send("POST", "/v1/chat/completions", "", "Content-Type", "application/json");
        Response text = api.post("/v1/chat/completions", chat, "Content-Type", "text/plain");
        Response get = api.get("/v1/chat/completions");
        Response wrongKey = api.withKey("pf_not-a-real-key-000000000000").post("/v1/chat/completions", chat);
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().get("detail").asString()).contains("not valid JSON");
        assertThat(broken.json().get("error").get("type").asString()).isEqualTo("invalid_request_error");
        assertThat(trailing.status()).isEqualTo(400);
        assertThat(array.status()).isEqualTo(400);
        assertThat(array.json().get("detail").asString()).isEqualTo("The request body must be a JSON object.");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(text.status()).isEqualTo(415);
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.header("Allow")).isEqualTo("POST");
        assertThat(wrongKey.status()).isEqualTo(401);
        assertThat(wrongKey.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(wrongKey.json().get("error").get("type").asString()).isEqualTo("authentication_error");
        for (Response response : List.of(broken, trailing, array, empty, text, get, wrongKey)) {
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(response.header("X-Request-Id")).isNotBlank();
            assertThat(response.json().get("requestId").asString()).isEqualTo(response.header("X-Request-Id"));
        }
    }

    @Test
    void lists_the_configured_models() {
        JsonNode models = api.get("/v1/models").json();
        assertThat(models.get("object").asString()).isEqualTo("list");
        List<String> ids = new ArrayList<>();
        models.get("data").forEach(m -> ids.add(m.get("id").asString()));
        assertThat(ids).contains("local/echo", "local/extractive");
    }

    @Test
    void never_logs_prompt_or_answer_text_by_default(CapturedOutput output) {
        execute(Map.of(
                "project",
                project,
                "messages",
                List.of(Map.of("role", "user", "content", "secret-customer-text-4711")),
                "model",
                "local/echo"));
        assertThat(output.getAll()).doesNotContain("secret-customer-text-4711");
    }

    @Test
    void exposes_gen_ai_metrics_to_prometheus_with_a_key_only() {
        execute(Map.of(
                "project",
                project,
                "messages",
                List.of(Map.of("role", "user", "content", "x")),
                "model",
                "local/echo"));
        Response metrics = api.get("/actuator/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("gen_ai_client_operation_seconds_count{")
                .contains("gen_ai_system=\"local\"")
                .contains("gen_ai_client_token_usage");
        assertThat(api.withKey(null).get("/actuator/prometheus").status()).isEqualTo(401);
    }
}
