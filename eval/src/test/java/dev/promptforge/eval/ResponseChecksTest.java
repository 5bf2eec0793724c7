package dev.promptforge.eval;

import static dev.promptforge.eval.Grading.assertion;
import static dev.promptforge.eval.Grading.grade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseChecksTest {

    private static ProviderResponse costing(Double cost) {
        return new ProviderResponse("ok", "stop", null, cost, null);
    }

    @Test
    void cost_passes_at_or_below_the_threshold() {
        assertThat(grade(assertion("cost", null, 0.001), costing(0.001), 5.0, false)
                        .pass())
                .isTrue();
        var result = grade(assertion("cost", null, 0.001), costing(0.0025), 5.0, false);
        assertThat(result.pass()).isFalse();
        assertThat(result.reason()).isEqualTo("Cost $0.0025 is above the threshold $0.001");
        assertThat(grade(assertion("not-cost", null, 0.001), costing(0.0025), 5.0, false)
                        .pass())
                .isTrue();
    }

    @Test
    void cost_without_threshold_records_a_metric_and_needs_its_name() {
        var metric = Assertion.of("cost", null).withMetric("inference_cost").withWeight(0.0);
        var result = grade(metric, costing(0.02), 5.0, false);
        assertThat(result.pass()).isTrue();
        assertThat(result.score()).isEqualTo(0.02);
        assertThatThrownBy(() -> grade(Assertion.of("cost", null), costing(0.02), 5.0, false))
                .isInstanceOf(InvalidAssertionException.class)
                .hasMessageContaining("set 'metric'");
    }

    @Test
    void an_unknown_cost_is_an_evaluation_error_not_zero() {
        assertThatThrownBy(() -> grade(assertion("cost", null, 1.0), costing(null), 5.0, false))
                .isInstanceOf(EvaluationException.class)
                .hasMessageContaining("no cost");
    }

    @Test
    void latency_checks_milliseconds_and_refuses_cached_answers() {
        assertThat(grade(assertion("latency", null, 500.0), costing(0.0), 120.0, false)
                        .pass())
                .isTrue();
        assertThat(grade(assertion("latency", null, 100.0), costing(0.0), 120.0, false)
                        .reason())
                .isEqualTo("Latency 120 ms is above the threshold 100 ms");
        assertThatThrownBy(() -> grade(assertion("latency", null, 100.0), costing(0.0), 120.0, true))
                .isInstanceOf(EvaluationException.class)
                .hasMessageContaining("--no-cache");
    }

    @Test
    void finish_reason_compares_ignoring_case_and_fails_without_one() {
        var stop = new ProviderResponse("x", "STOP", null, null, null);
        assertThat(grade(Assertion.of("finish-reason", "stop"), stop, 1.0, false)
                        .pass())
                .isTrue();
        assertThat(grade(Assertion.of("finish-reason", "length"), stop, 1.0, false)
                        .pass())
                .isFalse();
        assertThat(grade(Assertion.of("not-finish-reason", "length"), stop, 1.0, false)
                        .pass())
                .isTrue();
        var none = ProviderResponse.of("x");
        assertThat(grade(Assertion.of("finish-reason", "stop"), none, 1.0, false)
                        .reason())
                .contains("no finish reason");
    }

    @Test
    void perplexity_is_computed_from_log_probabilities() {
        // given: mean log probability ln(0.5) -> perplexity 2
        double ln = Math.log(0.5);
        var response = new ProviderResponse("x", "stop", null, null, List.of(ln, ln, ln));

        // then
        assertThat(grade(assertion("perplexity", null, 2.5), response, 1.0, false)
                        .pass())
                .isTrue();
        assertThat(grade(assertion("perplexity", null, 1.5), response, 1.0, false)
                        .pass())
                .isFalse();
        assertThat(grade(assertion("perplexity-score", null, null), response, 1.0, false)
                        .score())
                .isCloseTo(1.0 / 3, within(1e-12));
        assertThatThrownBy(() -> grade(assertion("perplexity", null, 2.0), ProviderResponse.of("x"), 1.0, false))
                .isInstanceOf(EvaluationException.class)
                .hasMessageContaining("no log probabilities");
    }

    @Test
    void is_refusal_recognises_common_refusals_and_empty_answers() {
        assertThat(grade("is-refusal", null, "I'm sorry, but I can't help with that.")
                        .pass())
                .isTrue();
        assertThat(grade("is-refusal", null, "As an AI language model, I cannot do that.")
                        .pass())
                .isTrue();
        assertThat(grade("is-refusal", null, "I cannot assist with creating malware.")
                        .pass())
                .isTrue();
        assertThat(grade("is-refusal", null, "  ").pass()).isTrue();
        assertThat(grade("is-refusal", null, "Paris is the capital of France.").pass())
                .isFalse();
        assertThat(grade("not-is-refusal", null, "4").pass()).isTrue();
        assertThat(grade("not-is-refusal", null, "I won't help with that.").pass())
                .isFalse();
    }

    @Test
    void pii_leak_without_a_detector_is_rejected_when_compiled() {
        assertThatThrownBy(() -> Evaluators.deterministic().compile(Assertion.of("pii-leak", null)))
                .isInstanceOf(InvalidAssertionException.class)
                .hasMessageContaining("pii-leak needs a PII detector")
                .hasMessageContaining("never passes silently");
    }

    @Test
    void pii_leak_fails_on_findings_and_names_types_and_positions_not_the_data() {
        // given: a detector that finds e-mail addresses
        PiiDetector detector = text -> {
            int at = text.indexOf("ana@example.com");
            return at < 0 ? List.of() : List.of(new PiiDetector.Finding("EMAIL_ADDRESS", at, at + 15, 0.99));
        };
        var evaluators = Evaluators.builder().piiDetector(detector).build();
        var compiled = evaluators.compile(Assertion.of("pii-leak", null));

        // when
        var leak = compiled.grade(AssertionContext.ofOutput("Write to ana@example.com"));
        var clean = compiled.grade(AssertionContext.ofOutput("Write to support"));
        var otherType = evaluators
                .compile(Assertion.of("pii-leak", List.of("US_SSN")))
                .grade(AssertionContext.ofOutput("Write to ana@example.com"));

        // then
        assertThat(leak.pass()).isFalse();
        assertThat(leak.reason())
                .isEqualTo("Output leaks personal data: {EMAIL_ADDRESS=[9-24]} (type: character positions)")
                .doesNotContain("ana@");
        assertThat(clean.pass()).isTrue();
        assertThat(otherType.pass()).isTrue();
    }
}
