package dev.promptforge.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.registry.PromptMessage;
import dev.promptforge.server.registry.PromptVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class TemplateInputsTest {

    private static PromptVersion version(@Nullable String template, @Nullable List<PromptMessage> messages) {
        return new PromptVersion(
                "p",
                "faq",
                1,
                template,
                messages,
                "local/echo",
                Map.of(),
                List.of(),
                null,
                "h",
                "admin",
                Instant.EPOCH);
    }

    private static List<Map<String, String>> input(String... roleAndContent) {
        List<Map<String, String>> messages = new java.util.ArrayList<>();
        for (int i = 0; i < roleAndContent.length; i += 2) {
            messages.add(Map.of("role", roleAndContent[i], "content", roleAndContent[i + 1]));
        }
        return messages;
    }

    @Test
    void reads_the_variables_back_from_a_rendered_template() {
        // given
        TemplateInputs inputs = TemplateInputs.of(version("Context: {{context}}\nQuestion: {{{ question }}}!", null));
        // when
        Map<String, String> variables =
                inputs.variables(input("user", "Context: Fees are <low>.\nQuestion: What\ndoes it cost?!"));
        // then
        assertThat(variables)
                .containsExactly(Map.entry("context", "Fees are <low>."), Map.entry("question", "What\ndoes it cost?"));
    }

    @Test
    void two_templates_rendered_with_the_same_variables_give_the_same_variables() {
        // given
        TemplateInputs first = TemplateInputs.of(version("Q: {{q}}", null));
        TemplateInputs second = TemplateInputs.of(version(
                null,
                List.of(new PromptMessage("system", "Be brief."), new PromptMessage("user", "Answer {{q}} now"))));
        // when / then
        assertThat(first.variables(input("user", "Q: why?")))
                .isEqualTo(second.variables(input("system", "Be brief.", "user", "Answer why? now")));
    }

    @Test
    void an_input_the_template_does_not_match_and_a_template_with_sections_give_nothing() {
        // given
        TemplateInputs inputs = TemplateInputs.of(version("Q: {{q}} and {{q}}", null));
        // when / then
        assertThat(inputs.variables(input("user", "Something else"))).isNull();
        assertThat(inputs.variables(input("user", "Q: a and b"))).isNull();
        assertThat(inputs.variables(input("system", "Q: a and a"))).isNull();
        assertThat(inputs.variables("not messages")).isNull();
        assertThat(TemplateInputs.of(version("{{#items}}{{.}}{{/items}}", null)))
                .isNull();
    }
}
