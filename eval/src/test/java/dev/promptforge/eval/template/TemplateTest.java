package dev.promptforge.eval.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {

    @Test
    void renders_variables_members_and_indexes() {
        // given
        var template = Template.parse("Hi {{ user.name }} ({{items[1]}}, {{ row['the key'] }})");

        // when
        String rendered = template.render(
                Map.of("user", Map.of("name", "Ana"), "items", List.of("a", "b"), "row", Map.of("the key", 7)));

        // then
        assertThat(rendered).isEqualTo("Hi Ana (b, 7)");
        assertThat(template.variables()).containsExactly("user", "items", "row");
    }

    @Test
    void renders_an_undefined_variable_as_empty_text_like_nunjucks() {
        assertThat(Template.parse("[{{ missing }}][{{ missing.deeper }}]").render(Map.of()))
                .isEqualTo("[][]");
    }

    @Test
    void applies_filters_with_arguments_in_order() {
        // given
        var template = Template.parse(
                "{{ name | trim | upper }} {{ none | default('n/a') }} {{ tags | join(', ') }} {{ s | replace('a', 'o') }}");

        // when
        String rendered = template.render(Map.of("name", "  ana ", "tags", List.of("x", "y"), "s", "banana"));

        // then
        assertThat(rendered).isEqualTo("ANA n/a x, y bonono");
    }

    @Test
    void default_with_true_replaces_falsy_values_but_not_by_default() {
        var vars = Map.<String, Object>of("empty", "");
        assertThat(Template.parse("[{{ empty | default('x') }}]").render(vars)).isEqualTo("[]");
        assertThat(Template.parse("[{{ empty | default('x', true) }}]").render(vars))
                .isEqualTo("[x]");
    }

    @Test
    void shows_numbers_as_javascript_does_and_collections_as_json() {
        var template = Template.parse("{{a}} {{b}} {{c}} {{d}} {{e | dump}} {{f}}");
        String rendered = template.render(
                Map.of("a", 1.0, "b", 2.5, "c", 1e-7, "d", 12L, "e", Map.of("k", List.of(1, true)), "f", List.of("x")));
        assertThat(rendered).isEqualTo("1 2.5 1e-7 12 {\"k\":[1,true]} [\"x\"]");
    }

    @Test
    void drops_comments_keeps_raw_blocks_and_honours_whitespace_control() {
        var template = Template.parse("a {# note #}b {% raw %}{{ kept }}{% endraw %}\n  {{- x -}}  \n c");
        assertThat(template.render(Map.of("x", "X"))).isEqualTo("a b {{ kept }}Xc");
    }

    @Test
    void rejects_control_tags_with_their_position() {
        assertThatThrownBy(() -> Template.parse("line one\n  {% if vip %}yes{% endif %}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("'{% if %}' is not supported")
                .hasMessageContaining("line 2, column 3");
    }

    @Test
    void rejects_an_unknown_filter_and_an_unclosed_tag() {
        assertThatThrownBy(() -> Template.parse("{{ x | shout }}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("unknown filter 'shout'");
        assertThatThrownBy(() -> Template.parse("Hello {{ name"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("unclosed '{{'");
    }

    @Test
    void rejects_expressions_beyond_the_supported_subset() {
        assertThatThrownBy(() -> Template.parse("{{ a + b }}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("unexpected '+ b'");
    }

    @Test
    void keeps_closing_braces_inside_string_literals() {
        assertThat(Template.parse("{{ x | default('}}') }}").render(Map.of())).isEqualTo("}}");
    }

    @Test
    void tells_literal_text_from_templates() {
        assertThat(Template.isLiteral("plain text {not a tag}")).isTrue();
        assertThat(Template.isLiteral("{{x}}")).isFalse();
    }
}
