package dev.promptforge.server.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.promptforge.server.gateway.fake.FakeOpenAiServer;
import dev.promptforge.server.support.ApiTestBase;
import dev.promptforge.server.support.Http;
import dev.promptforge.server.support.Http.Response;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The testing lab through HTTP, on both databases: datasets (versions, CSV/JSONL, items from
 * records), pipelines and the five stage types against the {@code local} model and a fake remote
 * OpenAI-compatible provider on loopback, async runs with SSE progress, cancel, and bad input.
 */
abstract class LabApiTests extends ApiTestBase {

    static final FakeOpenAiServer FAKE = FakeOpenAiServer.start();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void fakeProvider(DynamicPropertyRegistry registry) throws IOException {
        Path pricing = Files.createTempFile("pricing-", ".yml");
        Files.writeString(
                pricing,
                "version: lab-test\nmodels:\n"
                        + "  fake/gpt-4o-mini: {input: 10.0, output: 20.0}\n"
                        + "  local/echo: {input: 1.0, output: 2.0}\n");
        registry.add("promptforge.gateway.providers.fake.type", () -> "openai");
        registry.add(
                "promptforge.gateway.providers.fake.base-url",
                () -> FAKE.baseUrl().toString());
        registry.add("promptforge.gateway.providers.fake.api-key", () -> "sk-fake");
        registry.add("promptforge.gateway.providers.fake.models", () -> "gpt-4o-mini");
        registry.add("promptforge.gateway.pricing-file", pricing::toString);
        registry.add("promptforge.lab.provider-concurrency", () -> "2");
    }

    private String project;

    @BeforeEach
    void createProject() {
        drainFake();
        project = unique("lab");
        ok(api.post("/api/v1/projects", Http.json(Map.of("name", project))), 201);
    }

    // --- helpers

    private String base() {
        return "/api/v1/projects/" + project;
    }

    private static Response ok(Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        return response;
    }

    private static void problem(Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    }

    private void prompt(String name, String template) {
        ok(api.post(base() + "/prompts", Http.json(Map.of("name", name))), 201);
        version(name, template);
    }

    private void version(String name, String template) {
        ok(
                api.post(
                        base() + "/prompts/" + name + "/versions",
                        Http.json(
                                Map.of("template", template, "model", "local/echo", "variables", variables(template)))),
                201);
    }

    private void messagesVersion(String name, List<Map<String, String>> messages) {
        ok(
                api.post(
                        base() + "/prompts/" + name + "/versions",
                        Http.json(Map.of(
                                "messages",
                                messages,
                                "model",
                                "local/echo",
                                "variables",
                                variables(String.join(
                                        " ",
                                        messages.stream()
                                                .map(m -> m.get("content"))
                                                .toList()))))),
                201);
    }

    private static List<String> variables(String template) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}").matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return List.copyOf(names);
    }

    /** Takes what an earlier test left queued on the fake server, until it echoes again. */
    static void drainFake() {
        HttpClient client = HttpClient.newHttpClient();
        String body = "{\"model\": \"gpt-4o-mini\", \"messages\": [{\"role\": \"user\", \"content\": \"probe\"}]}";
        for (int i = 0; i < 200; i++) {
            try {
                HttpResponse<String> response = client.send(
                        HttpRequest.newBuilder(URI.create(FAKE.baseUrl() + "/chat/completions"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.body().contains("\"content\":\"probe\"")) {
                    return;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("the fake server never echoed again");
    }

    private static Map<String, Object> item(String name, String question, String expected) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", name);
        item.put("vars", Map.of("question", question));
        item.put("expected", expected);
        return item;
    }

    /** {@code n} items q1..qn whose question mentions its own word, expected in the answer. */
    private static List<Map<String, Object>> questions(int n) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            items.add(item("q" + i, "What is word" + i + "?", "icontains:word" + i));
        }
        return items;
    }

    private void dataset(String name, List<Map<String, Object>> items) {
        ok(api.post(base() + "/datasets", Http.json(Map.of("name", name, "items", items))), 201);
    }

    private String pipeline(Map<String, Object> config, List<Map<String, Object>> stages) {
        return ok(
                        api.post(
                                base() + "/pipelines",
                                Http.json(Map.of("name", unique("pl"), "config", config, "stages", stages))),
                        201)
                .json()
                .get("id")
                .asString();
    }

    private static Map<String, Object> stage(String type, Map<String, Object> config) {
        return Map.of("type", type, "config", config);
    }

    private Response execute(String pipelineId, Map<String, Object> body) {
        return api.post("/api/integration/testing/pipelines/" + pipelineId + "/execute", Http.json(body));
    }

    private JsonNode run(String pipelineId, String runId) {
        return ok(api.get("/api/integration/testing/pipelines/" + pipelineId + "/runs/" + runId), 200)
                .json();
    }

    private static JsonNode stageOf(JsonNode run, String type) {
        for (JsonNode stage : run.get("stages")) {
            if (stage.get("type").asString().equals(type)) {
                return stage;
            }
        }
        throw new AssertionError("no " + type + " stage in " + run);
    }

    // --- datasets

    @Test
    void versions_a_dataset_on_every_change_and_keeps_old_versions_readable() {
        // given
        dataset("faq", questions(2));

        // when
        Response added = api.post(
                base() + "/datasets/faq/items",
                Http.json(Map.of("items", List.of(item("q3", "What is word3?", "icontains:word3")))));
        Response removed = api.delete(base() + "/datasets/faq/items/q1");

        // then
        ok(added, 201);
        assertThat(added.json().get("version").asInt()).isEqualTo(2);
        assertThat(added.json().get("itemCount").asInt()).isEqualTo(3);
        ok(removed, 200);
        assertThat(removed.json().get("version").asInt()).isEqualTo(3);
        List<String> names = new ArrayList<>();
        removed.json().get("items").forEach(i -> names.add(i.get("name").asString()));
        assertThat(names).containsExactly("q2", "q3");
        JsonNode v2 = ok(api.get(base() + "/datasets/faq?version=2"), 200).json();
        assertThat(v2.get("items")).hasSize(3);
        assertThat(v2.get("latestVersion").asInt()).isEqualTo(3);
        JsonNode v1 = ok(api.get(base() + "/datasets/faq?version=1"), 200).json();
        assertThat(v1.get("items")).hasSize(2);
        assertThat(v1.get("items").get(0).get("expected").get(0).asString()).isEqualTo("icontains:word1");
        JsonNode list = ok(api.get(base() + "/datasets"), 200).json().get("items");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("itemCount").asInt()).isEqualTo(2);
        problem(api.get(base() + "/datasets/faq?version=4"), 404);
        problem(api.delete(base() + "/datasets/faq/items/q1"), 404);
        JsonNode audit = ok(api.get("/api/v1/audit?target=project/" + project + "/dataset/faq"), 200)
                .json()
                .get("items");
        assertThat(audit).hasSize(3);
    }

    @Test
    void imports_promptfoo_csv_with_expected_columns_and_exports_csv_and_jsonl_back() {
        // given
        String csv = "question,__expected1,__expected2,__description\n"
                + "\"Refund, please?\",icontains:refund,not-contains:sorry,refund\n"
                + "Where is my order?,contains:order,,order\n";

        // when
        Response imported = api.send("POST", base() + "/datasets/support/import", csv, "Content-Type", "text/csv");

        // then
        ok(imported, 201);
        JsonNode items = imported.json().get("items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("vars").get("question").asString()).isEqualTo("Refund, please?");
        assertThat(items.get(0).get("name").asString()).isEqualTo("refund");
        assertThat(items.get(0).get("expected")).hasSize(2);
        assertThat(items.get(1).get("expected").get(0).asString()).isEqualTo("contains:order");
        Response exportedCsv = ok(api.get(base() + "/datasets/support/export?format=csv"), 200);
        assertThat(exportedCsv.header("Content-Type")).startsWith("text/csv");
        assertThat(exportedCsv.body())
                .startsWith("question,__expected1,__expected2,__description\r\n")
                .contains("\"Refund, please?\",icontains:refund,not-contains:sorry,refund");
        Response exportedJsonl = ok(api.get(base() + "/datasets/support/export?format=jsonl"), 200);
        assertThat(exportedJsonl.body().lines()).hasSize(2);
        Response reimported = api.send(
                "POST", base() + "/datasets/copy/import", exportedJsonl.body(), "Content-Type", "application/x-ndjson");
        ok(reimported, 201);
        assertThat(reimported.json().get("items").get(0).get("expected"))
                .isEqualTo(items.get(0).get("expected"));
        String promptfooJsonl = "{\"vars\": {\"question\": \"hi\"}, \"assert\": [{\"type\": \"icontains\","
                + " \"value\": \"hi\"}], \"description\": \"greeting\"}\n";
        JsonNode appended = ok(
                        api.send(
                                "POST",
                                base() + "/datasets/copy/import?format=jsonl",
                                promptfooJsonl,
                                "Content-Type",
                                "text/plain"),
                        201)
                .json();
        assertThat(appended.get("version").asInt()).isEqualTo(2);
        assertThat(appended.get("items").get(2).get("expected").get(0).asString())
                .isEqualTo("icontains:hi");
    }

    @Test
    void refuses_bad_items_with_problems_and_changes_nothing() {
        // given
        dataset("strict", questions(1));

        // when
        Response badVariable = api.post(
                base() + "/datasets/strict/items",
                Http.json(Map.of("items", List.of(Map.of("vars", Map.of("not a name", "x"))))));
        Response badRegex = api.post(
                base() + "/datasets/strict/items",
                Http.json(Map.of("items", List.of(Map.of("vars", Map.of("q", "x"), "expected", "regex:(")))));
        Response badCsv =
                api.send("POST", base() + "/datasets/strict/import", "q,__bogus\n1,2\n", "Content-Type", "text/csv");
        Response takenName = api.post(
                base() + "/datasets/strict/items", Http.json(Map.of("items", List.of(item("q1", "again", "x")))));

        // then
        problem(badVariable, 422);
        assertThat(badVariable.json().get("errors").get(0).get("field").asString())
                .isEqualTo("items[0].vars");
        problem(badRegex, 422);
        problem(badCsv, 422);
        problem(takenName, 422);
        assertThat(api.get(base() + "/datasets/strict").json().get("version").asInt())
                .isEqualTo(1);
    }

    @Test
    void makes_items_from_the_lowest_scored_records_with_personal_data_anonymized() {
        // given: three production executions with scores 0.9, 0.1 and 0.5
        double[] scores = {0.9, 0.1, 0.5};
        for (int i = 0; i < scores.length; i++) {
            Response executed = ok(
                    api.post(
                            "/api/v1/prompt/execute",
                            Http.json(Map.of(
                                    "project",
                                    project,
                                    "model",
                                    "local/echo",
                                    "messages",
                                    List.of(Map.of(
                                            "role",
                                            "user",
                                            "content",
                                            "Question " + i + " from jane.doe@example.com"))))),
                    200);
            ok(
                    api.post(
                            "/api/v1/records/" + executed.json().get("recordId").asString() + "/feedback",
                            Http.json(Map.of("name", "helpful", "value", scores[i]))),
                    201);
        }
        dataset("hard-cases", List.of());

        // when
        Response made = api.post(
                base() + "/datasets/hard-cases/from-records",
                Http.json(Map.of(
                        "orderBy",
                        "score",
                        "limit",
                        2,
                        "from",
                        Instant.now().minus(Duration.ofDays(7)).toString())));

        // then
        ok(made, 201);
        JsonNode items = made.json().get("items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("metadata").get("score").asDouble()).isEqualTo(0.1);
        assertThat(items.get(1).get("metadata").get("score").asDouble()).isEqualTo(0.5);
        assertThat(items.get(0).get("vars").get("input").asString())
                .startsWith("Question 1 from")
                .contains("EMAIL_ADDRESS")
                .doesNotContain("jane.doe@example.com");
        assertThat(made.body()).doesNotContain("jane.doe@example.com");
        problem(api.post(base() + "/datasets/hard-cases/from-records", Http.json(Map.of("orderBy", "best"))), 422);
        problem(api.post(base() + "/datasets/missing/from-records", Http.json(Map.of())), 404);
    }

    // --- pipelines

    @Test
    void creates_lists_and_updates_pipelines_and_refuses_bad_definitions() {
        // given
        dataset("faq", questions(1));
        Map<String, Object> config = Map.of("dataset", "faq", "models", List.of("local/echo"));

        // when
        String id = pipeline(config, List.of(stage("quality", Map.of("minPassRate", 0.9))));
        Response updated = api.put(
                base() + "/pipelines/" + id,
                Http.json(Map.of(
                        "name",
                        "renamed",
                        "config",
                        config,
                        "stages",
                        List.of(stage("validation", Map.of()), stage("quality", Map.of())))));

        // then
        ok(updated, 200);
        assertThat(updated.json().get("revision").asInt()).isEqualTo(2);
        assertThat(updated.json().get("stages")).hasSize(2);
        assertThat(ok(api.get(base() + "/pipelines/" + id), 200)
                        .json()
                        .get("name")
                        .asString())
                .isEqualTo("renamed");
        assertThat(ok(api.get(base() + "/pipelines"), 200).json().get("items")).hasSize(1);
        problem(
                api.post(
                        base() + "/pipelines",
                        Http.json(Map.of("name", "x", "stages", List.of(Map.of("type", "magic"))))),
                400);
        Response badConfig = api.post(
                base() + "/pipelines",
                Http.json(Map.of(
                        "name",
                        "y",
                        "config",
                        Map.of("dataset", "nope", "models", List.of("nowhere/model"), "concurrency", 0),
                        "stages",
                        List.of(stage("performance", Map.of("maxP95Ms", "fast", "bogus", 1))))));
        problem(badConfig, 422);
        assertThat(badConfig.json().get("errors")).hasSizeGreaterThanOrEqualTo(5);
        problem(
                api.post(
                        base() + "/pipelines",
                        Http.json(Map.of("name", "renamed", "stages", List.of(stage("quality", Map.of()))))),
                409);
        problem(api.get(base() + "/pipelines/does-not-exist"), 404);
        assertThat(ok(api.get(base() + "/pipelines"), 200).json().get("items")).hasSize(1);
    }

    @Test
    void runs_every_stage_on_the_local_model_and_reports_a_passing_candidate() {
        // given: v1 the baseline, v2 the same words with redundant whitespace and a repeated sentence
        prompt("qa", "Answer the question. {{question}}");
        version("qa", "Answer the question.   Answer the question.\n\n\n\n{{question}}   ");
        dataset("faq", questions(12));
        String id = pipeline(
                Map.of("dataset", "faq", "concurrency", 4, "successCriteria", Map.of("minPassRate", 0.9)),
                List.of(
                        stage("validation", Map.of()),
                        stage("performance", Map.of("maxErrorRate", 0.0, "maxP95Ms", 60_000)),
                        stage("quality", Map.of()),
                        stage("comparison", Map.of("resamples", 1000)),
                        stage("optimization", Map.of())));

        // when
        Response response = execute(id, Map.of("promptId", "qa@2", "baselinePromptId", "qa@1", "runAsync", false));

        // then
        ok(response, 200);
        JsonNode run = response.json();
        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("PASSED");
        assertThat(run.get("candidate").asString()).isEqualTo("qa@2");
        assertThat(run.get("baseline").asString()).isEqualTo("qa@1");
        assertThat(run.get("items").asInt()).isEqualTo(12);
        for (JsonNode stage : run.get("stages")) {
            assertThat(stage.get("status").asString()).as(stage.toString()).isEqualTo("PASSED");
        }
        JsonNode performance = stageOf(run, "performance").get("metrics");
        assertThat(performance.get("calls").asInt()).isEqualTo(12);
        assertThat(performance.get("p50Ms").asDouble()).isPositive();
        assertThat(performance.get("costPerCall").asDouble()).isPositive();
        assertThat(performance.get("projectedMonthlyCost").asDouble())
                .isCloseTo(
                        performance.get("costPerCall").asDouble() * 100_000, org.assertj.core.data.Offset.offset(1e-6));
        JsonNode quality = stageOf(run, "quality").get("metrics");
        assertThat(quality.get("passRate").asDouble()).isEqualTo(1.0);
        JsonNode comparison = stageOf(run, "comparison").get("metrics");
        assertThat(comparison.get("ties").asInt()).isEqualTo(12);
        assertThat(comparison.get("verdict").asString()).isEqualTo("no significant change");
        assertThat(comparison.get("mcnemarPValue").asDouble()).isEqualTo(1.0);
        JsonNode suggestions = stageOf(run, "optimization").get("details").get("suggestions");
        Map<String, JsonNode> byKind = new LinkedHashMap<>();
        suggestions.forEach(s -> byKind.put(s.get("kind").asString(), s));
        assertThat(byKind).containsKeys("whitespace", "redundant-instructions");
        JsonNode whitespace = byKind.get("whitespace");
        assertThat(whitespace.get("template").asString())
                .isEqualTo("Answer the question. Answer the question.\n\n{{question}}");
        assertThat(whitespace.get("inputTokensDelta").asDouble()).isNegative();
        assertThat(whitespace.get("meanScoreDelta").asDouble()).isEqualTo(0.0);
        assertThat(whitespace.get("recommended").asBoolean()).isTrue();
        assertThat(byKind.get("redundant-instructions").get("template").asString())
                .containsOnlyOnce("Answer the question.");
        // Every execution is a record tagged with the run id, none executed twice.
        JsonNode records = ok(
                        api.get("/api/v1/records?limit=200&run=" + run.get("id").asString()), 200)
                .json()
                .get("items");
        assertThat(records.size()).isEqualTo(run.get("itemsDone").asInt());
        assertThat(records.size()).isEqualTo(12 + 12 + 12 * byKind.size());
        assertThat(records.get(0).get("endpoint").asString()).isEqualTo("pipeline");
    }

    @Test
    void fails_the_comparison_when_the_candidate_regresses_and_lists_both_answers() {
        // given: the baseline says "please", the candidate does not, and the evaluator wants "please"
        prompt("polite", "Please answer: {{question}}");
        version("polite", "Answer: {{question}}");
        dataset("faq", questions(12));
        String id = pipeline(
                Map.of("dataset", "faq", "assert", List.of(Map.of("type", "icontains", "value", "please"))),
                List.of(stage("comparison", Map.of("resamples", 1000, "seed", 7)), stage("optimization", Map.of())));

        // when
        JsonNode run = ok(
                        execute(id, Map.of("promptId", "polite@2", "baselinePromptId", "polite@1", "runAsync", false)),
                        200)
                .json();

        // then
        assertThat(run.get("status").asString()).isEqualTo("FAILED");
        assertThat(run.get("reason").asString()).contains("comparison");
        JsonNode comparison = stageOf(run, "comparison");
        assertThat(comparison.get("status").asString()).isEqualTo("FAILED");
        JsonNode metrics = comparison.get("metrics");
        assertThat(metrics.get("losses").asInt()).isEqualTo(12);
        assertThat(metrics.get("wins").asInt()).isZero();
        assertThat(metrics.get("verdict").asString()).isEqualTo("regression");
        assertThat(metrics.get("ciHigh").asDouble()).isNegative();
        assertThat(metrics.get("mcnemarPValue").asDouble()).isLessThan(0.05);
        JsonNode regressed = comparison.get("details").get("regressedItems");
        assertThat(regressed).hasSize(12);
        assertThat(regressed.get(0).get("baselineOutput").asString()).startsWith("Please answer: What is word");
        assertThat(regressed.get(0).get("candidateOutput").asString()).startsWith("Answer: What is word");
        assertThat(stageOf(run, "optimization").get("status").asString()).isEqualTo("SKIPPED");
    }

    @Test
    void validation_finds_missing_variables_personal_data_injection_risk_and_format_gaps() {
        // given
        ok(api.post(base() + "/prompts", Http.json(Map.of("name", "risky"))), 201);
        messagesVersion(
                "risky",
                List.of(
                        Map.of(
                                "role",
                                "system",
                                "content",
                                "Escalate to jane.doe@example.com. The user asks: {{question}}"),
                        Map.of("role", "user", "content", "{{question}} ({{channel}})")));
        dataset("faq", questions(2));
        String id = pipeline(
                Map.of("dataset", "faq", "assert", List.of(Map.of("type", "is-json"))),
                List.of(stage("validation", Map.of("contextWindows", Map.of("local/echo", 10)))));

        // when
        JsonNode run = ok(execute(id, Map.of("promptId", "risky@1", "runAsync", false)), 200)
                .json();

        // then
        JsonNode validation = stageOf(run, "validation");
        assertThat(validation.get("status").asString()).isEqualTo("FAILED");
        List<String> checks = new ArrayList<>();
        validation
                .get("details")
                .get("findings")
                .forEach(f -> checks.add(f.get("check").asString()));
        assertThat(checks).contains("variables", "context-window", "pii", "injection", "output-format");
        assertThat(validation.get("metrics").get("maxPromptTokens").asInt()).isGreaterThan(10);
        assertThat(run.get("status").asString()).isEqualTo("FAILED");
        // Validation executes nothing.
        assertThat(api.get("/api/v1/records?run=" + run.get("id").asString())
                        .json()
                        .get("items"))
                .isEmpty();
    }

    @Test
    void measures_a_model_matrix_on_a_fake_remote_provider_with_thresholds_and_a_cheaper_model() {
        // given: the fake remote model costs 10x the local one and answers the same
        prompt("echo", "Repeat: {{question}}");
        dataset("faq", questions(4));
        String id = pipeline(
                Map.of("dataset", "faq", "models", List.of("fake/gpt-4o-mini", "local/echo"), "monthlyVolume", 1000),
                List.of(
                        Map.of(
                                "type",
                                "performance",
                                "config",
                                Map.of("maxCostPerCall", 0.000_000_1),
                                "continueOnFailure",
                                true),
                        stage("quality", Map.of("minPassRate", 1.0)),
                        stage("optimization", Map.of())));

        // when
        JsonNode run = ok(execute(id, Map.of("promptId", "echo@1", "runAsync", false)), 200)
                .json();

        // then
        JsonNode performance = stageOf(run, "performance");
        assertThat(performance.get("status").asString()).isEqualTo("FAILED");
        JsonNode fake = performance.get("details").get("models").get("fake/gpt-4o-mini");
        assertThat(fake.get("calls").asInt()).isEqualTo(4);
        assertThat(fake.get("inputTokens").asInt()).isPositive();
        assertThat(fake.get("projectedMonthlyCost").asDouble())
                .isCloseTo(fake.get("costPerCall").asDouble() * 1000, org.assertj.core.data.Offset.offset(1e-9));
        JsonNode check = performance.get("details").get("checks").get(0);
        assertThat(check.get("criterion").asString()).isEqualTo("maxCostPerCall");
        assertThat(check.get("passed").asBoolean()).isFalse();
        assertThat(stageOf(run, "quality").get("status").asString()).isEqualTo("PASSED");
        JsonNode cheaper = null;
        for (JsonNode s : stageOf(run, "optimization").get("details").get("suggestions")) {
            if (s.get("kind").asString().equals("cheaper-model")) {
                cheaper = s;
            }
        }
        assertThat(cheaper).isNotNull();
        assertThat(cheaper.get("model").asString()).isEqualTo("local/echo");
        assertThat(cheaper.get("costPerCallDelta").asDouble()).isNegative();
        assertThat(cheaper.get("recommended").asBoolean()).isTrue();
        assertThat(run.get("status").asString()).isEqualTo("FAILED");
        long remote = FAKE.requests().stream()
                .filter(r -> r.path().endsWith("/chat/completions")
                        && String.valueOf(r.json()).contains("Repeat: What is word"))
                .count();
        assertThat(remote).isGreaterThanOrEqualTo(4);
    }

    @Test
    void grades_model_graded_evaluators_with_the_pipeline_judge_through_the_gateway() {
        // given: a judge on the fake remote provider that passes the first answer and fails the second
        prompt("qa", "Q: {{question}}");
        dataset("faq", questions(2));
        FAKE.enqueue(
                FakeOpenAiServer.answer("{\"pass\": true, \"score\": 1, \"reason\": \"on topic\"}"),
                FakeOpenAiServer.answer("{\"pass\": false, \"score\": 0, \"reason\": \"off topic\"}"));
        String id = pipeline(
                Map.of(
                        "dataset",
                        "faq",
                        "judge",
                        "fake/gpt-4o-mini",
                        "assert",
                        List.of(Map.of("type", "llm-rubric", "value", "answers the question"))),
                List.of(stage("quality", Map.of("minPassRate", 0.9))));

        // when
        JsonNode run = ok(execute(id, Map.of("promptId", "qa@1", "runAsync", false)), 200)
                .json();

        // then
        JsonNode quality = stageOf(run, "quality");
        assertThat(quality.get("status").asString()).isEqualTo("FAILED");
        assertThat(quality.get("metrics").get("passRate").asDouble()).isEqualTo(0.5);
        assertThat(quality.get("details")
                        .get("failingItems")
                        .get(0)
                        .get("reason")
                        .asString())
                .contains("off topic");
        JsonNode records = api.get("/api/v1/records?run=" + run.get("id").asString())
                .json()
                .get("items");
        int judged = 0;
        for (JsonNode record : records) {
            judged += record.get("model").asString().equals("fake/gpt-4o-mini") ? 1 : 0;
        }
        assertThat(judged).isEqualTo(2);
        problem(
                api.post(
                        base() + "/pipelines",
                        Http.json(Map.of(
                                "name",
                                "no-judge",
                                "config",
                                Map.of("assert", List.of(Map.of("type", "llm-rubric", "value", "x"))),
                                "stages",
                                List.of(stage("quality", Map.of()))))),
                422);
    }

    @Test
    void suggests_pruned_examples_a_json_only_instruction_and_llm_rewrites_each_retested() {
        // given: few-shot examples, JSON expected, and a rewrite model on the fake remote provider whose
        // first rewrite keeps the variable and whose second drops it
        prompt(
                "fmt",
                "Reply in JSON with a field answer.\n\nExample 1: Q: a A: {\"answer\": \"a\"}\n\n"
                        + "Example 2: Q: b A: {\"answer\": \"b\"}\n\nQ: {{question}}");
        dataset("faq", questions(3));
        FAKE.enqueue(FakeOpenAiServer.answer("Answer in JSON: {{question}}"), FakeOpenAiServer.answer("Answer."));
        String id = pipeline(
                Map.of("dataset", "faq", "assert", List.of(Map.of("type", "contains-json"))),
                List.of(stage("optimization", Map.of("rewriteModel", "fake/gpt-4o-mini", "rewrites", 2))));

        // when
        JsonNode run = ok(execute(id, Map.of("promptId", "fmt@1", "runAsync", false)), 200)
                .json();

        // then
        JsonNode optimization = stageOf(run, "optimization");
        assertThat(optimization.get("status").asString()).isEqualTo("PASSED");
        Map<String, JsonNode> byKind = new LinkedHashMap<>();
        optimization
                .get("details")
                .get("suggestions")
                .forEach(x -> byKind.put(x.get("kind").asString(), x));
        assertThat(byKind).containsKeys("prune-few-shot", "tighten-output-format", "llm-rewrite");
        JsonNode pruned = byKind.get("prune-few-shot");
        assertThat(pruned.get("template").asString()).contains("Example 1").doesNotContain("Example 2");
        assertThat(pruned.get("inputTokensDelta").asDouble()).isNegative();
        assertThat(pruned.get("meanScoreDelta").asDouble()).isEqualTo(0.0);
        assertThat(pruned.get("recommended").asBoolean()).isTrue();
        assertThat(byKind.get("tighten-output-format").get("template").asString())
                .endsWith("Respond with a single JSON object and nothing else.");
        JsonNode rewrite = byKind.get("llm-rewrite");
        assertThat(rewrite.get("template").asString()).isEqualTo("Answer in JSON: {{question}}");
        // The rewrite's answers carry no JSON any more: measured, and not recommended.
        assertThat(rewrite.get("meanScoreDelta").asDouble()).isNegative();
        assertThat(rewrite.get("recommended").asBoolean()).isFalse();
        JsonNode rejected = optimization.get("details").get("rejected");
        assertThat(rejected).hasSize(1);
        assertThat(rejected.get(0).get("reason").asString()).contains("variables");
    }

    @Test
    void runs_items_selected_by_name_and_refuses_bad_execute_requests() {
        // given
        prompt("qa", "Q: {{question}}");
        dataset("faq", questions(3));
        dataset("other", questions(2));
        ok(api.put(base() + "/prompts/qa/labels/production", Http.json(Map.of("version", 1))), 200);
        String id = pipeline(Map.of("dataset", "faq"), List.of(stage("quality", Map.of())));

        // when
        JsonNode byName = ok(
                        execute(
                                id,
                                Map.of(
                                        "promptId",
                                        "qa@production",
                                        "testDataset",
                                        List.of("q1", "q3"),
                                        "runAsync",
                                        false)),
                        200)
                .json();
        JsonNode byDataset = ok(
                        execute(id, Map.of("promptId", "qa", "testDataset", List.of("other"), "runAsync", false)), 200)
                .json();

        // then
        assertThat(byName.get("items").asInt()).isEqualTo(2);
        assertThat(byName.get("status").asString()).isEqualTo("PASSED");
        assertThat(byDataset.get("items").asInt()).isEqualTo(2);
        assertThat(byDataset.get("dataset").asString()).isEqualTo("other");
        int runs = ok(api.get(base() + "/pipelines/" + id + "/runs"), 200)
                .json()
                .get("items")
                .size();
        problem(execute(id, Map.of()), 422);
        problem(execute(id, Map.of("promptId", "not a prompt id")), 422);
        problem(execute(id, Map.of("promptId", "missing@1")), 404);
        problem(execute(id, Map.of("promptId", "qa@9")), 404);
        problem(execute(id, Map.of("promptId", "qa@1", "testDataset", List.of("nope"))), 422);
        problem(execute("no-such-pipeline", Map.of("promptId", "qa@1")), 404);
        problem(api.get("/api/integration/testing/pipelines/" + id + "/runs/no-such-run"), 404);
        assertThat(api.get(base() + "/pipelines/" + id + "/runs")
                        .json()
                        .get("items")
                        .size())
                .isEqualTo(runs);
    }

    @Test
    void streams_progress_of_an_async_run_over_server_sent_events() throws IOException {
        // given: a slow remote model
        prompt("slow", "Slow: {{question}}");
        dataset("faq", questions(6));
        for (int i = 0; i < 6; i++) {
            FAKE.enqueue(FakeOpenAiServer.answer("word" + (i + 1)).delay(Duration.ofMillis(300)));
        }
        String id = pipeline(
                Map.of("dataset", "faq", "models", List.of("fake/gpt-4o-mini"), "concurrency", 2),
                List.of(stage("performance", Map.of()), stage("quality", Map.of())));

        // when
        Response started = execute(id, Map.of("promptId", "slow@1", "runAsync", true));
        ok(started, 202);
        String runId = started.json().get("id").asString();
        assertThat(started.header("Location")).endsWith("/runs/" + runId);
        List<String[]> events = sse("/api/integration/testing/pipelines/" + id + "/runs/" + runId + "/events");

        // then
        List<String> names = events.stream().map(e -> e[0]).toList();
        assertThat(names.getFirst()).isEqualTo("snapshot");
        assertThat(names.getLast()).isEqualTo("run-finished");
        JsonNode last = JSON.readTree(events.getLast()[1]);
        assertThat(last.get("status").asString()).isIn("PASSED", "FAILED");
        JsonNode finished = run(id, runId);
        assertThat(finished.get("itemsDone").asInt()).isEqualTo(6);
        // Six answers of 300 ms, two at a time: the stream was open long before the run ended.
        List<Integer> done = events.stream()
                .filter(e -> e[0].equals("progress"))
                .map(e -> JSON.readTree(e[1]).get("itemsDone").asInt())
                .toList();
        assertThat(done).isNotEmpty().isSorted();
        assertThat(done.getLast()).isEqualTo(6);
        assertThat(names).contains("stage-started", "stage-finished");
        assertThat(names.lastIndexOf("stage-finished")).isGreaterThan(names.indexOf("progress"));
    }

    @Test
    void cancels_a_running_run_and_skips_what_is_left() {
        // given: twenty slow items, one at a time
        prompt("slow", "Slow: {{question}}");
        dataset("faq", questions(20));
        for (int i = 0; i < 20; i++) {
            FAKE.enqueue(FakeOpenAiServer.answer("word").delay(Duration.ofMillis(200)));
        }
        String id = pipeline(
                Map.of("dataset", "faq", "models", List.of("fake/gpt-4o-mini"), "concurrency", 1),
                List.of(stage("quality", Map.of()), stage("optimization", Map.of())));
        String runId = ok(execute(id, Map.of("promptId", "slow@1")), 202)
                .json()
                .get("id")
                .asString();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> run(id, runId).get("itemsDone").asInt() >= 1);

        // when
        Response cancelled = api.post("/api/integration/testing/pipelines/" + id + "/runs/" + runId + "/cancel", "{}");

        // then
        ok(cancelled, 200);
        assertThat(cancelled.json().get("status").asString()).isEqualTo("CANCELLED");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> stageOf(run(id, runId), "optimization")
                        .get("status")
                        .asString()
                        .equals("SKIPPED"));
        JsonNode run = run(id, runId);
        assertThat(run.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(run.get("reason").asString()).startsWith("cancelled by");
        assertThat(stageOf(run, "quality").get("status").asString()).isEqualTo("SKIPPED");
        assertThat(run.get("itemsDone").asInt()).isLessThan(20);
        problem(api.post("/api/integration/testing/pipelines/" + id + "/runs/" + runId + "/cancel", "{}"), 409);
        // What the cancelled run left queued on the fake server must not answer later tests.
        drainFake();
    }

    @Test
    void bounds_the_calls_to_one_provider_at_once() {
        // given: provider concurrency 2 (see the properties), pipeline concurrency 8, slow answers
        prompt("slow", "Slow: {{question}}");
        dataset("faq", questions(8));
        for (int i = 0; i < 8; i++) {
            FAKE.enqueue(FakeOpenAiServer.answer("word").delay(Duration.ofMillis(250)));
        }
        String id = pipeline(
                Map.of("dataset", "faq", "models", List.of("fake/gpt-4o-mini"), "concurrency", 8),
                List.of(stage("performance", Map.of())));

        // when
        JsonNode run = ok(execute(id, Map.of("promptId", "slow@1", "runAsync", false)), 200)
                .json();

        // then: at no moment were more than two of the run's records in flight
        JsonNode records = api.get(
                        "/api/v1/records?limit=200&run=" + run.get("id").asString())
                .json()
                .get("items");
        assertThat(records).hasSize(8);
        List<long[]> spans = new ArrayList<>();
        records.forEach(r -> spans.add(new long[] {
            Instant.parse(r.get("createdAt").asString()).toEpochMilli(),
            Instant.parse(r.get("finishedAt").asString()).toEpochMilli()
        }));
        int most = 0;
        for (long[] span : spans) {
            long t = span[0] + 1;
            int inFlight =
                    (int) spans.stream().filter(s -> s[0] <= t && t < s[1]).count();
            most = Math.max(most, inFlight);
        }
        assertThat(most).isBetween(1, 2);
    }

    /** Reads a Server-Sent Events stream to its end: each event's name and data. */
    private List<String[]> sse(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.base() + path))
                .header("Authorization", "Bearer " + KEY)
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(30))
                .build();
        try {
            HttpResponse<InputStream> response =
                    HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            List<String[]> events = new ArrayList<>();
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String name = null;
                StringBuilder data = new StringBuilder();
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("event:")) {
                        name = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5));
                    } else if (line.isEmpty() && name != null) {
                        events.add(new String[] {name, data.toString()});
                        name = null;
                        data.setLength(0);
                    }
                }
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
