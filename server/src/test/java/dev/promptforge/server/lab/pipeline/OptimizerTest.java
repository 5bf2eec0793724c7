package dev.promptforge.server.lab.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.registry.PromptMessage;
import dev.promptforge.server.registry.PromptVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The optimizer's rule-based rewrites and the check on a model's rewrite. */
class OptimizerTest {

    private static PromptVersion template(String text, String... variables) {
        return new PromptVersion(
                "id",
                "p",
                1,
                text,
                null,
                "local/echo",
                Map.of(),
                List.of(variables),
                null,
                "sha256:x",
                "me",
                Instant.EPOCH);
    }

    @Test
    void collapses_redundant_whitespace_but_keeps_paragraphs() {
        assertThat(Optimizer.whitespace("  Be brief.   Be kind.  \n\n\n\nQ: {{q}}   \n"))
                .isEqualTo("Be brief. Be kind.\n\nQ: {{q}}");
        assertThat(Optimizer.whitespace("Already tidy.\n\nQ: {{q}}")).isEqualTo("Already tidy.\n\nQ: {{q}}");
    }

    @Test
    void removes_a_repeated_instruction_ignoring_case_and_spacing() {
        assertThat(Optimizer.dedupe("Answer in English. Be brief.\nanswer in  english.\nQ: {{q}}"))
                .isEqualTo("Answer in English. Be brief.\nQ: {{q}}");
        // Short sentences and lines with variables are never taken as repeats.
        assertThat(Optimizer.dedupe("Yes.\nYes.\n{{q}} {{q}}\n{{q}} {{q}}"))
                .isEqualTo("Yes.\nYes.\n{{q}} {{q}}\n{{q}} {{q}}");
    }

    @Test
    void keeps_only_the_first_few_shot_example() {
        String text = "Classify.\n\nExample 1: great -> positive\n\nExample 2: awful -> negative\n\nInput: {{q}}";
        assertThat(Optimizer.pruneExamples(text))
                .isEqualTo("Classify.\n\nExample 1: great -> positive\n\nInput: {{q}}");
        assertThat(Optimizer.pruneExamples("Classify.\n\nExample: one\n\n{{q}}"))
                .isEqualTo("Classify.\n\nExample: one\n\n{{q}}");
    }

    @Test
    void suggests_only_changes_that_change_something() {
        List<Optimizer.Suggestion> none = Optimizer.rewrites(template("Answer in JSON only: {{q}}", "q"), true);
        assertThat(none).isEmpty();
        List<Optimizer.Suggestion> json = Optimizer.rewrites(template("Answer: {{q}}", "q"), true);
        assertThat(json).extracting(Optimizer.Suggestion::kind).containsExactly("tighten-output-format");
    }

    @Test
    void rewrites_the_system_message_and_rejects_a_rewrite_that_changes_the_variables() {
        PromptVersion version = new PromptVersion(
                "id",
                "p",
                1,
                null,
                List.of(
                        new PromptMessage("system", "You are a very helpful assistant who answers {{topic}}."),
                        new PromptMessage("user", "{{q}}")),
                "local/echo",
                Map.of(),
                List.of("topic", "q"),
                null,
                "sha256:x",
                "me",
                Instant.EPOCH);

        Optimizer.Suggestion kept = Optimizer.llmRewrite(version, text -> "```\nAnswer {{topic}}.\n```", 1);
        Optimizer.Suggestion dropped = Optimizer.llmRewrite(version, text -> "Answer.", 2);

        assertThat(kept.rejected()).isNull();
        assertThat(kept.version().messages().get(0).content()).isEqualTo("Answer {{topic}}.");
        assertThat(kept.version().messages().get(1).content()).isEqualTo("{{q}}");
        assertThat(dropped.version()).isNull();
        assertThat(dropped.rejected()).contains("[topic]").contains("[]");
    }
}
