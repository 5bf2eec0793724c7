package dev.promptforge.eval;

import static dev.promptforge.eval.TextChecks.fmt;

import dev.promptforge.eval.Check.Outcome;
import dev.promptforge.eval.template.Values;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Overlap metrics: ROUGE-N and BLEU as promptfoo computes them, and PromptForge's two lexical
 * measures, named for what they are (token overlap, not meaning).
 */
final class OverlapChecks {

    private OverlapChecks() {}

    /**
     * ROUGE-1 recall, as promptfoo's rouge-n: the share of the reference's unigrams (clipped counts)
     * that the output contains; case-insensitive; threshold 0.75 by default.
     */
    static CompiledAssertion rougeN(Assertion assertion) {
        var expected = Expected.of(assertion, Shapes::text);
        double threshold = threshold(assertion, 0.75);
        return new Check(assertion, context -> {
            String reference = expected.get(context);
            double score = rouge1(context.output(), reference);
            return new Outcome(
                    score >= threshold,
                    score,
                    "ROUGE-1 recall " + two(score) + (score >= threshold ? " meets" : " is below") + " the threshold "
                            + fmt(threshold));
        });
    }

    static double rouge1(String candidate, String reference) {
        List<String> ref = Tokens.treebank(reference);
        if (ref.isEmpty()) {
            return 0;
        }
        Map<String, Integer> available = counts(Tokens.treebank(candidate));
        int matches = 0;
        for (String token : ref) {
            Integer left = available.get(token);
            if (left != null && left > 0) {
                matches++;
                available.put(token, left - 1);
            }
        }
        return (double) matches / ref.size();
    }

    /**
     * BLEU-4 with uniform weights, clipped n-gram precision against the best reference, the brevity
     * penalty against the reference of closest length and 1e-7 smoothing of empty precisions, as
     * promptfoo computes it; threshold 0.5 by default. Blank references are ignored.
     */
    static CompiledAssertion bleu(Assertion assertion) {
        var expected = Expected.of(assertion, Shapes::textList);
        var single = assertion.value() instanceof String;
        double threshold = threshold(assertion, 0.5);
        return new Check(assertion, context -> {
            List<String> references = single ? List.of(joinedBack(expected.get(context))) : expected.get(context);
            double score = bleu(context.output(), references);
            return new Outcome(
                    score >= threshold,
                    score,
                    "BLEU " + four(score) + (score >= threshold ? " meets" : " is below") + " the threshold "
                            + fmt(threshold));
        });
    }

    /** A single reference is one string even if it has commas; Shapes split it, so join it back. */
    private static String joinedBack(List<String> parts) {
        return String.join(", ", parts);
    }

    static double bleu(String candidate, List<String> references) {
        List<String> cand = whitespaceWords(candidate);
        List<List<String>> refs = new ArrayList<>();
        for (String reference : references) {
            if (!reference.isBlank()) {
                refs.add(whitespaceWords(reference));
            }
        }
        if (cand.isEmpty() || refs.isEmpty()) {
            return 0;
        }
        int closest = refs.get(0).size();
        for (List<String> ref : refs) {
            if (Math.abs(ref.size() - cand.size()) < Math.abs(closest - cand.size())) {
                closest = ref.size();
            }
        }
        double logSum = 0;
        for (int n = 1; n <= 4; n++) {
            Map<String, Integer> candGrams = counts(ngrams(cand, n));
            int total = Math.max(0, cand.size() - n + 1);
            int best = 0;
            for (List<String> ref : refs) {
                Map<String, Integer> refGrams = counts(ngrams(ref, n));
                int clipped = 0;
                for (var entry : candGrams.entrySet()) {
                    clipped += Math.min(entry.getValue(), refGrams.getOrDefault(entry.getKey(), 0));
                }
                best = Math.max(best, clipped);
            }
            double precision = total > 0 ? (double) best / total : 0;
            logSum += 0.25 * Math.log(precision == 0 ? 1e-7 : precision);
        }
        double brevity = cand.size() > closest ? 1 : Math.exp(1 - (double) closest / cand.size());
        return brevity * Math.exp(logSum);
    }

    private static List<String> whitespaceWords(String text) {
        String trimmed = text.toLowerCase(Locale.ROOT).strip();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }

    private static List<String> ngrams(List<String> words, int n) {
        List<String> grams = new ArrayList<>();
        for (int i = 0; i + n <= words.size(); i++) {
            grams.add(String.join(" ", words.subList(i, i + n)));
        }
        return grams;
    }

    private static Map<String, Integer> counts(List<String> items) {
        Map<String, Integer> counts = new HashMap<>();
        for (String item : items) {
            counts.merge(item, 1, Integer::sum);
        }
        return counts;
    }

    /**
     * PromptForge's {@code groundedness-lexical}: the share of the output's content words (not
     * stopwords) that occur in the context. The context is the value, or the test's {@code context}
     * variable; threshold 0.7 by default. It measures word overlap, not entailment: a paraphrase
     * scores low, a contradiction made of the context's words scores high.
     */
    static CompiledAssertion groundednessLexical(Assertion assertion) {
        var value = Expected.of(assertion, OverlapChecks::optionalText);
        double threshold = threshold(assertion, 0.7);
        return new Check(assertion, context -> {
            String source = value.get(context);
            if (source == null) {
                source = variableText(context, "context", "groundedness-lexical");
            }
            Set<String> answer = Tokens.contentWords(context.output());
            if (answer.isEmpty()) {
                return new Outcome(true, 1, "Output has no content words, so nothing in it is ungrounded");
            }
            Set<String> grounded = new LinkedHashSet<>(Tokens.words(source));
            List<String> missing =
                    answer.stream().filter(w -> !grounded.contains(w)).toList();
            double score = 1 - (double) missing.size() / answer.size();
            return new Outcome(
                    score >= threshold,
                    score,
                    two(score) + " of the output's content words occur in the context (threshold " + fmt(threshold)
                            + ")" + (missing.isEmpty() ? "" : "; not in the context: " + sample(missing)));
        });
    }

    /**
     * PromptForge's {@code answer-relevance-lexical}: the share of the question's content words that
     * the output repeats. The question is the value, else the {@code query} variable, else the
     * prompt; threshold 0.5 by default. Word overlap only: an on-topic answer in other words scores
     * low.
     */
    static CompiledAssertion answerRelevanceLexical(Assertion assertion) {
        var value = Expected.of(assertion, OverlapChecks::optionalText);
        double threshold = threshold(assertion, 0.5);
        return new Check(assertion, context -> {
            String question = value.get(context);
            if (question == null) {
                Object query = context.vars().get("query");
                question = query != null ? Values.toText(query) : context.prompt();
            }
            Set<String> asked = Tokens.contentWords(question);
            if (asked.isEmpty()) {
                throw new EvaluationException(
                        "answer-relevance-lexical: the question has no content words to look for in the output");
            }
            Set<String> answered = new LinkedHashSet<>(Tokens.words(context.output()));
            List<String> missing =
                    asked.stream().filter(w -> !answered.contains(w)).toList();
            double score = 1 - (double) missing.size() / asked.size();
            return new Outcome(
                    score >= threshold,
                    score,
                    two(score) + " of the question's content words occur in the output (threshold " + fmt(threshold)
                            + ")" + (missing.isEmpty() ? "" : "; missing: " + sample(missing)));
        });
    }

    private static @Nullable String optionalText(@Nullable Object value) {
        return value == null ? null : Shapes.text(value);
    }

    /** A variable as text: a list (of context chunks) is joined by newlines. */
    static String variableText(AssertionContext context, String name, String type) {
        Object value = context.vars().get(name);
        if (value == null) {
            throw new EvaluationException(type + " needs the test variable '" + name + "' (or a value)");
        }
        if (value instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            for (Object item : list) {
                parts.add(Values.toText(item));
            }
            return String.join("\n", parts);
        }
        return Values.toText(value);
    }

    static double threshold(Assertion assertion, double byDefault) {
        return assertion.threshold() == null ? byDefault : assertion.threshold();
    }

    private static String sample(List<String> words) {
        return words.size() <= 8 ? words.toString() : words.subList(0, 8) + " …";
    }

    static String two(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String four(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}
