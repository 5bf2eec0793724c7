package dev.promptforge.eval;

import static dev.promptforge.eval.Grading.assertion;
import static dev.promptforge.eval.Grading.grade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TextChecksTest {

    @Nested
    class Equals {
        @Test
        void passes_on_exact_text_only() {
            assertThat(grade("equals", "Paris", "Paris").pass()).isTrue();
            var result = grade("equals", "Paris", "Paris.");
            assertThat(result.pass()).isFalse();
            assertThat(result.score()).isZero();
            assertThat(result.reason()).isEqualTo("Output \"Paris.\" does not equal \"Paris\"");
        }

        @Test
        void compares_numbers_as_their_javascript_text() {
            assertThat(grade("equals", 42L, "42").pass()).isTrue();
            assertThat(grade("equals", 2.0, "2").pass()).isTrue();
        }

        @Test
        void compares_an_object_value_with_the_output_parsed_as_json() {
            var expected = Map.of("city", "Paris", "size", 2);
            assertThat(grade("equals", expected, "{\"size\": 2.0, \"city\": \"Paris\"}")
                            .pass())
                    .isTrue();
            assertThat(grade("equals", expected, "{\"size\": 3, \"city\": \"Paris\"}")
                            .pass())
                    .isFalse();
            assertThat(grade("equals", expected, "city: Paris").reason()).contains("is not JSON");
        }

        @Test
        void negated_passes_when_different_and_says_why_it_failed() {
            assertThat(grade("not-equals", "Paris", "Lyon").pass()).isTrue();
            var result = grade("not-equals", "Paris", "Paris");
            assertThat(result.pass()).isFalse();
            assertThat(result.reason()).isEqualTo("Output equals \"Paris\", which not-equals forbids");
        }

        @Test
        void renders_its_value_with_the_test_variables() {
            var result = grade(Assertion.of("equals", "Hello {{ name }}"), "Hello Ana", Map.of("name", "Ana"));
            assertThat(result.pass()).isTrue();
        }
    }

    @Nested
    class Contains {
        @Test
        void contains_is_case_sensitive_and_icontains_is_not() {
            assertThat(grade("contains", "refund", "Your refund is on its way").pass())
                    .isTrue();
            assertThat(grade("contains", "Refund", "Your refund is on its way").pass())
                    .isFalse();
            assertThat(grade("icontains", "REFUND", "Your refund is on its way").pass())
                    .isTrue();
        }

        @Test
        void accepts_a_number_value() {
            assertThat(grade("contains", 0L, "costs 0 dollars").pass()).isTrue();
        }

        @Test
        void rejects_an_empty_or_missing_value_at_compile_time() {
            assertThatThrownBy(() -> grade("contains", "", "x"))
                    .isInstanceOf(InvalidAssertionException.class)
                    .hasMessageContaining("contains: value must be a non-empty string or a number");
            assertThatThrownBy(() -> grade("contains", null, "x"))
                    .isInstanceOf(InvalidAssertionException.class)
                    .hasMessageContaining("(it is missing)");
        }

        @Test
        void not_contains_fails_when_the_text_is_present() {
            var result = grade("not-contains", "password", "your password is hunter2");
            assertThat(result.pass()).isFalse();
            assertThat(result.score()).isZero();
        }

        @Test
        void contains_any_passes_on_one_match_and_lists_the_values_when_none_match() {
            assertThat(grade("contains-any", List.of("yes", "sure"), "sure thing")
                            .pass())
                    .isTrue();
            var result = grade("contains-any", List.of("yes", "sure"), "no");
            assertThat(result.pass()).isFalse();
            assertThat(result.reason()).isEqualTo("Output contains none of [yes, sure]");
        }

        @Test
        void contains_all_names_the_missing_values() {
            var result = grade("contains-all", List.of("a", "b", "c"), "a c");
            assertThat(result.pass()).isFalse();
            assertThat(result.reason()).isEqualTo("Output is missing [b] of [a, b, c]");
        }

        @Test
        void list_values_may_be_comma_separated_with_quotes_keeping_commas() {
            assertThat(grade("contains-all", "\"1,000\", in stock", "1,000 in stock")
                            .pass())
                    .isTrue();
            assertThat(Shapes.splitCommaSeparated(" a, \"b, c\" ,, d ")).containsExactly("a", "b, c", "d");
        }

        @Test
        void icontains_variants_ignore_case() {
            assertThat(grade("icontains-any", List.of("YES"), "oh yes").pass()).isTrue();
            assertThat(grade("icontains-all", List.of("A", "b"), "a B").pass()).isTrue();
            assertThat(grade("not-icontains-any", List.of("ERROR"), "an error happened")
                            .pass())
                    .isFalse();
        }
    }

    @Nested
    class StartsWithAndRegex {
        @Test
        void starts_with_checks_the_beginning() {
            assertThat(grade("starts-with", "Yes", "Yes, indeed").pass()).isTrue();
            assertThat(grade("starts-with", "Yes", " Yes").pass()).isFalse();
        }

        @Test
        void regex_finds_a_match_anywhere() {
            assertThat(grade("regex", "\\d{4}", "year 2024").pass()).isTrue();
            assertThat(grade("not-regex", "\\d{4}", "year 24").pass()).isTrue();
            assertThat(grade("regex", "^\\d+$", "12a").reason()).isEqualTo("Output does not match /^\\d+$/");
        }

        @Test
        void regex_refuses_backtracking_syntax_when_compiled() {
            assertThatThrownBy(() -> grade("regex", "(a)\\1", "aa"))
                    .isInstanceOf(InvalidAssertionException.class)
                    .hasMessageContaining("not a valid RE2 regular expression");
        }

        @Test
        void a_templated_regex_that_renders_invalid_is_an_evaluation_error() {
            var compiled = Evaluators.deterministic().compile(Assertion.of("regex", "{{ pattern }}"));
            var context = new AssertionContext(ProviderResponse.of("x"), "", Map.of("pattern", "(?<=a)b"), null, false);
            assertThatThrownBy(() -> compiled.grade(context))
                    .isInstanceOf(EvaluationException.class)
                    .hasMessageContaining("regex: value \"(?<=a)b\" is not a valid RE2");
        }
    }

    @Nested
    class WordCount {
        @Test
        void exact_count() {
            assertThat(grade("word-count", 3L, "  one two\nthree ").pass()).isTrue();
            assertThat(grade("word-count", 3L, "one two").reason()).isEqualTo("Output has 2 words, expected exactly 3");
        }

        @Test
        void inclusive_range_and_open_ends() {
            assertThat(grade("word-count", Map.of("min", 2, "max", 3), "a b c").pass())
                    .isTrue();
            assertThat(grade("word-count", Map.of("min", 2, "max", 3), "a b c d")
                            .pass())
                    .isFalse();
            assertThat(grade("word-count", Map.of("max", 0), "").pass()).isTrue();
            assertThat(grade("not-word-count", Map.of("min", 5), "a b").pass()).isTrue();
        }

        @Test
        void rejects_a_range_with_min_above_max_or_unknown_keys() {
            assertThatThrownBy(() -> grade("word-count", Map.of("min", 5, "max", 1), "x"))
                    .isInstanceOf(InvalidAssertionException.class)
                    .hasMessageContaining("min 5 above max 1");
            assertThatThrownBy(() -> grade("word-count", Map.of("least", 1), "x"))
                    .isInstanceOf(InvalidAssertionException.class)
                    .hasMessageContaining("not 'least'");
        }
    }

    @Nested
    class Levenshtein {
        @Test
        void threshold_is_the_largest_distance_that_passes() {
            assertThat(grade(assertion("levenshtein", "sitting", 3.0), "kitten").pass())
                    .isTrue();
            var result = grade(assertion("levenshtein", "sitting", 2.0), "kitten");
            assertThat(result.pass()).isFalse();
            assertThat(result.reason()).isEqualTo("Edit distance to \"sitting\" is 3, above the threshold 2");
        }

        @Test
        void default_threshold_is_five_and_zero_means_exact() {
            assertThat(grade("levenshtein", "abcdef", "a").pass()).isTrue();
            assertThat(grade("levenshtein", "abcdefg", "a").pass()).isFalse();
            assertThat(grade(assertion("levenshtein", "abc", 0.0), "abd").pass())
                    .isFalse();
        }

        @Test
        void negation_inverts_the_verdict() {
            assertThat(grade(assertion("not-levenshtein", "sitting", 1.0), "kitten")
                            .pass())
                    .isTrue();
        }
    }
}
