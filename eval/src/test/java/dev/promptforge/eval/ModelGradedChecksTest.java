package dev.promptforge.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ModelGradedChecksTest {

    private static GradingResult grade(Judge judge, Assertion assertion, String output, Map<String, Object> vars) {
        return Evaluators.builder()
                .judge(judge)
                .build()
                .compile(assertion)
                .grade(new AssertionContext(ProviderResponse.of(output), "What does a wire cost?", vars, 1.0, false));
    }

    private static Assertion assertion(String type, @Nullable Object value, @Nullable Double threshold) {
        return new Assertion(type, value, threshold, null, null, null, List.of(), "suite.yaml:9:7");
    }

    @Test
    void without_a_judge_every_model_graded_type_is_rejected_at_compile_time() {
        for (String type : List.of(
                "llm-rubric",
                "g-eval",
                "factuality",
                "model-graded-closedqa",
                "answer-relevance",
                "context-faithfulness",
                "context-relevance",
                "context-recall",
                "moderation",
                "similar",
                "not-llm-rubric")) {
            assertThatThrownBy(() -> Evaluators.deterministic().compile(Assertion.of(type, "x")))
                    .as(type)
                    .isInstanceOf(InvalidAssertionException.class)
                    .hasMessageContaining("is model-graded and needs a judge")
                    .hasMessageContaining("never passes silently");
        }
    }

    @Test
    void llm_rubric_asks_the_judge_with_the_output_and_rubric_and_uses_its_verdict() {
        // given
        var judge = ScriptedJudge.answering(
                "Here you go: {\"reason\": \"Polite and precise.\", \"pass\": true, \"score\": 0.9}");

        // when
        var result = grade(
                judge,
                Assertion.of("llm-rubric", "Is polite to {{ name }}"),
                "Hello Ana, it costs $5.",
                Map.of("name", "Ana"));

        // then
        assertThat(result.pass()).isTrue();
        assertThat(result.score()).isEqualTo(0.9);
        assertThat(result.reason()).isEqualTo("Judge scripted: Polite and precise.");
        String asked = judge.chats.get(0).get(1).content();
        assertThat(asked).contains("Hello Ana, it costs $5.").contains("Is polite to Ana");
    }

    @Test
    void llm_rubric_with_a_threshold_passes_on_the_score_and_negates() {
        var answer = "{\"reason\": \"Mostly.\", \"pass\": true, \"score\": 0.6}";
        assertThat(grade(ScriptedJudge.answering(answer), assertion("llm-rubric", "r", 0.8), "x", Map.of())
                        .pass())
                .isFalse();
        var negated = grade(ScriptedJudge.answering(answer), Assertion.of("not-llm-rubric", "r"), "x", Map.of());
        assertThat(negated.pass()).isFalse();
        assertThat(negated.score()).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void an_unreadable_judge_answer_is_an_evaluation_error_even_when_negated() {
        assertThatThrownBy(() -> grade(
                        ScriptedJudge.answering("I think it is fine"),
                        Assertion.of("not-llm-rubric", "r"),
                        "x",
                        Map.of()))
                .isInstanceOf(EvaluationException.class)
                .hasMessageContaining("did not answer with JSON");
    }

    @Test
    void g_eval_generates_steps_then_scores_out_of_ten() {
        var judge = ScriptedJudge.answering(
                "{\"steps\": [\"Check the amount\", \"Check the tone\"]}",
                "{\"score\": 8, \"reason\": \"Right amount, slightly curt.\"}");
        var result = grade(judge, Assertion.of("g-eval", "Answers with the exact fee"), "5 dollars", Map.of());
        assertThat(result.score()).isCloseTo(0.8, within(1e-12));
        assertThat(result.pass()).isTrue();
        assertThat(judge.chats.get(1).get(1).content())
                .contains("- Check the amount\n- Check the tone")
                .contains("What does a wire cost?");
    }

    @Test
    void factuality_passes_unless_the_answer_disagrees_and_reads_the_legacy_format() {
        var consistent = grade(
                ScriptedJudge.answering("{\"category\": \"B\", \"reason\": \"Adds the arrival time.\"}"),
                Assertion.of("factuality", "5 dollars"),
                "5 dollars, arrives in a day",
                Map.of());
        assertThat(consistent.pass()).isTrue();
        assertThat(consistent.reason()).contains("Category B").contains("Adds the arrival time.");
        var disagreeing = grade(
                ScriptedJudge.answering("(D) The submission says 9 euros."),
                Assertion.of("model-graded-factuality", "5 dollars"),
                "9 euros",
                Map.of());
        assertThat(disagreeing.pass()).isFalse();
        assertThat(disagreeing.reason()).contains("disagrees");
        assertThatThrownBy(() -> grade(
                        ScriptedJudge.answering("{\"category\": \"Z\"}"),
                        Assertion.of("factuality", "5"),
                        "5",
                        Map.of()))
                .isInstanceOf(EvaluationException.class)
                .hasMessageContaining("not A-E");
    }

    @Test
    void closed_qa_reads_the_final_y_or_n() {
        assertThat(grade(
                                ScriptedJudge.answering("It names the fee.\nY"),
                                Assertion.of("model-graded-closedqa", "names the fee"),
                                "5 dollars",
                                Map.of())
                        .pass())
                .isTrue();
        assertThat(grade(
                                ScriptedJudge.answering("No fee given.\nN"),
                                Assertion.of("model-graded-closedqa", "names the fee"),
                                "hi",
                                Map.of())
                        .pass())
                .isFalse();
        assertThatThrownBy(() -> grade(
                        ScriptedJudge.answering("Maybe"), Assertion.of("model-graded-closedqa", "c"), "hi", Map.of()))
                .isInstanceOf(EvaluationException.class);
    }

    @Test
    void answer_relevance_averages_the_similarity_of_generated_questions_to_the_query() {
        // given: two of the three generated questions match the query exactly, one is orthogonal
        var embeddings = Map.of(
                "How much is a wire?", new double[] {1, 0},
                "What does a wire cost?", new double[] {1, 0},
                "Where is the branch?", new double[] {0, 1});
        var judge = new ScriptedJudge(embeddings, Set.of())
                .then("What does a wire cost?", "What does a wire cost?", "Where is the branch?");

        // when
        var result = grade(
                judge, assertion("answer-relevance", null, 0.6), "5 dollars", Map.of("query", "How much is a wire?"));

        // then
        assertThat(result.score()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(result.pass()).isTrue();
    }

    @Test
    void similarity_types_need_a_judge_with_embeddings() {
        assertThatThrownBy(() -> Evaluators.builder()
                        .judge(ScriptedJudge.answering())
                        .build()
                        .compile(Assertion.of("similar", "x")))
                .isInstanceOf(InvalidAssertionException.class)
                .hasMessageContaining("has none");
    }

    @Test
    void similar_takes_the_best_cosine_over_the_expected_values() {
        var embeddings = Map.of(
                "Five dollars.", new double[] {1, 1},
                "It costs 5 dollars", new double[] {1, 0.9},
                "No idea", new double[] {-1, 0});
        var judge = new ScriptedJudge(embeddings, Set.of());
        var result = grade(
                judge, assertion("similar", List.of("No idea", "It costs 5 dollars"), 0.9), "Five dollars.", Map.of());
        double expected = (1 + 0.9) / (Math.sqrt(2) * Math.sqrt(1 + 0.81));
        assertThat(result.score()).isCloseTo(expected, within(1e-12));
        assertThat(result.pass()).isTrue();
        assertThat(result.reason()).contains("\"It costs 5 dollars\"");
        assertThat(grade(judge, assertion("not-similar", "No idea", 0.5), "Five dollars.", Map.of())
                        .pass())
                .isTrue();
    }

    @Test
    void context_faithfulness_is_the_share_of_statements_the_context_supports() {
        var judge = ScriptedJudge.answering(
                "{\"statements\": [\"A wire costs 5 dollars.\", \"A wire arrives instantly.\"]}",
                "{\"verdicts\": [{\"statement\": \"A wire costs 5 dollars.\", \"verdict\": \"yes\"},"
                        + " {\"statement\": \"A wire arrives instantly.\", \"verdict\": \"no\"}]}");
        var result = grade(
                judge,
                assertion("context-faithfulness", null, 0.9),
                "5 dollars, instantly",
                Map.of("query", "Wire?", "context", List.of("Wires cost 5 dollars.", "They arrive in a day.")));
        assertThat(result.score()).isEqualTo(0.5);
        assertThat(result.pass()).isFalse();
        assertThat(result.reason()).contains("not supported: [A wire arrives instantly.]");
        assertThat(judge.chats.get(1).get(1).content()).contains("Wires cost 5 dollars.\nThey arrive in a day.");
    }

    @Test
    void context_faithfulness_needs_the_query_variable() {
        assertThatThrownBy(() -> grade(
                        ScriptedJudge.answering(),
                        Assertion.of("context-faithfulness", null),
                        "x",
                        Map.of("context", "c")))
                .isInstanceOf(EvaluationException.class)
                .hasMessageContaining("needs the test variable 'query'");
    }

    @Test
    void context_relevance_counts_quoted_sentences_and_rejects_invented_ones() {
        var vars = Map.<String, Object>of(
                "query", "Wire fee?", "context", "Wires cost 5 dollars. Cards are free. Branches open at 9.");
        var result = grade(
                ScriptedJudge.answering("Wires cost 5 dollars."), assertion("context-relevance", null, 0.5), "x", vars);
        assertThat(result.score()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(result.pass()).isFalse();
        assertThat(grade(
                                ScriptedJudge.answering("Insufficient Information"),
                                Assertion.of("context-relevance", null),
                                "x",
                                vars)
                        .score())
                .isZero();
        assertThatThrownBy(() -> grade(
                        ScriptedJudge.answering("Wires are expensive."),
                        Assertion.of("context-relevance", null),
                        "x",
                        vars))
                .isInstanceOf(EvaluationException.class)
                .hasMessageContaining("not in the context");
    }

    @Test
    void context_recall_is_the_share_of_expected_sentences_the_context_supports() {
        var judge = ScriptedJudge.answering(
                "{\"sentences\": [{\"sentence\": \"Wires cost 5 dollars.\", \"attributed\": true},"
                        + " {\"sentence\": \"They are refundable.\", \"attributed\": false}]}");
        var result = grade(
                judge,
                assertion("context-recall", "Wires cost 5 dollars. They are refundable.", 0.5),
                "x",
                Map.of("context", "Wires cost 5 dollars."));
        assertThat(result.score()).isEqualTo(0.5);
        assertThat(result.pass()).isTrue();
        assertThat(result.reason()).contains("not in the context: [They are refundable.]");
    }

    @Test
    void moderation_fails_on_flagged_categories_and_can_be_limited_to_some() {
        var judge = new ScriptedJudge(Map.of(), Set.of("harassment"));
        assertThat(grade(judge, Assertion.of("moderation", null), "x", Map.of()).pass())
                .isFalse();
        assertThat(grade(judge, Assertion.of("moderation", List.of("violence")), "x", Map.of())
                        .pass())
                .isTrue();
    }

    @Test
    void an_assertion_can_name_its_own_judge_through_the_factory() {
        var special = ScriptedJudge.answering("{\"pass\": false, \"score\": 0, \"reason\": \"No.\"}");
        var evaluators = Evaluators.builder()
                .judgeFactory(id -> {
                    if (!id.equals("judge:special")) {
                        throw new IllegalArgumentException("unknown judge " + id);
                    }
                    return special;
                })
                .build();
        var named = new Assertion("llm-rubric", "r", null, null, null, "judge:special", List.of(), null);
        assertThat(evaluators
                        .compile(named)
                        .grade(AssertionContext.ofOutput("x"))
                        .pass())
                .isFalse();
        var unknown = new Assertion("llm-rubric", "r", null, null, null, "judge:other", List.of(), null);
        assertThatThrownBy(() -> evaluators.compile(unknown))
                .isInstanceOf(InvalidAssertionException.class)
                .hasMessageContaining("unknown judge judge:other");
    }

    @Test
    void cosine_of_mismatched_embeddings_is_an_error() {
        assertThat(ModelGradedChecks.cosine(new double[] {1, 0}, new double[] {0, 1}))
                .isZero();
        assertThatThrownBy(() -> ModelGradedChecks.cosine(new double[] {1}, new double[] {1, 2}))
                .isInstanceOf(EvaluationException.class);
    }
}
