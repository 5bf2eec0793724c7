package dev.promptforge.server.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import dev.promptforge.server.support.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A person's annotation of a record, the annotation queue, and a VIEWER who may not annotate. */
class AnnotationBrowserTest extends ProjectPagesBrowserTestBase {

    @Test
    void an_annotation_persists_after_reload_and_the_record_leaves_the_queue() {
        // given
        String first = execute("What does a wire transfer cost?");
        String second = execute("Is card replacement free?");
        String third = execute("Is card replacement free? (again)");
        // the oldest record has the lowest automatic score, the newest a high one
        api.post(
                "/api/v1/records/" + first + "/feedback",
                Http.json(Map.of("name", "relevance", "value", 0.2, "source", "auto")));
        api.post(
                "/api/v1/records/" + third + "/feedback",
                Http.json(Map.of("name", "relevance", "value", 0.9, "source", "judge")));
        signInAsAdmin();
        page.navigate(base() + "/annotations");
        // then: lowest automatic score first, records without one last
        assertThat(page.locator("#queue-rows tr")).hasCount(3);
        assertThat(page.locator("#queue-rows tr").nth(0)).hasAttribute("data-record", first);
        assertThat(page.locator("#queue-rows tr").nth(1)).hasAttribute("data-record", third);
        assertThat(page.locator("#queue-rows tr").nth(2)).hasAttribute("data-record", second);
        assertThat(page.locator("#queue-rows tr").nth(0)).containsText("0.20");
        assertThat(page.locator("[data-pending]")).hasText("3 records to review");
        screenshot(page, "annotations");
        // when
        page.locator("#queue-rows tr[data-record='" + second + "'] a").click();
        page.getByLabel("Comment (optional)").fill("Right answer, <i>well</i> put");
        screenshot(page, "record-annotate");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Thumbs up"))
                .click();
        // then: back on the queue, without the record
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/annotations.*"));
        assertThat(page.locator("#queue-rows tr")).hasCount(2);
        assertThat(page.locator("#queue-rows tr[data-record='" + second + "']")).hasCount(0);
        // and the record's feedback shows it after a reload
        page.navigate(base() + "/records/" + second);
        page.reload();
        var human = page.locator("#feedback tbody tr")
                .filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText("Right answer"));
        assertThat(human).hasCount(1);
        assertThat(human).containsText("1.00");
        assertThat(human).containsText("admin");
        assertThat(human.locator(".badge.human")).hasText("human");
        assertThat(human).containsText("<i>well</i>");
    }

    @Test
    void a_score_is_stored_and_a_score_out_of_range_is_refused() {
        // given
        String id = execute("What does a wire transfer cost?");
        signInAsAdmin();
        page.navigate(base() + "/records/" + id);
        // when
        page.getByLabel("Score (0 to 1)").fill("0.35");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save score"))
                .click();
        // then
        assertThat(page.locator("#annotate [role=status]")).containsText("Saved");
        assertThat(page.locator("#feedback tbody tr")
                        .filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText("human")))
                .containsText("0.35");
        // when: a score the form does not allow, posted around it
        String csrf = page.locator("form.annotate input[name=_csrf]").inputValue();
        APIResponse response = page.request()
                .post(
                        base() + "/records/" + id + "/annotations",
                        RequestOptions.create()
                                .setForm(FormData.create()
                                        .set("_csrf", csrf)
                                        .set("verdict", "score")
                                        .set("score", "7")));
        // then
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text()).contains("from 0 to 1");
    }

    @Test
    void a_viewer_sees_no_annotation_form_and_cannot_post_one() {
        // given
        String id = execute("What does a wire transfer cost?");
        String viewer = member("VIEWER");
        signIn(page, viewer, "a-long-password");
        // when
        page.navigate(base() + "/records/" + id);
        // then
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Record")))
                .isVisible();
        assertThat(page.locator("form.annotate")).hasCount(0);
        // when: a post with a valid CSRF token (the sign-out form's) anyway
        String csrf = page.locator(".usermenu input[name=_csrf]").inputValue();
        APIResponse response = page.request()
                .post(
                        base() + "/records/" + id + "/annotations",
                        RequestOptions.create()
                                .setForm(FormData.create().set("_csrf", csrf).set("verdict", "up")));
        // then
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.text()).contains("VIEWER");
        assertThat(api.get("/api/v1/records/" + id).json().get("feedback").findValuesAsString("source"))
                .doesNotContain("human");
    }
}
