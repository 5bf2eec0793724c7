package dev.promptforge.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.support.Http;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * HTML and script in what people and callers write — a prompt's description, template and version
 * message, an execution's input and answer, an annotation's comment, an evaluation run's
 * description and cells, text pasted into the PII playground — is shown as text on every page of the
 * dashboard: the markup never becomes elements, and no script runs.
 */
class EscapingBrowserTest extends ProjectPagesBrowserTestBase {

    static final String MARKUP = "<img src=x id=pwned-img onerror=alert(1)><script id=pwned-script>alert(2)</script>"
            + "<b id=pwned-b>bold</b>";

    @Test
    void markup_written_by_users_is_shown_as_text_on_every_page() {
        // given: markup everywhere a person or a caller writes text
        api.post(
                "/api/v1/projects/" + project + "/prompts",
                Http.json(Map.of("name", "xss", "description", "Described as " + MARKUP, "tags", List.of("t"))));
        Http.Response first = api.post(
                "/api/v1/projects/" + project + "/prompts/xss/versions",
                Http.json(Map.of(
                        "template",
                        "Answer {{question}} " + MARKUP,
                        "variables",
                        List.of("question"),
                        "model",
                        "local/echo",
                        "commitMessage",
                        "Version " + MARKUP)));
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        Http.Response second = api.post(
                "/api/v1/projects/" + project + "/prompts/xss/versions",
                Http.json(Map.of(
                        "template",
                        "Please answer {{question}} " + MARKUP,
                        "variables",
                        List.of("question"),
                        "model",
                        "local/echo")));
        assertThat(second.status()).as(second.body()).isEqualTo(201);
        List<String> records = new ArrayList<>();
        for (int version = 1; version <= 2; version++) {
            Http.Response executed = api.post(
                    "/api/v1/prompt/execute",
                    Http.json(Map.of(
                            "project",
                            project,
                            "prompt",
                            "xss",
                            "version",
                            version,
                            "variables",
                            Map.of("question", "why " + MARKUP))));
            assertThat(executed.status()).as(executed.body()).isEqualTo(200);
            records.add(executed.json().get("recordId").asString());
        }
        Http.Response feedback = api.post(
                "/api/v1/records/" + records.getFirst() + "/feedback",
                Http.json(Map.of("name", "human", "value", 0.5, "reason", "Comment " + MARKUP, "source", "human")));
        assertThat(feedback.status()).as(feedback.body()).isIn(200, 201);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("runId", unique("run"));
        run.put("suite", "suite " + MARKUP);
        run.put("description", "Run " + MARKUP);
        run.put("startedAt", "2026-11-01T10:00:00Z");
        run.put("finishedAt", "2026-11-01T10:00:40Z");
        run.put(
                "cells",
                List.of(Map.of(
                        "test",
                        "test " + MARKUP,
                        "prompt",
                        "p " + MARKUP,
                        "provider",
                        "local/echo",
                        "status",
                        "PASS",
                        "score",
                        1)));
        Http.Response sent = api.post("/api/v1/projects/" + project + "/eval-runs", Http.json(run));
        assertThat(sent.status()).as(sent.body()).isEqualTo(201);
        List<String> dialogs = new ArrayList<>();
        page.onDialog(dialog -> {
            dialogs.add(dialog.message());
            dialog.dismiss();
        });
        signInAsAdmin();
        List<String> pages = List.of(
                "",
                "?range=30d",
                "/records",
                "/records/" + records.getFirst(),
                "/leaderboard?range=30d",
                "/annotations",
                "/compare?prompt=xss&a=1&b=2",
                "/prompts",
                "/prompts/xss",
                "/prompts/xss?from=1&to=2",
                "/runs",
                "/runs/" + run.get("runId"));
        for (String path : pages) {
            // when
            var response = page.navigate(base() + path);
            // then
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(page.locator("#pwned-img, #pwned-script, #pwned-b").count())
                    .as("elements made from user markup on " + path)
                    .isZero();
        }
        // the text itself is shown where it belongs
        page.navigate(base() + "/prompts/xss");
        assertThat(page.locator("main").innerText()).contains("<script id=pwned-script>alert(2)</script>");
        page.navigate(base() + "/records/" + records.getFirst());
        assertThat(page.locator("main").innerText()).contains("Comment <img src=x id=pwned-img");
        // and the PII playground shows pasted markup as text too
        page.navigate(base() + "/pii");
        page.locator("textarea").fill("Mail jane.doe@example.com " + MARKUP);
        page.locator("main form button[type=submit]").first().click();
        page.waitForLoadState();
        assertThat(page.locator("#pwned-img, #pwned-script, #pwned-b").count()).isZero();
        assertThat(page.locator("main").innerText()).contains("<b id=pwned-b>bold</b>");
        assertThat(dialogs).isEmpty();
    }
}
