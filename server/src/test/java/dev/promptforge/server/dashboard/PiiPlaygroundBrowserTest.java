package dev.promptforge.server.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.Test;

/** The PII playground: entities highlighted with type and score, the anonymized text, escaping, size limit. */
class PiiPlaygroundBrowserTest extends ProjectPagesBrowserTestBase {

    @Test
    void a_known_texts_entities_are_highlighted_and_the_anonymized_text_has_placeholders() {
        // given
        signInAsAdmin();
        page.navigate(base() + "/pii");
        // when
        page.getByLabel("Text (at most")
                .fill("Hi, I am Jane Doe. <b>Write</b> to jane.doe@example.com or call +1 415 555 0100 today.");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Check"))
                .click();
        // then
        var found = page.locator("[data-found]");
        assertThat(found.locator("mark[data-type=EMAIL_ADDRESS]")).containsText("jane.doe@example.com");
        assertThat(found.locator("mark[data-type=PHONE_NUMBER]")).containsText("415 555 0100");
        assertThat(found.locator("mark[data-type=PERSON]")).containsText("Jane Doe");
        assertThat(found.locator("mark[data-type=EMAIL_ADDRESS] .entity-type")).containsText("EMAIL_ADDRESS");
        assertThat(page.locator("table.entities")).containsText("PERSON");
        var anonymized = page.locator("[data-anonymized]");
        assertThat(anonymized).not().containsText("jane.doe@example.com");
        assertThat(anonymized).not().containsText("Jane Doe");
        assertThat(anonymized.locator("mark.pii").first()).isVisible();
        assertThat(anonymized).containsText("<EMAIL_ADDRESS_1>");
        // HTML in the input is shown as text, never rendered
        assertThat(found).containsText("<b>Write</b>");
        assertThat(page.locator("main b")).hasCount(0);
        assertThat(page.getByLabel("Text (at most")).hasValue(java.util.regex.Pattern.compile(".*Jane Doe.*"));
        screenshot(page, "pii");
    }

    @Test
    void a_text_over_the_limit_gets_a_clear_message() {
        // given
        signInAsAdmin();
        page.navigate(base() + "/pii");
        String csrf = page.locator("form.pii-form input[name=_csrf]").inputValue();
        // when: posted around the text area's maxlength
        var response = page.request()
                .post(
                        base() + "/pii",
                        com.microsoft.playwright.options.RequestOptions.create()
                                .setForm(com.microsoft.playwright.options.FormData.create()
                                        .set("_csrf", csrf)
                                        .set("text", "a".repeat(20_001))));
        // then
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).contains("The text has 20001 characters; the playground takes at most 20000");
    }
}
