package dev.promptforge.pii.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.pii.PiiAnalyzer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A regression guard: a small held-out sample (templates and names never used while tuning) must
 * keep the F1 floors of ACCURACY.md. The full measurement is the bench module's PiiAccuracy.
 */
class AccuracyFloorsTest {

    private static Scorer scorer;

    @BeforeAll
    static void score() {
        PiiAnalyzer analyzer = PiiAnalyzer.withDefaults();
        scorer = new Scorer();
        for (LabeledText doc : new CorpusGenerator(
                        CorpusGenerator.Templates.HELD_OUT, CorpusGenerator.Names.TEST, 20261122)
                .documents(1200)) {
            List<Span> predicted = analyzer.analyze(doc.text()).stream()
                    .map(e -> new Span(e.type(), e.start(), e.end()))
                    .toList();
            scorer.add(doc, predicted);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "CREDIT_CARD, 0.99",
        "US_SSN, 0.99",
        "IBAN_CODE, 0.99",
        "EMAIL_ADDRESS, 0.99",
        "ABA_ROUTING_NUMBER, 0.99",
        "IP_ADDRESS, 0.99",
        "PHONE_NUMBER, 0.97",
        "PERSON, 0.90"
    })
    void keeps_the_f1_floor_on_held_out_text(String type, double floor) {
        // given
        Map<String, Scorer.Counts> byType = scorer.byType();

        // when
        Scorer.Counts counts = byType.get(type);

        // then
        assertThat(counts).as(type + " was generated").isNotNull();
        assertThat(counts.support()).as(type + " support").isGreaterThan(30);
        assertThat(counts.f1()).as(type + " F1").isGreaterThanOrEqualTo(floor);
    }

    @Test
    void the_sample_contains_negatives_that_produce_no_entities_of_their_own() {
        // given: the negatives (orders, versions, prices, timestamps, Luhn-failing numbers) are unlabeled
        Scorer.Counts all = scorer.micro();

        // then: nearly every prediction matches a labeled entity
        assertThat(all.precision()).isGreaterThan(0.97);
    }
}
