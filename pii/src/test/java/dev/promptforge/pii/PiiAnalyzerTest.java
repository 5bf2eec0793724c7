package dev.promptforge.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PiiAnalyzerTest {

    @Test
    void builder_rejects_a_recognizer_registered_twice_naming_it() {
        // given
        var builder = PiiAnalyzer.builder()
                .addDefaultRecognizers()
                .add(Recognizers.pattern("employee-id", "EMPLOYEE_ID", "EMP-[0-9]{6}", 0.9));

        // when
        builder.add(Recognizers.denyList("employee-id", "EMPLOYEE_ID", List.of("x")));

        // then
        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("recognizer 'employee-id' is registered twice");
    }

    @Test
    void builder_rejects_a_default_recognizer_registered_again() {
        // given
        var builder = PiiAnalyzer.builder()
                .addDefaultRecognizers()
                .add(Recognizers.pattern("credit-card", "CREDIT_CARD", "[0-9]{16}", 0.5));

        // when / then
        assertThatThrownBy(builder::build).hasMessageContaining("'credit-card' is registered twice");
    }

    @Test
    void builder_rejects_no_recognizer_unknown_threshold_type_and_unknown_phone_region() {
        assertThatThrownBy(() -> PiiAnalyzer.builder().build()).hasMessageContaining("no recognizer registered");
        assertThatThrownBy(() -> PiiAnalyzer.builder()
                        .addDefaultRecognizers()
                        .threshold("EMPLOYEE_ID", 0.4)
                        .build())
                .hasMessageContaining("EMPLOYEE_ID, which no recognizer returns");
        assertThatThrownBy(() -> PiiAnalyzer.builder()
                        .addDefaultRecognizers()
                        .phoneRegions(List.of("US", "QQ"))
                        .build())
                .hasMessageContaining("unknown phone region 'QQ'");
    }

    @Test
    void validated_entity_wins_an_overlap_with_a_context_supported_one() {
        // given: the card's digits are also an account number by context
        String text = "Bank account card 4111111111111111 on file";

        // when
        var entities = Found.ANALYZER.analyze(text);

        // then
        assertThat(entities).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("CREDIT_CARD");
            assertThat(e.recognizer()).isEqualTo("credit-card");
        });
    }

    @Test
    void context_supported_entity_wins_an_overlap_with_a_weak_one() {
        // given: a weak ad-hoc pattern over the same digits as a context-supported account number
        var adHoc = Recognizers.pattern("digits", "DIGITS", "[0-9]{12}", 0.6);
        String text = "Checking account 000123456789.";

        // when
        var found = Found.in(Found.ANALYZER, text, AnalysisOptions.defaults().withRecognizers(List.of(adHoc)));

        // then
        assertThat(found).containsExactly("US_BANK_NUMBER:000123456789");
    }

    @Test
    void returns_at_most_one_label_per_character() {
        // given: many overlapping candidates
        String text = "Contact john@example.com at https://example.com/u/john@example.com or 192.168.0.1,"
                + " card 4111 1111 1111 1111, account 4111111111111111, phone +1 415 555 2671";

        // when
        var entities = Found.ANALYZER.analyze(text);

        // then
        for (int i = 1; i < entities.size(); i++) {
            assertThat(entities.get(i).start())
                    .isGreaterThanOrEqualTo(entities.get(i - 1).end());
        }
        assertThat(entities).isNotEmpty();
    }

    @Test
    void negative_context_drops_an_order_number_that_looks_like_a_phone() {
        // given
        String order = "Your order number is 415-555-2671.";
        String phone = "Your phone number is 415-555-2671.";

        // when / then
        assertThat(Found.in(order)).isEmpty();
        assertThat(Found.in(phone)).containsExactly("PHONE_NUMBER:415-555-2671");
    }

    @Test
    void context_is_matched_as_whole_words_and_phrases() {
        // given: "ssnx" and "associal" contain the context words but are not them
        String partial = "ssnx associal 536904399";
        String phrase = "social security number: 536904399";

        // when / then
        assertThat(Found.in(partial)).noneMatch(f -> f.startsWith("US_SSN"));
        assertThat(Found.in(phrase)).containsExactly("US_SSN:536904399");
    }

    @Test
    void context_after_the_entity_counts_too() {
        // given
        String text = "536904399 is my SSN";

        // when / then
        assertThat(Found.in(text)).containsExactly("US_SSN:536904399");
    }

    @Test
    void entities_option_limits_the_types_returned() {
        // given
        String text = "Mail jane@example.com, card 4111111111111111";
        var options = AnalysisOptions.defaults().withEntities(Set.of("EMAIL_ADDRESS"));

        // when
        var found = Found.in(Found.ANALYZER, text, options);

        // then
        assertThat(found).containsExactly("EMAIL_ADDRESS:jane@example.com");
    }

    @Test
    void per_entity_threshold_filters_weaker_findings() {
        // given: a bare-domain URL scores 0.6
        String text = "Visit acme.io today";
        var strict = PiiAnalyzer.builder()
                .addDefaultRecognizers()
                .threshold("URL", 0.9)
                .build();

        // when / then
        assertThat(Found.in(text)).containsExactly("URL:acme.io");
        assertThat(Found.in(strict, text, AnalysisOptions.defaults())).isEmpty();
        assertThat(Found.in(Found.ANALYZER, text, AnalysisOptions.defaults().withThreshold("URL", 0.95)))
                .isEmpty();
    }

    @Test
    void allow_list_keeps_known_values_out() {
        // given
        String text = "Write to support@promptforge.dev or jane@example.com";
        var options = AnalysisOptions.defaults().withAllowList(Set.of("SUPPORT@promptforge.dev"));

        // when
        var found = Found.in(Found.ANALYZER, text, options);

        // then
        assertThat(found).containsExactly("EMAIL_ADDRESS:jane@example.com");
    }

    @Test
    void ad_hoc_deny_list_and_pattern_apply_to_one_request() {
        // given
        var denyList = Recognizers.denyList("projects", "PROJECT", List.of("Blue Falcon", "ACME-42"));
        var pattern = Recognizers.pattern("employee", "EMPLOYEE_ID", "\\bEMP-[0-9]{6}\\b", 0.3, "employee");
        String text = "Employee EMP-123456 works on blue   falcon and ACME-42, not EMP-999999.";
        var options = AnalysisOptions.defaults().withRecognizers(List.of(denyList, pattern));

        // when
        var found = Found.in(Found.ANALYZER, text, options);
        var withoutOptions = Found.in(text);

        // then
        assertThat(found).containsExactly("EMPLOYEE_ID:EMP-123456", "PROJECT:blue   falcon", "PROJECT:ACME-42");
        assertThat(withoutOptions).isEmpty();
    }

    @Test
    void rejects_ad_hoc_recognizer_named_like_a_registered_one() {
        // given
        var clash = Recognizers.pattern("email", "X", "x+", 0.5);

        // when / then
        assertThatThrownBy(() ->
                        Found.ANALYZER.analyze("xx", AnalysisOptions.defaults().withRecognizers(List.of(clash))))
                .hasMessageContaining("'email'");
    }

    @Test
    void rejects_invalid_or_empty_matching_patterns() {
        assertThatThrownBy(() -> Recognizers.pattern("p", "X", "(a", 0.5)).hasMessageContaining("not valid RE2");
        assertThatThrownBy(() -> Recognizers.pattern("p", "X", "(?=a)b", 0.5)).hasMessageContaining("not valid RE2");
        assertThatThrownBy(() -> Recognizers.pattern("p", "X", "a*", 0.5)).hasMessageContaining("empty string");
        assertThatThrownBy(() -> Recognizers.pattern("p", "lower", "a", 0.5)).hasMessageContaining("entity type");
    }

    @Test
    void user_pattern_with_nested_quantifiers_runs_in_linear_time() {
        // given: (a+)+$ takes 2^n steps with a backtracking engine on "aaaa...!"
        var evil = Recognizers.pattern("evil", "EVIL", "(a+)+$", 0.9);
        String text = "a".repeat(100_000) + "!";

        // when
        var found = Found.in(Found.ANALYZER, text, AnalysisOptions.defaults().withRecognizers(List.of(evil)));

        // then
        assertThat(found).isEmpty();
    }

    @Test
    void analyzes_a_megabyte_of_text_without_stack_overflow() {
        // given: a megabyte of entity-dense text and of degenerate runs
        StringBuilder dense = new StringBuilder();
        int lines = 0;
        while (dense.length() < 1_000_000) {
            lines++;
            dense.append("Mr. John Smith, 4111 1111 1111 1111, john@example.com, +1 415 555 2671, 10.0.0.1, ")
                    .append("DE89 3704 0044 0532 0130 00 and https://example.com/x?y=z.\n");
        }
        String digits = "1".repeat(1_000_000);
        String ats = "@".repeat(1_000_000);
        String colons = "a:".repeat(500_000);
        String dots = "1.".repeat(500_000);
        String spacedDigits = "1 ".repeat(500_000);

        // when
        var entities = Found.ANALYZER.analyze(dense.toString());

        // then
        assertThat(entities).hasSizeGreaterThanOrEqualTo(6 * lines);
        assertThat(Found.ANALYZER.analyze(digits)).isEmpty();
        assertThat(Found.ANALYZER.analyze(ats)).isEmpty();
        assertThat(Found.ANALYZER.analyze(colons)).isEmpty();
        assertThat(Found.ANALYZER.analyze(dots)).isEmpty();
        assertThat(Found.ANALYZER.analyze(spacedDigits)).isEmpty();
    }

    @Test
    void fails_with_a_timeout_when_the_budget_is_spent() {
        // given: a budget no analysis of a megabyte can meet
        String text = "Call +1 415 555 2671 now. ".repeat(40_000);
        var options = AnalysisOptions.defaults().withTimeBudget(Duration.ofNanos(1));

        // when / then
        assertThatThrownBy(() -> Found.ANALYZER.analyze(text, options))
                .isInstanceOf(PiiTimeoutException.class)
                .hasMessageContaining("time budget");
    }

    @Test
    void offsets_are_utf16_indices_of_the_string() {
        // given: an emoji (two UTF-16 code units) and an accented letter before the entity
        String text = "😀 café: jane@example.com";

        // when
        var entity = Found.ANALYZER.analyze(text).get(0);

        // then
        assertThat(entity.start()).isEqualTo(text.indexOf("jane"));
        assertThat(entity.end()).isEqualTo(text.length());
    }

    @Test
    void plugged_in_recognizer_results_take_part_in_context_and_overlap() {
        // given: an external recognizer (as an NER model would be) with context words
        Recognizer plugin = new Recognizer() {
            @Override
            public String name() {
                return "codename";
            }

            @Override
            public Set<String> entityTypes() {
                return Set.of("CODENAME");
            }

            @Override
            public List<PiiEntity> recognize(String text) {
                int i = text.indexOf("Nightjar");
                return i < 0 ? List.of() : List.of(new PiiEntity("CODENAME", i, i + 8, 0.3, "codename"));
            }

            @Override
            public List<String> context() {
                return List.of("project");
            }
        };
        var analyzer = PiiAnalyzer.builder().add(plugin).build();

        // when / then
        assertThat(Found.in(analyzer, "Project Nightjar starts", AnalysisOptions.defaults()))
                .containsExactly("CODENAME:Nightjar");
        assertThat(Found.in(analyzer, "The Nightjar sings", AnalysisOptions.defaults()))
                .isEmpty();
    }
}
