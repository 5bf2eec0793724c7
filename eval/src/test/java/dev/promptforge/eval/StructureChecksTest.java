package dev.promptforge.eval;

import static dev.promptforge.eval.Grading.grade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StructureChecksTest {

    private static final Map<String, Object> POINT_SCHEMA = Map.of(
            "type", "object",
            "required", List.of("latitude", "longitude"),
            "properties", Map.of("latitude", Map.of("type", "number", "minimum", -90, "maximum", 90)));

    @Test
    void is_json_accepts_any_json_text_and_rejects_trailing_text() {
        assertThat(grade("is-json", null, "{\"a\": 1}").pass()).isTrue();
        assertThat(grade("is-json", null, " [1, 2] ").pass()).isTrue();
        assertThat(grade("is-json", null, "42").pass()).isTrue();
        assertThat(grade("is-json", null, "{\"a\": 1} thanks").pass()).isFalse();
        assertThat(grade("is-json", null, "").reason()).isEqualTo("Output is not valid JSON");
    }

    @Test
    void is_json_validates_against_a_schema_and_says_what_is_wrong() {
        assertThat(grade("is-json", POINT_SCHEMA, "{\"latitude\": 48.8, \"longitude\": 2.3}")
                        .pass())
                .isTrue();
        var result = grade("is-json", POINT_SCHEMA, "{\"latitude\": 120}");
        assertThat(result.pass()).isFalse();
        assertThat(result.reason())
                .startsWith("Output is JSON but does not conform to the schema")
                .contains("/latitude: must have a maximum value of 90")
                .contains("(root): required property 'longitude' not found");
    }

    @Test
    void a_schema_may_be_written_as_yaml_text() {
        assertThat(grade("is-json", "type: array\nitems: {type: string}", "[\"a\"]")
                        .pass())
                .isTrue();
        assertThat(grade("is-json", "type: array\nitems: {type: string}", "[1]").pass())
                .isFalse();
    }

    @Test
    void an_invalid_schema_is_rejected_at_compile_time() {
        assertThatThrownBy(() -> grade("is-json", 7L, "{}"))
                .isInstanceOf(InvalidAssertionException.class)
                .hasMessageContaining("is-json: value must be a JSON schema");
    }

    @Test
    void not_is_json_passes_on_prose() {
        assertThat(grade("not-is-json", null, "just words").pass()).isTrue();
        assertThat(grade("not-is-json", null, "{}").pass()).isFalse();
    }

    @Test
    void contains_json_finds_an_object_inside_text() {
        assertThat(grade("contains-json", null, "Sure: {\"a\": {\"b\": \"}\"}} done")
                        .pass())
                .isTrue();
        assertThat(grade("contains-json", null, "no braces here").reason()).isEqualTo("Output contains no JSON object");
        assertThat(grade("contains-json", null, "broken {\"a\": } text").pass()).isFalse();
    }

    @Test
    void contains_json_passes_when_any_embedded_object_conforms() {
        String output = "first {\"latitude\": 500} then {\"latitude\": 1, \"longitude\": 2}";
        assertThat(grade("contains-json", POINT_SCHEMA, output).pass()).isTrue();
        assertThat(grade("contains-json", POINT_SCHEMA, "only {\"latitude\": 500}")
                        .pass())
                .isFalse();
    }

    @Test
    void is_xml_requires_the_whole_output_to_be_one_document() {
        assertThat(grade("is-xml", null, "<root><child>x</child></root>").pass())
                .isTrue();
        assertThat(grade("is-xml", null, "<root><child>x</child></root").pass()).isFalse();
        assertThat(grade("is-xml", null, "text <root/>").pass()).isFalse();
    }

    @Test
    void is_xml_checks_required_element_paths() {
        var required = Map.of("requiredElements", List.of("analysis.classification", "analysis.color"));
        assertThat(grade("is-xml", required, "<analysis><classification>T</classification><color>R</color></analysis>")
                        .pass())
                .isTrue();
        var result = grade("is-xml", required, "<analysis><classification>T</classification></analysis>");
        assertThat(result.pass()).isFalse();
        assertThat(result.reason()).contains("[analysis.color]");
    }

    @Test
    void is_xml_refuses_document_type_declarations() {
        String withEntity = "<!DOCTYPE r [<!ENTITY e \"boom\">]><r>&e;</r>";
        assertThat(grade("is-xml", null, withEntity).pass()).isFalse();
    }

    @Test
    void contains_xml_finds_a_fragment_inside_text() {
        String output = "Sure, here is your xml:\n<root><child>Content</child></root>\nanything else?";
        assertThat(grade("contains-xml", Map.of("requiredElements", List.of("root.child")), output)
                        .pass())
                .isTrue();
        assertThat(grade("contains-xml", null, "a < b and c > d").pass()).isFalse();
        assertThat(grade("not-contains-xml", null, "plain").pass()).isTrue();
    }
}
