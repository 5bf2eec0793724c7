package dev.promptforge.server.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.promptforge.server.support.Http;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The evaluation runs list, a run's matrix, and the comparison with a baseline run. */
class EvalRunsBrowserTest extends ProjectPagesBrowserTestBase {

    private static Map<String, Object> cell(String test, String provider, String status, double score) {
        return Map.of("test", test, "prompt", "Say {{word}}", "provider", provider, "status", status, "score", score);
    }

    private void send(String runId, String startedAt, List<Map<String, Object>> cells) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runId", runId);
        body.put("suite", "greetings.yaml");
        body.put("description", "Greetings <script>alert(1)</script>");
        body.put("startedAt", startedAt);
        body.put("finishedAt", startedAt.replace(":00Z", ":40Z"));
        body.put("cells", cells);
        Http.Response response = api.post("/api/v1/projects/" + project + "/eval-runs", Http.json(body));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    @Test
    void the_runs_page_lists_runs_and_a_run_shows_its_matrix_and_the_comparison_with_a_baseline() {
        // given: a baseline where "bye" fails on echo, and a newer run where it passes and "hello" fails on judge
        send(
                "baseline-1",
                "2026-11-01T10:00:00Z",
                List.of(
                        cell("hello", "local/echo", "PASS", 1),
                        cell("bye", "local/echo", "FAIL", 0.2),
                        cell("hello", "local/judge", "PASS", 0.9),
                        cell("bye", "local/judge", "PASS", 1)));
        send(
                "candidate-2",
                "2026-11-02T10:00:00Z",
                List.of(
                        cell("hello", "local/echo", "PASS", 1),
                        cell("bye", "local/echo", "PASS", 0.8),
                        cell("hello", "local/judge", "FAIL", 0.3),
                        cell("bye", "local/judge", "PASS", 1)));
        signInAsAdmin();
        // when
        page.navigate(base() + "/runs");
        // then
        assertThat(page.locator("#run-rows tr")).hasCount(2);
        assertThat(page.locator("#run-rows tr").first()).hasAttribute("data-run", "candidate-2");
        assertThat(page.locator("#run-rows tr[data-run=baseline-1] [data-pass-rate]"))
                .hasText("75.0 %");
        assertThat(page.locator("#run-rows")).containsText("<script>alert(1)</script>");
        screenshot(page, "runs");
        // when: a run
        page.getByRole(
                        AriaRole.LINK,
                        new Page.GetByRoleOptions().setName("candidate-2").setExact(true))
                .click();
        // then: its matrix, 2 tests × 2 providers, colored by outcome with scores
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Run candidate-2")))
                .isVisible();
        assertThat(page.locator("table.matrix tbody tr")).hasCount(2);
        assertThat(page.locator("table.matrix td[data-outcome=pass]")).hasCount(3);
        assertThat(page.locator("table.matrix td[data-outcome=fail]")).hasCount(1);
        assertThat(page.locator("table.matrix td[data-outcome=fail]")).containsText("0.30");
        assertThat(page.locator("table.matrix thead")).containsText("local/judge");
        // when: compared with the baseline
        page.getByLabel("Baseline run", new Page.GetByLabelOptions().setExact(true))
                .selectOption("baseline-1");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Compare"))
                .click();
        // then
        assertThat(page.locator("[data-delta]")).hasText("+0.0 points");
        assertThat(page.locator("[data-flips=pass-to-fail] li")).hasCount(1);
        assertThat(page.locator("[data-flips=pass-to-fail]")).containsText("hello");
        assertThat(page.locator("[data-flips=pass-to-fail]")).containsText("local/judge");
        assertThat(page.locator("[data-flips=fail-to-pass] li")).hasCount(1);
        assertThat(page.locator("[data-flips=fail-to-pass]")).containsText("bye");
        screenshot(page, "run");
        // and on a narrow screen the page fits its width (the matrix scrolls inside its frame)
        var narrow = newContext(390, 844);
        Page phone = narrow.newPage();
        watch(phone);
        signIn(phone, "admin", ADMIN_PASSWORD);
        phone.navigate(base() + "/runs/candidate-2?baseline=baseline-1");
        assertThat(phone.locator("table.matrix")).isVisible();
        assertThat((Integer) phone.evaluate("() => document.documentElement.scrollWidth"))
                .isLessThanOrEqualTo(390);
        screenshot(phone, "run-narrow");
        narrow.close();
        // and the records link goes to the records page filtered by the run
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Records of this run"))
                .click();
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/records\\?run=candidate-2"));
        assertThat(page.locator(".filters")).containsText("run candidate-2");
    }

    @Test
    void the_runs_page_explains_how_to_send_a_run_when_there_is_none() {
        // given
        signInAsAdmin();
        // when
        page.navigate(base() + "/runs");
        // then
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("No evaluation runs yet")))
                .isVisible();
        assertThat(page.locator(".empty")).containsText("eval --server");
    }
}
