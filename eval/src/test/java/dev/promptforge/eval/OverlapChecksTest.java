package dev.promptforge.eval;

import static dev.promptforge.eval.Grading.assertion;
import static dev.promptforge.eval.Grading.grade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OverlapChecksTest {

    @Test
    void rouge_n_is_unigram_recall_of_the_reference_ignoring_case() {
        // given: the reference has 3 tokens, 2 of which are in the output
        var result = grade(assertion("rouge-n", "the cat ate", 0.6), "The cat sat.");

        // then
        assertThat(result.score()).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(result.pass()).isTrue();
        assertThat(result.reason()).isEqualTo("ROUGE-1 recall 0.67 meets the threshold 0.6");
    }

    @Test
    void rouge_n_clips_repeated_tokens_and_defaults_to_threshold_075() {
        assertThat(OverlapChecks.rouge1("the the the", "the cat the")).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(grade("rouge-n", "the cat ate", "The cat sat.").pass()).isFalse();
    }

    @Test
    void negated_rouge_n_inverts_the_score() {
        var result = grade(assertion("not-rouge-n", "a b c d", 0.75), "a");
        assertThat(result.pass()).isTrue();
        assertThat(result.score()).isCloseTo(0.75, within(1e-9));
    }

    @Test
    void tokenizer_splits_punctuation_and_contractions_but_keeps_numbers() {
        assertThat(Tokens.treebank("Don't pay $1,000.50 today, it's late."))
                .containsExactly("do", "n't", "pay", "$", "1,000.50", "today", ",", "it", "'s", "late", ".");
    }

    @Test
    void bleu_matches_a_hand_computed_value() {
        // given: precisions 4/5, 3/4, 2/3, 1/2 and equal lengths (no brevity penalty)
        double expected = Math.pow(0.8 * 0.75 * (2.0 / 3) * 0.5, 0.25);

        // when
        var result = grade("bleu", "a b c d f", "a b c d e");

        // then
        assertThat(result.score()).isCloseTo(expected, within(1e-12));
        assertThat(result.pass()).isTrue();
    }

    @Test
    void bleu_is_one_for_an_identical_sentence_and_uses_the_best_of_several_references() {
        assertThat(OverlapChecks.bleu("the cat sat on the mat", List.of("the cat sat on the mat")))
                .isCloseTo(1.0, within(1e-12));
        assertThat(OverlapChecks.bleu("the cat sat on the mat", List.of("a dog", "the cat sat on the mat")))
                .isCloseTo(1.0, within(1e-12));
    }

    @Test
    void bleu_penalises_short_outputs_and_scores_blank_references_zero() {
        assertThat(OverlapChecks.bleu("the cat", List.of("the cat sat on the mat")))
                .isLessThan(0.001);
        assertThat(OverlapChecks.bleu("anything", List.of("  "))).isZero();
        assertThat(grade("bleu", "hello world", "").score()).isZero();
    }

    @Test
    void bleu_keeps_a_single_reference_with_commas_whole() {
        assertThat(grade("bleu", "yes, we can do it", "yes, we can do it").score())
                .isCloseTo(1.0, within(1e-12));
    }

    @Test
    void groundedness_lexical_measures_answer_words_found_in_the_context() {
        // given
        var vars = Map.<String, Object>of("context", "Wire transfers cost 5 dollars. Card replacement is free.");

        // when
        var grounded = grade(Assertion.of("groundedness-lexical", null), "Wire transfers cost 5 dollars.", vars);
        var invented = grade(Assertion.of("groundedness-lexical", null), "Wire transfers cost 9 euros.", vars);

        // then
        assertThat(grounded.score()).isEqualTo(1.0);
        assertThat(grounded.pass()).isTrue();
        assertThat(invented.score()).isCloseTo(0.6, within(1e-9));
        assertThat(invented.pass()).isFalse();
        assertThat(invented.reason()).contains("not in the context: [9, euros]");
    }

    @Test
    void groundedness_lexical_without_context_is_an_evaluation_error() {
        assertThatThrownBy(() -> grade(Assertion.of("groundedness-lexical", null), "text", Map.of()))
                .isInstanceOf(EvaluationException.class)
                .hasMessageContaining("needs the test variable 'context'");
    }

    @Test
    void answer_relevance_lexical_measures_question_words_found_in_the_answer() {
        var vars = Map.<String, Object>of("query", "How much does a wire transfer cost?");
        var result = grade(Assertion.of("answer-relevance-lexical", null), "A wire transfer costs 5 dollars.", vars);
        // content words of the question: much, wire, transfer, cost -> wire and transfer found
        assertThat(result.score()).isCloseTo(0.5, within(1e-9));
        assertThat(result.pass()).isTrue();
        assertThat(result.reason()).contains("missing: [much, cost]");
    }
}
