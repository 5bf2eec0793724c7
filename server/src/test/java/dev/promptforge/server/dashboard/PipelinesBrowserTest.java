package dev.promptforge.server.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.promptforge.server.support.Http;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * The Pipelines pages: the pipelines with their runs, and a run's report, which follows a running
 * run live (without a reload) until its stages have finished. The local model answers after 60 ms
 * here, so a run of 16 items, one at a time, is still running when the page opens.
 */
@TestPropertySource(properties = "promptforge.gateway.local.latency=60ms")
class PipelinesBrowserTest extends ProjectPagesBrowserTestBase {

    private String pipeline(int items) {
        String prefix = "/api/v1/projects/" + project;
        assertThat(api.post(prefix + "/prompts", Http.json(Map.of("name", "qa")))
                        .status())
                .isEqualTo(201);
        assertThat(api.post(
                                prefix + "/prompts/qa/versions",
                                Http.json(Map.of(
                                        "template",
                                        "Answer the question. {{question}}",
                                        "model",
                                        "local/echo",
                                        "variables",
                                        List.of("question"))))
                        .status())
                .isEqualTo(201);
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 1; i <= items; i++) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", "q" + i);
            item.put("vars", Map.of("question", "What is word" + i + "? <b id=pwned>x</b>"));
            item.put("expected", "icontains:word" + i);
            list.add(item);
        }
        assertThat(api.post(prefix + "/datasets", Http.json(Map.of("name", "faq", "items", list)))
                        .status())
                .isEqualTo(201);
        Http.Response created = api.post(
                prefix + "/pipelines",
                Http.json(Map.of(
                        "name",
                        "release-gate",
                        "description",
                        "Gate <script>alert(1)</script>",
                        "config",
                        Map.of("dataset", "faq", "concurrency", 1),
                        "stages",
                        List.of(
                                Map.of("type", "validation"),
                                Map.of("type", "performance", "config", Map.of("maxErrorRate", 0.0)),
                                Map.of("type", "quality")))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    @Test
    void a_running_run_is_followed_live_until_its_report_is_complete() {
        // given
        String id = pipeline(16);
        Http.Response started = api.post(
                "/api/integration/testing/pipelines/" + id + "/execute",
                Http.json(Map.of("promptId", "qa@1", "runAsync", true)));
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String runId = started.json().get("id").asString();
        signInAsAdmin();
        // when
        page.navigate(base() + "/pipelines/" + id + "/runs/" + runId);
        // then: it opens while the run is going, and follows it without a reload
        assertThat(page.locator("#run-panel"))
                .hasAttribute("data-status", java.util.regex.Pattern.compile("QUEUED|RUNNING"));
        page.evaluate("() => { window.stillTheSamePage = true; }");
        screenshot(page, "pipeline-run-live");
        assertThat(page.locator("#run-panel"))
                .hasAttribute("data-status", "PASSED", new LocatorAssertions.HasAttributeOptions().setTimeout(30_000));
        assertThat(page.evaluate("() => window.stillTheSamePage === true")).isEqualTo(true);
        assertThat(page.locator("progress#run-progress")).hasAttribute("value", "16");
        assertThat(page.locator("[data-stage=QUALITY] .badge, [data-stage=quality] .badge"))
                .hasText("PASSED");
        assertThat(page.locator("article.stage")).hasCount(3);
        screenshot(page, "pipeline-run");
    }

    @Test
    void lists_pipelines_with_their_runs_and_shows_their_stages() {
        // given
        String id = pipeline(2);
        Http.Response run = api.post(
                "/api/integration/testing/pipelines/" + id + "/execute",
                Http.json(Map.of("promptId", "qa@1", "runAsync", false)));
        assertThat(run.status()).as(run.body()).isEqualTo(200);
        signInAsAdmin();
        // when
        page.navigate(base() + "/pipelines");
        // then
        assertThat(page.getByText("release-gate")).isVisible();
        assertThat(page.locator("main")).containsText("Gate <script>alert(1)</script>");
        assertThat(page.locator("main script")).hasCount(0);
        screenshot(page, "pipelines");
        page.getByText("release-gate").click();
        assertThat(page.locator("ol.stages li")).hasCount(3);
        assertThat(page.locator("main table tbody tr")).hasCount(1);
        screenshot(page, "pipeline");
    }

    @Test
    void an_empty_project_explains_how_to_make_a_pipeline() {
        // given
        signInAsAdmin();
        // when
        page.navigate(base() + "/pipelines");
        // then
        assertThat(page.locator(".empty")).containsText("pipeline run");
    }
}
