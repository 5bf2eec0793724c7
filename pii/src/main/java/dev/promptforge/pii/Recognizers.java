package dev.promptforge.pii;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Collection;
import java.util.List;

/**
 * Factories for recognizers defined by data: regular expressions and deny lists. Register them with
 * {@link PiiAnalyzer.Builder#add(Recognizer)} or pass them for one request in
 * {@link AnalysisOptions#recognizers()}.
 */
public final class Recognizers {

    private Recognizers() {}

    /**
     * A recognizer reporting every match of {@code regex} as {@code type} with {@code score}, raised
     * when one of the {@code context} words or phrases is near. The expression runs on RE2J: matching
     * is linear in the length of the text whatever the pattern, so a user-supplied pattern cannot stall
     * the analyzer (RE2 syntax: no backreferences, no lookaround).
     *
     * @throws IllegalArgumentException if the expression is invalid or matches the empty string
     */
    public static Recognizer pattern(String name, String type, String regex, double score, List<String> context) {
        requireName(name);
        PiiTypes.requireValid(type);
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("score must be from 0 to 1, got " + score);
        }
        if (regex == null || regex.isEmpty()) {
            throw new IllegalArgumentException("pattern of recognizer '" + name + "' is empty");
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "pattern of recognizer '" + name + "' is not valid RE2 syntax: " + e.getMessage(), e);
        }
        if (pattern.matcher("").matches()) {
            throw new IllegalArgumentException("pattern of recognizer '" + name + "' matches the empty string");
        }
        return new PatternRecognizer(name, type, pattern, score, context == null ? List.of() : List.copyOf(context));
    }

    /** {@link #pattern(String, String, String, double, List)} with context words as varargs. */
    public static Recognizer pattern(String name, String type, String regex, double score, String... context) {
        return pattern(name, type, regex, score, List.of(context));
    }

    /**
     * A recognizer reporting every whole-word occurrence of one of {@code words} (ignoring case; a
     * multi-word entry matches with any blanks between its words) as {@code type} with score 1.
     *
     * @throws IllegalArgumentException if the list is empty or an entry has no letter or digit
     */
    public static Recognizer denyList(String name, String type, Collection<String> words) {
        requireName(name);
        PiiTypes.requireValid(type);
        if (words == null || words.isEmpty()) {
            throw new IllegalArgumentException("deny list of recognizer '" + name + "' is empty");
        }
        return new DenyListRecognizer(name, type, List.copyOf(words));
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("recognizer name is required");
        }
    }
}
