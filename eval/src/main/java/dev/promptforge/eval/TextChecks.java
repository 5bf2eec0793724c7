package dev.promptforge.eval;

import static dev.promptforge.eval.Shapes.quote;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.promptforge.eval.Check.Outcome;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.jspecify.annotations.Nullable;

/** Text assertions: equals, contains and its variants, starts-with, regex, word-count, levenshtein. */
final class TextChecks {

    private TextChecks() {}

    static CompiledAssertion equalsCheck(Assertion assertion) {
        if (assertion.value() instanceof Map<?, ?> || assertion.value() instanceof List<?>) {
            var expected = Json.tree(assertion.value());
            return new Check(assertion, context -> {
                var actual = Json.parse(context.output());
                boolean equal = actual != null && Json.sameValue(expected, actual);
                return Outcome.of(
                        equal,
                        "Output is JSON equal to " + quote(Json.compact(expected)),
                        actual == null
                                ? "Output is not JSON, so it cannot equal " + quote(Json.compact(expected))
                                : "Output " + quote(context.output()) + " is not JSON equal to "
                                        + quote(Json.compact(expected)));
            });
        }
        var expected = Expected.of(assertion, TextChecks::equalsValue);
        return new Check(assertion, context -> {
            String value = expected.get(context);
            return Outcome.of(
                    context.output().equals(value),
                    "Output equals " + quote(value),
                    "Output " + quote(context.output()) + " does not equal " + quote(value));
        });
    }

    private static String equalsValue(@Nullable Object value) {
        if (value instanceof Boolean b) {
            return b.toString();
        }
        if (value instanceof String s) {
            return s;
        }
        return Shapes.text(value);
    }

    static CompiledAssertion contains(Assertion assertion, boolean ignoreCase) {
        var expected = Expected.of(assertion, Shapes::text);
        return new Check(assertion, context -> {
            String value = expected.get(context);
            boolean found = ignoreCase
                    ? lower(context.output()).contains(lower(value))
                    : context.output().contains(value);
            String how = ignoreCase ? " (ignoring case)" : "";
            return Outcome.of(
                    found, "Output contains " + quote(value) + how, "Output does not contain " + quote(value) + how);
        });
    }

    static CompiledAssertion containsAny(Assertion assertion, boolean ignoreCase) {
        var expected = Expected.of(assertion, Shapes::textList);
        return new Check(assertion, context -> {
            List<String> values = expected.get(context);
            String output = ignoreCase ? lower(context.output()) : context.output();
            String how = ignoreCase ? " (ignoring case)" : "";
            for (String value : values) {
                if (output.contains(ignoreCase ? lower(value) : value)) {
                    return Outcome.of(true, "Output contains " + quote(value) + how, "");
                }
            }
            return Outcome.of(false, "", "Output contains none of " + values + how);
        });
    }

    static CompiledAssertion containsAll(Assertion assertion, boolean ignoreCase) {
        var expected = Expected.of(assertion, Shapes::textList);
        return new Check(assertion, context -> {
            List<String> values = expected.get(context);
            String output = ignoreCase ? lower(context.output()) : context.output();
            List<String> missing = values.stream()
                    .filter(v -> !output.contains(ignoreCase ? lower(v) : v))
                    .toList();
            String how = ignoreCase ? " (ignoring case)" : "";
            return Outcome.of(
                    missing.isEmpty(),
                    "Output contains all of " + values + how,
                    "Output is missing " + missing + " of " + values + how);
        });
    }

    static CompiledAssertion startsWith(Assertion assertion) {
        var expected = Expected.of(assertion, Shapes::text);
        return new Check(assertion, context -> {
            String value = expected.get(context);
            return Outcome.of(
                    context.output().startsWith(value),
                    "Output starts with " + quote(value),
                    "Output does not start with " + quote(value) + " (it starts with "
                            + quote(context.output()
                                    .substring(0, Math.min(context.output().length(), 40))) + ")");
        });
    }

    /** RE2 syntax (linear time, no ReDoS): lookaround and backreferences are rejected. */
    static CompiledAssertion regex(Assertion assertion) {
        var expected = Expected.of(assertion, TextChecks::pattern);
        return new Check(assertion, context -> {
            Pattern pattern = expected.get(context);
            return Outcome.of(
                    pattern.matcher(context.output()).find(),
                    "Output matches /" + pattern.pattern() + "/",
                    "Output does not match /" + pattern.pattern() + "/");
        });
    }

    private static Pattern pattern(@Nullable Object value) {
        String text = Shapes.text(value);
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("value " + quote(text) + " is not a valid RE2 regular expression ("
                    + e.getDescription()
                    + "; RE2 has no lookaround or backreferences, so every regex runs in linear time)");
        }
    }

    record WordRange(@Nullable Integer min, @Nullable Integer max) {
        boolean contains(int count) {
            return (min == null || count >= min) && (max == null || count <= max);
        }

        String describe() {
            if (min != null && min.equals(max)) {
                return "exactly " + min;
            }
            if (min != null && max != null) {
                return "from " + min + " to " + max;
            }
            return min != null ? "at least " + min : "at most " + max;
        }
    }

    static CompiledAssertion wordCount(Assertion assertion) {
        var expected = Expected.of(assertion, TextChecks::wordRange);
        return new Check(assertion, context -> {
            WordRange range = expected.get(context);
            int count = countWords(context.output());
            return Outcome.of(
                    range.contains(count),
                    "Output has " + count + " words (" + range.describe() + " expected)",
                    "Output has " + count + " words, expected " + range.describe());
        });
    }

    private static WordRange wordRange(@Nullable Object value) {
        if (value instanceof Map<?, ?> map) {
            for (Object key : map.keySet()) {
                if (!"min".equals(key) && !"max".equals(key)) {
                    throw new IllegalArgumentException("value may only have 'min' and 'max', not '" + key + "'");
                }
            }
            Integer min = count(map.get("min"));
            Integer max = count(map.get("max"));
            if (min == null && max == null) {
                throw new IllegalArgumentException("value needs 'min', 'max' or both");
            }
            if (min != null && max != null && min > max) {
                throw new IllegalArgumentException("value has min " + min + " above max " + max);
            }
            return new WordRange(min, max);
        }
        Integer exact = count(value);
        if (exact == null) {
            throw new IllegalArgumentException("value must be a word count or {min, max}");
        }
        return new WordRange(exact, exact);
    }

    private static @Nullable Integer count(@Nullable Object value) {
        if (value == null) {
            return null;
        }
        Object number = value;
        if (value instanceof String s) {
            try {
                number = Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + s + "' is not a word count");
            }
        }
        if (number instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() == Math.rint(n.doubleValue())) {
            return (int) n.doubleValue();
        }
        throw new IllegalArgumentException(
                "a word count must be a whole number of zero or more, not " + Shapes.describe(value));
    }

    /** Words are runs of non-whitespace, as promptfoo counts them. */
    static int countWords(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }

    /** The threshold is the largest edit distance that passes (default 5). */
    static CompiledAssertion levenshtein(Assertion assertion) {
        var expected = Expected.of(assertion, Shapes::text);
        double threshold = assertion.threshold() == null ? 5 : assertion.threshold();
        if (threshold < 0) {
            throw new InvalidAssertionException(
                    "levenshtein: threshold is the largest edit distance allowed and" + " cannot be negative");
        }
        LevenshteinDistance distance = LevenshteinDistance.getDefaultInstance();
        return new Check(assertion, context -> {
            String value = expected.get(context);
            int d = distance.apply(context.output(), value);
            return Outcome.of(
                    d <= threshold,
                    "Edit distance to " + quote(value) + " is " + d + " (at most " + fmt(threshold) + " allowed)",
                    "Edit distance to " + quote(value) + " is " + d + ", above the threshold " + fmt(threshold));
        });
    }

    static String fmt(double number) {
        return dev.promptforge.eval.template.Values.numberToString(number);
    }

    static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
