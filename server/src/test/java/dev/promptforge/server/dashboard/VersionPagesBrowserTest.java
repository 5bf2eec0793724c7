package dev.promptforge.server.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.promptforge.server.support.BrowserTestBase;
import dev.promptforge.server.support.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The leaderboard, compare and prompts pages in a real browser. */
class VersionPagesBrowserTest extends BrowserTestBase {

    private static final String CONTEXT = "Wire transfers cost 5 dollars. Card replacement is free.";

    private String project;

    @BeforeEach
    void projectWithTwoVersions() {
        project = unique("board");
        api.post("/api/v1/projects", Http.json(Map.of("name", project)));
        api.post(
                "/api/v1/projects/" + project + "/prompts",
                Http.json(Map.of("name", "faq", "description", "Answers bank questions", "tags", List.of("support"))));
        version("faq", "Context: {{context}}\nQuestion: {{question}}", "first cut");
        version("faq", "You answer bank questions.\nContext: {{context}}\nQuestion: {{question}}\nBe brief.", "brief");
        api.put("/api/v1/projects/" + project + "/prompts/faq/labels/production", "{\"version\": 1}");
        api.put("/api/v1/projects/" + project + "/prompts/faq/labels/production", "{\"version\": 2}");
        for (int i = 0; i < 12; i++) {
            String question = "What does a wire transfer cost? (" + i + ")";
            // v1 scores lower than v2 on every input, so the deltas and the sort order are known
            feedback(execute(1, question), "auto", 0.3 + i * 0.01);
            feedback(execute(2, question), "auto", 0.8 + i * 0.01);
        }
        feedback(execute(2, "Is card replacement free?"), "human", 1.0);
    }

    private void version(String prompt, String template, String message) {
        Http.Response response = api.post(
                "/api/v1/projects/" + project + "/prompts/" + prompt + "/versions",
                Http.json(Map.of(
                        "template",
                        template,
                        "variables",
                        List.of("context", "question"),
                        "model",
                        "local/extractive",
                        "commitMessage",
                        message)));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    private String execute(int version, String question) {
        Http.Response response = api.post(
                "/api/v1/prompt/execute",
                Http.json(Map.of(
                        "project",
                        project,
                        "prompt",
                        "faq",
                        "version",
                        version,
                        "variables",
                        Map.of("context", CONTEXT, "question", question))));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("recordId").asString();
    }

    private void feedback(String recordId, String source, double value) {
        Http.Response response = api.post(
                "/api/v1/records/" + recordId + "/feedback",
                Http.json(Map.of("name", "relevance", "value", value, "source", source)));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    private String base() {
        return url("/projects/" + project);
    }

    private List<String> rowLabels() {
        return page.locator("#leaderboard-rows tr").all().stream()
                .map(row -> row.getAttribute("data-row"))
                .toList();
    }

    @Test
    void leaderboard_ranks_the_versions_with_their_scores_and_draws_its_chart() {
        // given
        signInAsAdmin();
        // when
        page.navigate(base() + "/leaderboard");
        // then
        assertThat(page.locator("#leaderboard-rows tr")).hasCount(2);
        assertThat(page.locator("[data-chart=option][data-drawn=true] canvas")).isVisible();
        assertThat(page.locator("th.group").first()).containsText("Automatic scores");
        assertThat(page.locator("th.group.human")).containsText("Human scores");
        assertThat(page.locator("th[aria-sort=descending]")).containsText("Records");
        assertThat(page.locator("#leaderboard-rows tr")
                        .first()
                        .getByRole(
                                AriaRole.LINK,
                                new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Compare")))
                .hasAttribute("href", "/projects/" + project + "/compare?prompt=faq&a=1&b=2");
        screenshot(page, "leaderboard");
    }

    @Test
    void sorting_by_a_column_changes_the_order() {
        // given
        signInAsAdmin();
        page.navigate(base() + "/leaderboard");
        // when: mean score, best first
        page.locator("th a[data-sort=mean]").click();
        // then
        assertThat(page.locator("th[aria-sort=descending] a[data-sort=mean]")).isVisible();
        assertThat(rowLabels()).containsExactly("faq v2 · local/extractive", "faq v1 · local/extractive");
        // when: again, worst first
        page.locator("th a[data-sort=mean]").click();
        // then
        assertThat(page.locator("th[aria-sort=ascending] a[data-sort=mean]")).isVisible();
        assertThat(rowLabels()).containsExactly("faq v1 · local/extractive", "faq v2 · local/extractive");
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*sort=mean&dir=asc.*"));
    }

    @Test
    void leaderboard_is_usable_on_a_narrow_screen_and_empty_ranges_say_what_to_do() {
        // given
        BrowserContext narrow = newContext(390, 844);
        Page phone = narrow.newPage();
        watch(phone);
        signIn(phone, "admin", ADMIN_PASSWORD);
        // when
        phone.navigate(base() + "/leaderboard");
        // then
        assertThat(phone.locator("[data-chart=option][data-drawn=true] canvas")).isVisible();
        assertThat(phone.locator("#leaderboard-rows tr")).hasCount(2);
        screenshot(phone, "leaderboard-narrow");
        // when: a range without records
        phone.navigate(base() + "/leaderboard?range=custom&from=2020-01-01&to=2020-01-02");
        // then
        assertThat(phone.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("No records in this range")))
                .isVisible();
        narrow.close();
    }

    @Test
    void an_unknown_sort_column_is_a_clear_error_page() {
        // given
        signInAsAdmin();
        // when: fetched with the page's session, so the browser logs no failed load
        com.microsoft.playwright.APIResponse response = page.request().get(base() + "/leaderboard?sort=nope");
        // then
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text()).contains("no column &#39;nope&#39;").doesNotContain("Exception");
    }

    @Test
    void prompts_page_lists_the_prompts_and_a_prompt_shows_its_versions_label_history_and_diff() {
        // given
        signInAsAdmin();
        // when
        page.navigate(base() + "/prompts");
        // then
        assertThat(page.locator("#prompts tbody tr")).hasCount(1);
        assertThat(page.locator("#prompts tbody tr").first()).containsText("production → v2");
        assertThat(page.locator("#prompts tbody tr").first()).containsText("support");
        screenshot(page, "prompts");
        // when
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("faq").setExact(true))
                .click();
        // then: the label's two moves, newest first
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("faq")))
                .isVisible();
        assertThat(page.locator("table[data-label=production] tbody tr")).hasCount(2);
        assertThat(page.locator("table[data-label=production] tbody tr").nth(0)).containsText("v1");
        assertThat(page.locator("table[data-label=production] tbody tr").nth(1)).containsText("created");
        assertThat(page.locator("details.version")).hasCount(2);
        assertThat(page.locator("details.version[data-version='2'] .template")).containsText("Be brief.");
        assertThat(page.locator(".diff .line.added").first()).containsText("You answer bank questions.");
        screenshot(page, "prompt");
        // when: the diff the other way round
        page.getByLabel("From version").selectOption("2");
        page.getByLabel("To version").selectOption("1");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Show diff"))
                .click();
        // then
        assertThat(page.locator(".diff .line.removed").first()).containsText("You answer bank questions.");
    }

    @Test
    void compare_shows_the_diff_the_deltas_with_intervals_and_answers_on_the_same_inputs() {
        // given
        signInAsAdmin();
        // when
        page.navigate(base() + "/compare?prompt=faq&a=1&b=2");
        // then: the template diff
        assertThat(page.locator(".diff .line.added").first()).containsText("You answer bank questions.");
        // then: v2 scores 0.5 higher on every input, a difference whose interval excludes 0
        var relevance = page.locator("#deltas tr[data-metric='Mean auto · relevance']");
        assertThat(relevance.locator("td.delta")).hasText("+0.500");
        assertThat(relevance.locator("td.delta")).hasClass(java.util.regex.Pattern.compile(".*better.*"));
        assertThat(relevance.locator("td").nth(3)).containsText("[+0.");
        assertThat(page.locator("#deltas tr[data-metric='Records'] td").nth(1)).hasText("13");
        assertThat(page.locator("#deltas tr[data-metric='p95 latency (ms)']")).isVisible();
        // then: the twelve questions both versions answered, paired by their variables
        assertThat(page.locator(".pair")).hasCount(12);
        assertThat(page.locator(".pair").first()).containsText("question");
        screenshot(page, "compare");
    }

    @Test
    void compare_picks_versions_with_the_form_and_explains_when_no_input_is_shared() {
        // given: a third version that never ran
        version("faq", "Q: {{question}} C: {{context}}", "terse");
        signInAsAdmin();
        page.navigate(base() + "/compare");
        // when
        page.getByLabel("Version A (baseline)").selectOption("2");
        page.getByLabel("Version B (candidate)").selectOption("3");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Compare"))
                .click();
        // then
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*a=2&b=3.*"));
        assertThat(page.locator("#pairs-heading + .empty")).containsText("promptforge eval");
        assertThat(page.locator("#deltas tr[data-metric='Records'] td").nth(1)).hasText("0");
    }

    @Test
    void prompt_text_with_markup_is_shown_as_text_on_every_page() {
        // given
        String evil = "<script>alert(1)</script> <img src=x onerror=alert(1)>";
        page.onDialog(dialog -> {
            consoleErrors.add("a dialog opened: " + dialog.message());
            dialog.dismiss();
        });
        api.post(
                "/api/v1/projects/" + project + "/prompts",
                Http.json(Map.of("name", "evil", "description", evil, "tags", List.of("x"))));
        Http.Response first = api.post(
                "/api/v1/projects/" + project + "/prompts/evil/versions",
                Http.json(Map.of("template", "Hello " + evil, "model", "local/echo", "commitMessage", evil)));
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        api.post(
                "/api/v1/projects/" + project + "/prompts/evil/versions",
                Http.json(Map.of("template", "Bye " + evil, "model", "local/echo")));
        signInAsAdmin();
        // when
        page.navigate(base() + "/prompts");
        // then
        assertThat(page.locator("#prompts")).containsText(evil);
        assertThat(page.locator("main script, main img")).hasCount(0);
        // when
        page.navigate(base() + "/prompts/evil");
        // then
        assertThat(page.locator("#prompt-description")).hasText(evil);
        assertThat(page.locator("details.version[data-version='2'] .template")).hasText("Bye " + evil);
        assertThat(page.locator(".diff .line.removed")).containsText("Hello " + evil);
        assertThat(page.locator("main script, main img")).hasCount(0);
        // when
        page.navigate(base() + "/compare?prompt=evil&a=1&b=2");
        // then
        assertThat(page.locator(".diff .line.added")).hasText("Bye " + evil);
        assertThat(page.locator("main script, main img")).hasCount(0);
    }
}
