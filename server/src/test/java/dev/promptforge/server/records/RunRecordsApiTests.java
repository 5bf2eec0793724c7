package dev.promptforge.server.records;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.support.ApiTestBase;
import dev.promptforge.server.support.Http;
import dev.promptforge.server.support.Http.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Executions tagged with a run id, and the records filter that finds them, on both databases. */
abstract class RunRecordsApiTests extends ApiTestBase {

    private String project;

    @BeforeEach
    void createProject() {
        project = unique("runs");
        api.post("/api/v1/projects", Http.json(Map.of("name", project)));
    }

    private Response execute(String text, String model, String runId) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("project", project);
        body.put("model", model);
        body.put("messages", List.of(Map.of("role", "user", "content", text)));
        if (runId != null) {
            body.put("runId", runId);
        }
        return api.post("/api/v1/prompt/execute", Http.json(body));
    }

    @Test
    void tags_executions_with_their_run_and_lists_a_runs_records() {
        // given: two executions of one run (one of them failing), one of another run, one of none
        String run = unique("eval");
        Response first = execute("one", "local/echo", run);
        Response failed = execute("two", "local/missing", run);
        execute("three", "local/echo", unique("eval"));
        execute("four", "local/echo", null);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.json().get("runId").asString()).isEqualTo(run);

        // when
        Response listed = api.get("/api/v1/records?run=" + run);

        // then
        assertThat(listed.status()).isEqualTo(200);
        JsonNode items = listed.json().get("items");
        assertThat(failed.status()).isEqualTo(404);
        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("id").asString())
                .isEqualTo(failed.json().get("recordId").asString());
        assertThat(items.get(0).get("status").asString()).isEqualTo("error");
        assertThat(items.get(1).get("output").asString()).isEqualTo("one");
        for (JsonNode item : items) {
            assertThat(item.get("runId").asString()).isEqualTo(run);
            assertThat(item.get("project").asString()).isEqualTo(project);
        }
        JsonNode untagged = api.get("/api/v1/records?project=" + project).json().get("items");
        assertThat(untagged).hasSize(items.size() + 2);
        assertThat(api.get("/api/v1/records?run=" + run + "&project=" + project)
                        .json()
                        .get("items"))
                .hasSize(items.size());
        assertThat(api.get("/api/v1/records?run=no-such-run").json().get("items"))
                .isEmpty();
    }

    @Test
    void refuses_a_malformed_run_id_as_a_problem() {
        Response response = execute("x", "local/echo", "no spaces allowed");
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("runId");
        assertThat(api.get("/api/v1/records?project=" + project).json().get("items"))
                .isEmpty();
    }
}
