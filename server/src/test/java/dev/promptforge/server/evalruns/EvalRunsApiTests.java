package dev.promptforge.server.evalruns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.support.ApiTestBase;
import dev.promptforge.server.support.Http;
import dev.promptforge.server.support.Http.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The evaluation runs API: store a run's results, list and get them, refuse bad bodies; on both databases. */
abstract class EvalRunsApiTests extends ApiTestBase {

    private String project;

    @BeforeEach
    void createProject() {
        project = unique("evalruns");
        api.post("/api/v1/projects", Http.json(Map.of("name", project)));
    }

    private String runs() {
        return "/api/v1/projects/" + project + "/eval-runs";
    }

    static Map<String, Object> cell(String test, String provider, String status, Double score) {
        Map<String, Object> cell = new LinkedHashMap<>();
        cell.put("test", test);
        cell.put("prompt", "Say {{word}}");
        cell.put("provider", provider);
        cell.put("repeat", 0);
        cell.put("status", status);
        cell.put("score", score);
        cell.put("latencyMs", 12.5);
        return cell;
    }

    static Map<String, Object> run(String runId, String startedAt, List<Map<String, Object>> cells) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runId", runId);
        body.put("suite", "suite.yaml");
        body.put("description", "Greetings <b>suite</b>");
        body.put("startedAt", startedAt);
        body.put("finishedAt", startedAt.replace(":00Z", ":30Z"));
        body.put("cells", cells);
        return body;
    }

    @Test
    void a_run_is_stored_with_its_summary_and_matrix_and_listed_newest_first() {
        // given
        Response older = api.post(
                runs(),
                Http.json(run(
                        "run-1",
                        "2026-11-01T10:00:00Z",
                        List.of(cell("hello", "local/echo", "PASS", 1.0), cell("bye", "local/echo", "FAIL", 0.0)))));
        // when
        Response created = api.post(
                runs(),
                Http.json(run(
                        "run-2",
                        "2026-11-02T10:00:00Z",
                        List.of(
                                cell("hello", "local/echo", "PASS", 1.0),
                                cell("bye", "local/echo", "PASS", 0.9),
                                cell("hello", "openai/gpt", "ERROR", null),
                                cell("bye", "openai/gpt", "PASS", 1.0)))));
        // then
        assertThat(older.status()).as(older.body()).isEqualTo(201);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo(runs() + "/run-2");
        JsonNode run = api.get(runs() + "/run-2").json();
        assertThat(run.get("passRate").asDouble()).isEqualTo(0.75);
        assertThat(run.get("passed").asInt()).isEqualTo(3);
        assertThat(run.get("errors").asInt()).isEqualTo(1);
        assertThat(run.get("createdBy").asString()).isNotBlank();
        assertThat(run.get("cells")).hasSize(4);
        assertThat(run.get("cells").get(1).get("score").asDouble()).isEqualTo(0.9);
        JsonNode list = api.get(runs()).json().get("items");
        List<String> ids = new ArrayList<>();
        list.forEach(r -> ids.add(r.get("runId").asString()));
        assertThat(ids).containsExactly("run-2", "run-1");
        assertThat(list.get(0).get("cells")).isEmpty();
    }

    @Test
    void a_run_id_is_sent_once() {
        // given
        Map<String, Object> body = run("once", "2026-11-01T10:00:00Z", List.of(cell("a", "p", "PASS", 1.0)));
        api.post(runs(), Http.json(body));
        // when
        Response again = api.post(runs(), Http.json(body));
        // then
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void bad_bodies_are_refused_with_a_problem_and_store_nothing() {
        // given
        Map<String, Object> noCells = run("bad-1", "2026-11-01T10:00:00Z", List.of());
        Map<String, Object> badStatus = run("bad-2", "2026-11-01T10:00:00Z", List.of(cell("a", "p", "MAYBE", 1.0)));
        Map<String, Object> badScore = run("bad-3", "2026-11-01T10:00:00Z", List.of(cell("a", "p", "PASS", 7.0)));
        Map<String, Object> badId = run("no spaces!", "2026-11-01T10:00:00Z", List.of(cell("a", "p", "PASS", 1.0)));
        Map<String, Object> backwards = run("bad-4", "2026-11-01T10:00:00Z", List.of(cell("a", "p", "PASS", 1.0)));
        backwards.put("finishedAt", "2026-10-01T10:00:00Z");
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i <= EvalRuns.MAX_CELLS; i++) {
            many.add(Map.of("test", "t" + i, "prompt", "p", "provider", "x", "status", "PASS"));
        }
        Map<String, Object> tooMany = run("bad-5", "2026-11-01T10:00:00Z", many);
        // when / then
        for (Map<String, Object> body : List.of(noCells, badStatus, badScore, badId, backwards, tooMany)) {
            Response response = api.post(runs(), Http.json(body));
            assertThat(response.status()).as(response.body()).isEqualTo(422);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        }
        Response malformed = api.post(runs(), "{\"runId\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.header("Content-Type")).startsWith("application/problem+json");
        assertThat(api.get(runs()).json().get("items")).isEmpty();
        assertThat(api.get(runs() + "/bad-1").status()).isEqualTo(404);
    }
}
