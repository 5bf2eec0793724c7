package dev.promptforge.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.support.BrowserTestBase;
import dev.promptforge.server.support.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/** A fresh project with a prompt ("faq", local/extractive) for the tests of one project's pages. */
abstract class ProjectPagesBrowserTestBase extends BrowserTestBase {

    protected String project;

    @BeforeEach
    void projectWithPrompt() {
        project = unique("pages");
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

    /** Executes the prompt with {@code question}; returns the record's id. */
    protected String execute(String question) {
        Http.Response response = api.post(
                "/api/v1/prompt/execute",
                Http.json(Map.of(
                        "project",
                        project,
                        "prompt",
                        "faq",
                        "variables",
                        Map.of(
                                "context",
                                "Wire transfers cost 5 dollars. Card replacement is free.",
                                "question",
                                question))));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("recordId").asString();
    }

    /** A new user with {@code role} in the project; their password is "a-long-password". */
    protected String member(String role) {
        String name = unique("user");
        Http.Response user =
                api.post("/api/v1/users", Http.json(Map.of("username", name, "password", "a-long-password")));
        assertThat(user.status()).as(user.toString()).isEqualTo(201);
        Http.Response member =
                api.put("/api/v1/projects/" + project + "/members/" + name, Http.json(Map.of("role", role)));
        assertThat(member.status()).as(member.toString()).isEqualTo(201);
        return name;
    }

    protected String base() {
        return url("/projects/" + project);
    }
}
