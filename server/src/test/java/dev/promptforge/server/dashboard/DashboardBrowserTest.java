package dev.promptforge.server.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sign-in, the overview and the records pages in a real browser. */
class DashboardBrowserTest extends ProjectPagesBrowserTestBase {

    @BeforeEach
    void records() {
        for (int i = 0; i < 3; i++) {
            execute("What does a wire transfer cost? (" + i + ")");
        }
        execute("Where is <b>my</b> card? Ask Jane Doe at jane.doe@example.com");
    }

    @Test
    void sign_in_leads_to_the_dashboard_and_a_wrong_password_is_refused() {
        // when
        page.navigate(url("/projects/" + project));
        // then: not signed in, so the sign-in page
        assertThat(page).hasURL(url("/login"));
        screenshot(page, "login");
        page.getByLabel("Username").fill("admin");
        page.getByLabel("Password").fill("not-the-password");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))
                .click();
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("not right");
        signInAsAdmin();
        assertThat(page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Pages")))
                .isVisible();
    }

    @Test
    void overview_shows_the_records_figures_and_draws_its_charts() {
        // given
        signInAsAdmin();
        // when
        page.navigate(base());
        // then
        assertThat(page.locator("[data-kpi=requests]")).hasText("4");
        assertThat(page.locator("[data-chart=traffic][data-drawn=true] canvas")).isVisible();
        assertThat(page.locator("[data-chart=latency][data-drawn=true] canvas")).isVisible();
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("faq")))
                .isVisible();
        screenshot(page, "overview");
    }

    @Test
    void the_overview_updates_itself_when_a_record_arrives() {
        // given
        signInAsAdmin();
        page.navigate(base());
        assertThat(page.locator("[data-kpi=requests]")).hasText("4");
        page.waitForCondition(() -> (Boolean) page.evaluate("() => !!document.querySelector('[sse-connect]')"));
        page.evaluate("() => { window.stillTheSamePage = true; }");
        // when
        execute("Is card replacement free?");
        // then: the figures and charts are redrawn without a reload
        assertThat(page.locator("[data-kpi=requests]")).hasText("5");
        assertThat(page.locator("[data-chart=traffic][data-drawn=true] canvas")).isVisible();
        assertThat(page.evaluate("() => window.stillTheSamePage === true")).isEqualTo(true);
    }

    @Test
    void a_filter_narrows_the_records_table() {
        // given
        signInAsAdmin();
        page.navigate(base() + "/records");
        assertThat(page.locator("#record-rows tr")).hasCount(4);
        screenshot(page, "records");
        // when
        page.getByLabel("Text").fill("Where is");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Filter"))
                .click();
        // then
        assertThat(page.locator("#record-rows tr")).hasCount(1);
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*q=Where.*"));
    }

    @Test
    void a_record_executed_through_the_api_appears_on_the_open_records_page() {
        // given
        signInAsAdmin();
        page.navigate(base() + "/records");
        assertThat(page.locator("#record-rows tr")).hasCount(4);
        page.waitForCondition(() -> (Boolean) page.evaluate("() => !!document.querySelector('[sse-connect]')"));
        // when
        String id = execute("Is card replacement free?");
        // then: without a reload
        assertThat(page.locator("#record-rows tr[data-record='" + id + "']")).isVisible();
        assertThat(page.locator("#record-rows tr").first()).hasAttribute("data-record", id);
    }

    @Test
    void record_detail_shows_the_anonymized_messages_escaped_with_placeholders_marked() {
        // given
        signInAsAdmin();
        page.navigate(base() + "/records?q=Where");
        // when
        page.locator("#record-rows tr a").first().click();
        // then
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Record")))
                .isVisible();
        assertThat(page.locator(".message .text").first()).containsText("<b>my</b>");
        assertThat(page.locator("mark.pii").first()).isVisible();
        assertThat(page.locator(".message b")).hasCount(0);
        screenshot(page, "record");
    }

    @Test
    void a_project_the_person_cannot_see_is_not_found() {
        // given
        signInAsAdmin();
        // when
        var response = page.navigate(url("/projects/no-such-project-here"));
        // then
        assertThat(response.status()).isEqualTo(404);
        assertThat(page.getByRole(AriaRole.HEADING)).containsText("Not found");
        // The browser reports the page's own 404 status in its console; that one is expected here.
        consoleErrors.removeIf(error -> error.contains("status of 404"));
    }
}
