package dev.promptforge.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.support.ApiTestBase;
import dev.promptforge.server.support.Http;
import dev.promptforge.server.support.Http.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Subject deletion and retention through HTTP, on both databases. */
abstract class DataProtectionApiTests extends ApiTestBase {

    @Autowired
    Retention retention;

    @Autowired
    JdbcClient jdbc;

    private String project;

    @BeforeEach
    void project() {
        project = unique("gdpr");
        api.post("/api/v1/projects", Http.json(Map.of("name", project)));
    }

    @Test
    void deletes_a_subjects_records_and_feedback_and_audits_only_that_it_happened() {
        // given: alice through the execute API's field and the proxy's header, bob through OpenAI's "user"
        String alice1 =
                execute("alice@example.com", "first").json().get("recordId").asString();
        Response viaProxy = api.post(
                "/v1/chat/completions",
                Http.json(Map.of(
                        "model", "local/echo", "messages", List.of(Map.of("role", "user", "content", "second")))),
                "X-PromptForge-Project",
                project,
                "X-PromptForge-Subject",
                "alice@example.com");
        assertThat(viaProxy.status()).as(viaProxy.toString()).isEqualTo(200);
        String alice2 = viaProxy.header("X-PromptForge-Record-Id");
        Response bobCall = api.post(
                "/v1/chat/completions",
                Http.json(Map.of(
                        "model",
                        "local/echo",
                        "user",
                        "bob",
                        "messages",
                        List.of(Map.of("role", "user", "content", "third")))),
                "X-PromptForge-Project",
                project);
        assertThat(bobCall.status()).as(bobCall.toString()).isEqualTo(200);
        String bob = bobCall.header("X-PromptForge-Record-Id");
        api.post("/api/v1/records/" + alice1 + "/feedback", Http.json(Map.of("name", "helpful", "value", 1)));
        JsonNode stored = api.get("/api/v1/records/" + alice1).json();
        JsonNode storedViaProxy = api.get("/api/v1/records/" + alice2).json();
        // when
        Response deleted = api.delete("/api/v1/projects/" + project + "/subjects/alice@example.com");
        // then
        assertThat(stored.get("subject").asString())
                .as("stored as a keyed hash, never the id")
                .hasSize(64)
                .doesNotContain("alice");
        assertThat(storedViaProxy.get("subject").asString())
                .isEqualTo(stored.get("subject").asString());
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(deleted.json().get("deletedRecords").asInt()).isEqualTo(2);
        assertThat(deleted.json().get("deletedFeedback").asInt()).isEqualTo(1);
        assertThat(api.get("/api/v1/records/" + alice1).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/records/" + alice2).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/records/" + bob).json().get("subject").asString())
                .hasSize(64)
                .isNotEqualTo(stored.get("subject").asString());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM feedback WHERE record_id = :id")
                        .param("id", alice1)
                        .query(Integer.class)
                        .single())
                .isZero();
        JsonNode audit =
                api.get("/api/v1/audit?limit=200&action=subject.delete").json().get("items");
        List<String> targets = new ArrayList<>();
        audit.forEach(e -> targets.add(e.get("target").asString()));
        assertThat(targets)
                .contains("project/" + project + "/subjects/"
                        + stored.get("subject").asString());
        assertThat(audit.toString()).doesNotContain("alice");
        assertThat(api.get("/api/v1/audit/verify").json().toString()).contains("\"valid\":true");
    }

    @Test
    void rejects_an_unusable_subject_and_an_unknown_project() {
        Response tooLong = execute("x".repeat(257), "hi");
        Response blank = execute(" ", "hi");
        assertThat(tooLong.status()).isEqualTo(422);
        assertThat(tooLong.json().get("errors").toString()).contains("subject");
        assertThat(blank.status()).isEqualTo(422);
        assertThat(api.delete("/api/v1/projects/no-such-project-q/subjects/alice")
                        .status())
                .isEqualTo(404);
        assertThat(records(project)).isEmpty();
    }

    @Test
    void purges_records_older_than_the_retention_and_audits_the_purge() {
        // given: records in a project keeping 1 day, and in one keeping everything
        String keeper = unique("keep");
        api.post("/api/v1/projects", Http.json(Map.of("name", keeper)));
        Response set = api.put("/api/v1/projects/" + project + "/retention", Http.json(Map.of("days", 1)));
        execute(null, "old one");
        executeIn(keeper, "kept forever");
        // when: the job runs as of two days later, then as of now
        Map<String, Integer> now = retention.purge(Instant.now());
        Map<String, Integer> later = retention.purge(Instant.now().plus(Duration.ofDays(2)));
        // then
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(api.get("/api/v1/projects/" + project + "/retention")
                        .json()
                        .get("days")
                        .asInt())
                .isEqualTo(1);
        assertThat(now.get(project)).isZero();
        assertThat(later.get(project)).isEqualTo(1);
        assertThat(later).doesNotContainKey(keeper);
        assertThat(records(project)).isEmpty();
        assertThat(records(keeper)).hasSize(1);
        List<String> targets = new ArrayList<>();
        api.get("/api/v1/audit?limit=200&action=records.purge")
                .json()
                .get("items")
                .forEach(e -> targets.add(
                        e.get("target").asString() + " by " + e.get("actor").asString()));
        assertThat(targets).contains("project/" + project + "/records by system");
        // and invalid retentions are refused, null keeps everything again
        assertThat(api.put("/api/v1/projects/" + project + "/retention", Http.json(Map.of("days", 0)))
                        .status())
                .isEqualTo(422);
        Map<String, Object> forever = new HashMap<>();
        forever.put("days", null);
        api.put("/api/v1/projects/" + project + "/retention", Http.json(forever));
        assertThat(api.get("/api/v1/projects/" + project + "/retention")
                        .json()
                        .get("days")
                        .isNull())
                .isTrue();
    }

    private Response execute(String subject, String content) {
        Map<String, Object> body = new HashMap<>();
        body.put("project", project);
        body.put("model", "local/echo");
        body.put("messages", List.of(Map.of("role", "user", "content", content)));
        if (subject != null) {
            body.put("subject", subject);
        }
        return api.post("/api/v1/prompt/execute", Http.json(body));
    }

    private void executeIn(String name, String content) {
        api.post(
                "/api/v1/prompt/execute",
                Http.json(Map.of(
                        "project",
                        name,
                        "model",
                        "local/echo",
                        "messages",
                        List.of(Map.of("role", "user", "content", content)))));
    }

    private List<JsonNode> records(String name) {
        List<JsonNode> items = new ArrayList<>();
        api.get("/api/v1/records?project=" + name).json().get("items").forEach(items::add);
        return items;
    }
}
