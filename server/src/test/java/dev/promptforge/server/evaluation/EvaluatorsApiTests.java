package dev.promptforge.server.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.promptforge.server.gateway.fake.FakeOpenAiServer;
import dev.promptforge.server.support.ApiTestBase;
import dev.promptforge.server.support.Http;
import dev.promptforge.server.support.Http.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Evaluators configured per project and prompt score records through HTTP, on both databases:
 * deterministic ones before the record's commit, model-graded ones afterwards with a fake OpenAI
 * server on loopback as the judge.
 */
abstract class EvaluatorsApiTests extends ApiTestBase {

    /** Shared by the SQLite and PostgreSQL variants (a static of this class), so it is never closed early. */
    static final FakeOpenAiServer judge = FakeOpenAiServer.start();

    @DynamicPropertySource
    static void judgeProvider(DynamicPropertyRegistry registry) {
        registry.add(
                "promptforge.gateway.providers.openai.base-url",
                () -> judge.baseUrl().toString());
        registry.add("promptforge.gateway.providers.openai.api-key", () -> "sk-judge");
    }

    private String project;

    @BeforeEach
    void createProject() {
        project = unique("evals");
        api.post("/api/v1/projects", Http.json(Map.of("name", project)));
        api.post("/api/v1/projects/" + project + "/prompts", Http.json(Map.of("name", "greet")));
        api.post(
                "/api/v1/projects/" + project + "/prompts/greet/versions",
                Http.json(Map.of("template", "Hello {{name}}", "variables", List.of("name"), "model", "local/echo")));
        api.put("/api/v1/projects/" + project + "/prompts/greet/labels/production", "{\"version\": 1}");
    }

    private Response put(String path, Object body) {
        return api.put(path, Http.json(body));
    }

    private String projectPath() {
        return "/api/v1/projects/" + project + "/evaluators";
    }

    private JsonNode executeInline(String text) {
        Response response = api.post(
                "/api/v1/prompt/execute",
                Http.json(Map.of(
                        "project",
                        project,
                        "model",
                        "local/echo",
                        "messages",
                        List.of(Map.of("role", "user", "content", text)))));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return api.get("/api/v1/records/" + response.json().get("recordId").asString())
                .json();
    }

    private static Map<String, JsonNode> feedbackByName(JsonNode record) {
        Map<String, JsonNode> byName = new java.util.LinkedHashMap<>();
        record.get("feedback").forEach(f -> byName.put(f.get("name").asString(), f));
        return byName;
    }

    @Test
    void stores_a_projects_evaluators_as_revisions() {
        // given: nothing configured
        JsonNode none = api.get(projectPath()).json();
        assertThat(none.get("revision").asInt()).isZero();
        assertThat(none.get("evaluators")).isEmpty();

        // when
        Response first = put(projectPath(), Map.of("evaluators", List.of(Map.of("type", "is-json"))));
        Response second = put(
                projectPath(),
                Map.of(
                        "judge",
                        "openai/gpt-4o-mini",
                        "evaluators",
                        List.of(
                                Map.of("type", "icontains", "value", "refund", "metric", "mentions-refund"),
                                Map.of("type", "llm-rubric", "value", "is polite"))));

        // then
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.json().get("revision").asInt()).isEqualTo(1);
        assertThat(second.json().get("revision").asInt()).isEqualTo(2);
        JsonNode stored = api.get(projectPath()).json();
        assertThat(stored.get("revision").asInt()).isEqualTo(2);
        assertThat(stored.get("judge").asString()).isEqualTo("openai/gpt-4o-mini");
        assertThat(stored.get("evaluators").get(0).get("metric").asString()).isEqualTo("mentions-refund");
        assertThat(stored.get("evaluators").get(1).get("type").asString()).isEqualTo("llm-rubric");
        assertThat(stored.get("updatedBy").asString()).isNotBlank();
    }

    @Test
    void refuses_evaluators_that_cannot_run_as_problems() {
        List<Object[]> cases = List.of(
                new Object[] {
                    Map.of("evaluators", List.of(Map.of("type", "no-such-type"))),
                    "evaluators[0]",
                    "unknown assertion type 'no-such-type'"
                },
                new Object[] {
                    Map.of("evaluators", List.of(Map.of("type", "javascript", "value", "true"))),
                    "evaluators[0]",
                    "does not run code"
                },
                new Object[] {
                    Map.of("evaluators", List.of(Map.of("type", "llm-rubric", "value", "is polite"))),
                    "evaluators[0]",
                    "is model-graded and needs a judge: set \"judge\""
                },
                new Object[] {
                    Map.of("judge", "nowhere/model", "evaluators", List.of()), "judge", "no provider named 'nowhere'"
                },
                new Object[] {
                    Map.of("judge", "local/echo", "evaluators", List.of(Map.of("type", "similar", "value", "hi"))),
                    "evaluators[0]",
                    "'similar' compares embeddings, and local/echo has none: set the evaluator's \"provider\""
                },
                new Object[] {
                    Map.of(
                            "evaluators",
                            List.of(Map.of(
                                    "type",
                                    "answer-relevance",
                                    "provider",
                                    Map.of("text", "openai/gpt-4o-mini", "embedding", "local/echo")))),
                    "evaluators[0]",
                    "'answer-relevance' compares embeddings, and {text: openai/gpt-4o-mini, embedding: local/echo}"
                            + " has none"
                },
                new Object[] {
                    Map.of("evaluators", List.of(Map.of("type", "moderation", "provider", "local/echo"))),
                    "evaluators[0]",
                    "'moderation' needs a moderation endpoint, and local/echo has none"
                },
                new Object[] {
                    Map.of(
                            "evaluators",
                            List.of(Map.of(
                                    "type", "similar", "value", "hi", "provider", Map.of("vision", "openai/x")))),
                    "evaluators[0].provider",
                    "unknown kind 'vision'"
                },
                new Object[] {
                    Map.of(
                            "evaluators",
                            List.of(
                                    Map.of("type", "contains", "value", "a"),
                                    Map.of("type", "contains", "value", "b"))),
                    "evaluators[1]",
                    "a second evaluator named"
                },
                new Object[] {Map.of("evaluators", List.of(Map.of("value", "x"))), "evaluators[0].type", "is required"},
                new Object[] {Map.of("judge", "local/echo"), "evaluators", "is required"});
        for (Object[] c : cases) {
            Response response = put(projectPath(), c[0]);
            assertThat(response.status()).as(response.toString()).isEqualTo(422);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            JsonNode error = response.json().get("errors").get(0);
            assertThat(error.get("field").asString()).as(response.toString()).isEqualTo(c[1]);
            assertThat(error.get("message").asString()).as(response.toString()).contains((String) c[2]);
        }
        assertThat(api.get(projectPath()).json().get("revision").asInt()).isZero();
        assertThat(put("/api/v1/projects/no-such-project/evaluators", Map.of("evaluators", List.of()))
                        .status())
                .isEqualTo(404);
        assertThat(put(
                                "/api/v1/projects/" + project + "/prompts/no-such-prompt/evaluators",
                                Map.of("evaluators", List.of()))
                        .status())
                .isEqualTo(404);
        assertThat(api.put(projectPath(), "{\"evaluators\": [], \"judges\": []}")
                        .status())
                .isBetween(400, 422);
    }

    @Test
    void scores_records_with_deterministic_evaluators_before_their_commit() {
        // given
        put(
                projectPath(),
                Map.of(
                        "evaluators",
                        List.of(
                                Map.of("type", "icontains", "value", "hello"),
                                Map.of("type", "not-contains", "value", "secret", "metric", "no-secret"),
                                Map.of("type", "pii-leak"),
                                Map.of("type", "word-count", "value", Map.of("min", 1, "max", 3)))));

        // when: the records are read back right after each execution returned
        JsonNode clean = executeInline("Hello there");
        JsonNode leaky = executeInline("hello, the secret is at jane.doe@example.com now");

        // then: every score was committed with its record
        Map<String, JsonNode> good = feedbackByName(clean);
        assertThat(good.keySet()).containsExactlyInAnyOrder("icontains", "no-secret", "pii-leak", "word-count");
        assertThat(good.values()).allSatisfy(f -> {
            assertThat(f.get("value").asDouble()).isEqualTo(1.0);
            assertThat(f.get("passed").asBoolean()).isTrue();
            assertThat(f.get("source").asString()).isEqualTo("auto");
            assertThat(f.get("evaluatorVersion").asString()).startsWith("r1/eval-");
            assertThat(f.get("createdBy").asString()).isEqualTo("evaluator");
        });
        Map<String, JsonNode> bad = feedbackByName(leaky);
        assertThat(bad.get("icontains").get("value").asDouble()).isEqualTo(1.0);
        assertThat(bad.get("no-secret").get("value").asDouble()).isZero();
        assertThat(bad.get("no-secret").get("passed").asBoolean()).isFalse();
        assertThat(bad.get("word-count").get("value").asDouble()).isZero();
        // the project's PII policy anonymized the address, so the stored answer leaks nothing …
        assertThat(leaky.get("output").asString()).doesNotContain("jane.doe@example.com");
        assertThat(bad.get("pii-leak").get("value").asDouble()).isEqualTo(1.0);
        // … until the policy lets personal data through
        assertThat(api.put("/api/v1/projects/" + project + "/pii-policy", "{\"mode\": \"off\"}")
                        .status())
                .isEqualTo(200);
        JsonNode unprotected = executeInline("write to jane.doe@example.com");
        JsonNode leak = feedbackByName(unprotected).get("pii-leak");
        assertThat(leak.get("value").asDouble()).isZero();
        assertThat(leak.get("reason").asString())
                .isEqualTo("Output leaks personal data: {EMAIL_ADDRESS=[9-29]} (type: character positions)");
        // a failed execution is not scored
        Response failed = api.post(
                "/api/v1/prompt/execute",
                Http.json(Map.of(
                        "project",
                        project,
                        "model",
                        "local/missing",
                        "messages",
                        List.of(Map.of("role", "user", "content", "hello")))));
        assertThat(api.get("/api/v1/records/" + failed.json().get("recordId").asString())
                        .json()
                        .get("feedback"))
                .isEmpty();
    }

    @Test
    void a_prompts_evaluators_replace_the_projects_for_its_records() {
        // given
        put(projectPath(), Map.of("evaluators", List.of(Map.of("type", "contains", "value", "project"))));
        Response prompt = put(
                "/api/v1/projects/" + project + "/prompts/greet/evaluators",
                Map.of("evaluators", List.of(Map.of("type", "starts-with", "value", "Hello"))));
        assertThat(prompt.status()).as(prompt.toString()).isEqualTo(200);
        assertThat(prompt.json().get("prompt").asString()).isEqualTo("greet");

        // when
        Response executed = api.post(
                "/api/v1/prompt/execute",
                Http.json(Map.of("project", project, "prompt", "greet", "variables", Map.of("name", "Ana"))));
        JsonNode promptRecord = api.get(
                        "/api/v1/records/" + executed.json().get("recordId").asString())
                .json();
        JsonNode inlineRecord = executeInline("no greeting");

        // then
        assertThat(feedbackByName(promptRecord).keySet()).containsExactly("starts-with");
        assertThat(feedbackByName(promptRecord).get("starts-with").get("value").asDouble())
                .isEqualTo(1.0);
        assertThat(feedbackByName(inlineRecord).keySet()).containsExactly("contains");
        assertThat(api.get("/api/v1/projects/" + project + "/prompts/greet/evaluators")
                        .json()
                        .get("revision")
                        .asInt())
                .isEqualTo(1);
    }

    @Test
    void judges_records_asynchronously_and_keeps_human_feedback_apart() {
        // given: a judge that finds the answer too curt
        put(
                projectPath(),
                Map.of(
                        "judge",
                        "openai/gpt-4o-mini",
                        "evaluators",
                        List.of(
                                Map.of("type", "contains", "value", "refund"),
                                Map.of("type", "llm-rubric", "value", "is polite", "metric", "politeness"))));
        judge.enqueue(FakeOpenAiServer.answer("{\"pass\": false, \"score\": 0.25, \"reason\": \"Too curt.\"}"));

        // when
        JsonNode record = executeInline("No refund.");
        String id = record.get("id").asString();
        api.post(
                "/api/v1/records/" + id + "/feedback",
                Http.json(Map.of("name", "helpfulness", "value", 0.5, "reason", "ok")));
        Map<String, JsonNode> feedback = awaitFeedback(id, 3);

        // then
        assertThat(feedback.get("contains").get("source").asString()).isEqualTo("auto");
        JsonNode politeness = feedback.get("politeness");
        assertThat(politeness.get("source").asString()).isEqualTo("judge");
        assertThat(politeness.get("value").asDouble()).isEqualTo(0.25);
        assertThat(politeness.get("passed").asBoolean()).isFalse();
        assertThat(politeness.get("reason").asString()).isEqualTo("Judge openai/gpt-4o-mini: Too curt.");
        assertThat(politeness.get("evaluatorVersion").asString()).startsWith("r1/eval-");
        assertThat(feedback.get("helpfulness").get("source").asString()).isEqualTo("human");
        assertThat(feedback.get("helpfulness").get("evaluatorVersion").isNull()).isTrue();
        assertThat(feedback.get("helpfulness").get("passed").isNull()).isTrue();
        String asked = judge.lastRequest().jsonBody().toString();
        assertThat(asked).contains("No refund.").contains("is polite");
        assertThat(judge.lastRequest().header("Authorization")).isEqualTo("Bearer sk-judge");
        // the judge's call is not a record of the project
        assertThat(api.get("/api/v1/records?project=" + project).json().get("items"))
                .hasSize(1);
    }

    @Test
    void judges_records_with_embeddings_and_moderation_of_an_openai_compatible_provider() {
        // given: similarity and moderation by their own models, answer-relevance by a chat and an
        // embeddings model (the fake's embeddings are bags of words; it flags "attack" as violence)
        Response configured = put(
                projectPath(),
                Map.of(
                        "evaluators",
                        List.of(
                                Map.of(
                                        "type",
                                        "similar",
                                        "value",
                                        "your refund is on its way",
                                        "threshold",
                                        0.9,
                                        "metric",
                                        "close-to-reference",
                                        "provider",
                                        "openai/text-embedding-3-small"),
                                Map.of(
                                        "type",
                                        "similar",
                                        "value",
                                        "the weather in Oslo",
                                        "metric",
                                        "close-to-weather",
                                        "provider",
                                        "openai/text-embedding-3-small"),
                                Map.of("type", "moderation", "provider", "openai/omni-moderation-latest"),
                                Map.of(
                                        "type",
                                        "answer-relevance",
                                        "threshold",
                                        0,
                                        "provider",
                                        Map.of(
                                                "text",
                                                "openai/gpt-4o-mini",
                                                "embedding",
                                                "openai/text-embedding-3-small")))));
        assertThat(configured.status()).as(configured.toString()).isEqualTo(200);
        assertThat(api.get(projectPath())
                        .json()
                        .get("evaluators")
                        .get(3)
                        .get("provider")
                        .get("embedding")
                        .asString())
                .isEqualTo("openai/text-embedding-3-small");

        // when
        int before = judge.requests().size();
        String calm = executeInline("Your refund is on its way.").get("id").asString();
        Map<String, JsonNode> calmFeedback = awaitFeedback(calm, 4);
        String violent = executeInline("Your refund is on its way, or I attack.")
                .get("id")
                .asString();
        Map<String, JsonNode> violentFeedback = awaitFeedback(violent, 4);

        // then
        JsonNode close = calmFeedback.get("close-to-reference");
        assertThat(close.get("source").asString()).isEqualTo("judge");
        assertThat(close.get("value").asDouble()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(close.get("passed").asBoolean()).isTrue();
        JsonNode far = calmFeedback.get("close-to-weather");
        assertThat(far.get("value").asDouble()).isZero();
        assertThat(far.get("passed").asBoolean()).isFalse();
        assertThat(calmFeedback.get("moderation").get("passed").asBoolean()).isTrue();
        assertThat(violentFeedback.get("moderation").get("passed").asBoolean()).isFalse();
        assertThat(violentFeedback.get("moderation").get("reason").asString()).contains("[violence]");
        assertThat(violentFeedback.get("close-to-reference").get("passed").asBoolean())
                .isFalse();
        JsonNode relevance = calmFeedback.get("answer-relevance");
        assertThat(relevance.get("source").asString()).isEqualTo("judge");
        assertThat(relevance.get("value").asDouble()).isBetween(0.0, 1.0);
        assertThat(relevance.get("reason").asString()).contains("questions the answer suggests");
        // every kind of call went to its endpoint with its model and the provider's key
        List<dev.promptforge.server.gateway.fake.RecordedRequest> calls =
                judge.requests().subList(before, judge.requests().size());
        assertThat(calls)
                .allSatisfy(call -> assertThat(call.header("Authorization")).isEqualTo("Bearer sk-judge"));
        assertThat(calls)
                .filteredOn(call -> call.path().endsWith("/embeddings"))
                .isNotEmpty()
                .allSatisfy(call -> assertThat(call.jsonBody()).containsEntry("model", "text-embedding-3-small"));
        assertThat(calls)
                .filteredOn(call -> call.path().endsWith("/moderations"))
                .hasSize(2)
                .allSatisfy(call -> assertThat(call.jsonBody()).containsEntry("model", "omni-moderation-latest"));
        assertThat(calls)
                .filteredOn(call -> call.path().endsWith("/chat/completions"))
                .hasSize(6)
                .allSatisfy(call -> assertThat(call.jsonBody()).containsEntry("model", "gpt-4o-mini"));
    }

    private Map<String, JsonNode> awaitFeedback(String recordId, int count) {
        return await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(50))
                .alias("at least " + count + " feedback rows on " + recordId)
                .until(
                        () -> feedbackByName(
                                api.get("/api/v1/records/" + recordId).json()),
                        rows -> rows.size() >= count);
    }
}
