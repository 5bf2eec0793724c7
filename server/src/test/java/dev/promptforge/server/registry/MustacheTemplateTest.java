package dev.promptforge.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MustacheTemplateTest {

    @Test
    void renders_variables_unescaped_with_optional_spaces() {
        var template = MustacheTemplate.parse("Hi {{ name }} <{{{tag}}}> {{&amp}}");
        assertThat(template.render(Map.of("name", "Ana & Co", "tag", "b", "amp", "&")))
                .isEqualTo("Hi Ana & Co <b> &");
    }

    @Test
    void lists_required_variables_outside_sections_and_section_names() {
        var template = MustacheTemplate.parse("{{a}} {{#items}}{{field}}{{/items}} {{b.c}} {{^empty}}x{{/empty}}");
        assertThat(template.requiredVariables()).containsExactly("a", "items", "b", "empty");
    }

    @Test
    void iterates_lists_of_maps_and_scalars_and_drops_standalone_tag_lines() {
        var template = MustacheTemplate.parse("Accounts:\n{{#accounts}}\n- {{name}}: {{balance}}\n{{/accounts}}\nEnd");
        var rendered = template.render(Map.of(
                "accounts",
                List.of(Map.of("name", "checking", "balance", 10.0), Map.of("name", "savings", "balance", 2.5))));
        assertThat(rendered).isEqualTo("Accounts:\n- checking: 10\n- savings: 2.5\nEnd");
    }

    @Test
    void inverted_sections_render_for_false_empty_and_null() {
        var template = MustacheTemplate.parse("{{^vip}}standard{{/vip}}");
        assertThat(template.render(Map.of("vip", false))).isEqualTo("standard");
        assertThat(template.render(Map.of("vip", List.of()))).isEqualTo("standard");
        assertThat(template.render(Map.of("vip", true))).isEmpty();
    }

    @Test
    void resolves_dotted_names_and_outer_context_inside_sections() {
        var template = MustacheTemplate.parse("{{#user}}{{name}} at {{bank.name}}{{/user}}");
        var rendered = template.render(Map.of("user", Map.of("name", "Ana"), "bank", Map.of("name", "Acme")));
        assertThat(rendered).isEqualTo("Ana at Acme");
    }

    @Test
    void names_a_missing_variable() {
        var template = MustacheTemplate.parse("{{a}} {{b}}");
        assertThatThrownBy(() -> template.render(Map.of("a", 1)))
                .isInstanceOf(TemplateException.class)
                .hasMessage("missing variable 'b'");
    }

    @Test
    void names_a_missing_field_inside_a_section_with_its_line() {
        var template = MustacheTemplate.parse("x\n{{#items}}{{price}}{{/items}}");
        assertThatThrownBy(() -> template.render(Map.of("items", List.of(Map.of("name", "a")))))
                .hasMessage("missing variable 'price' (line 2)");
    }

    @Test
    void reports_syntax_errors_with_line_and_column() {
        assertThatThrownBy(() -> MustacheTemplate.parse("ok\n  {{name"))
                .hasMessage("unclosed tag '{{' (line 2, column 3)");
        assertThatThrownBy(() -> MustacheTemplate.parse("{{#a}}x{{/b}}"))
                .hasMessageContaining("'{{/b}}' closes section 'a'");
        assertThatThrownBy(() -> MustacheTemplate.parse("{{> partial}}")).hasMessageContaining("partials");
        assertThatThrownBy(() -> MustacheTemplate.parse("{{bad name}}")).hasMessageContaining("not a variable name");
        assertThatThrownBy(() -> MustacheTemplate.parse("{{/a}}")).hasMessageContaining("never opened");
    }

    @Test
    void ignores_comments_and_keeps_text_without_tags() {
        assertThat(MustacheTemplate.parse("{{! note }}plain { text }").render(Map.of()))
                .isEqualTo("plain { text }");
    }
}
