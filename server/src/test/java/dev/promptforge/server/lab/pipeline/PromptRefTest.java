package dev.promptforge.server.lab.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromptRefTest {

    @Test
    void reads_a_version_a_label_or_a_bare_prompt() {
        assertThat(PromptRef.parse("support-answer@3")).isEqualTo(new PromptRef("support-answer", 3, null));
        assertThat(PromptRef.parse("support-answer@staging"))
                .isEqualTo(new PromptRef("support-answer", null, "staging"));
        assertThat(PromptRef.parse("support-answer")).isEqualTo(new PromptRef("support-answer", null, null));
    }

    @Test
    void refuses_what_cannot_name_a_prompt() {
        assertThat(PromptRef.parse(null)).isNull();
        assertThat(PromptRef.parse("Not A Slug@1")).isNull();
        assertThat(PromptRef.parse("p@0")).isNull();
        assertThat(PromptRef.parse("p@")).isNull();
        assertThat(PromptRef.parse("p@1@2")).isNull();
        assertThat(PromptRef.parse("p@99999999999")).isNull();
        assertThat(PromptRef.parse("x".repeat(300))).isNull();
    }
}
