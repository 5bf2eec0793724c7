package dev.promptforge.eval;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Tokenizers for the overlap metrics. */
final class Tokens {

    /** Common English function words, left out of the lexical groundedness and relevance measures. */
    static final Set<String> STOPWORDS = Set.of(
            "a",
            "about",
            "above",
            "after",
            "again",
            "against",
            "all",
            "am",
            "an",
            "and",
            "any",
            "are",
            "as",
            "at",
            "be",
            "because",
            "been",
            "before",
            "being",
            "below",
            "between",
            "both",
            "but",
            "by",
            "can",
            "could",
            "did",
            "do",
            "does",
            "doing",
            "down",
            "during",
            "each",
            "few",
            "for",
            "from",
            "further",
            "had",
            "has",
            "have",
            "having",
            "he",
            "her",
            "here",
            "hers",
            "herself",
            "him",
            "himself",
            "his",
            "how",
            "i",
            "if",
            "in",
            "into",
            "is",
            "it",
            "its",
            "itself",
            "just",
            "me",
            "more",
            "most",
            "my",
            "myself",
            "no",
            "nor",
            "not",
            "now",
            "of",
            "off",
            "on",
            "once",
            "only",
            "or",
            "other",
            "our",
            "ours",
            "ourselves",
            "out",
            "over",
            "own",
            "same",
            "she",
            "should",
            "so",
            "some",
            "such",
            "than",
            "that",
            "the",
            "their",
            "theirs",
            "them",
            "themselves",
            "then",
            "there",
            "these",
            "they",
            "this",
            "those",
            "through",
            "to",
            "too",
            "under",
            "until",
            "up",
            "very",
            "was",
            "we",
            "were",
            "what",
            "when",
            "where",
            "which",
            "while",
            "who",
            "whom",
            "why",
            "will",
            "with",
            "would",
            "you",
            "your",
            "yours",
            "yourself",
            "yourselves");

    private Tokens() {}

    /**
     * Word tokens in the manner of the Penn Treebank tokenizer that promptfoo's ROUGE uses: words and
     * numbers are tokens, each punctuation mark is its own token, contractions split ({@code don't} →
     * {@code do}, {@code n't}); lower-cased.
     */
    static List<String> treebank(String text) {
        List<String> tokens = new ArrayList<>();
        String lower = text.toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < lower.length()) {
            char c = lower.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetterOrDigit(c)) {
                int start = i;
                while (i < lower.length() && (Character.isLetterOrDigit(lower.charAt(i)) || isInnerMark(lower, i))) {
                    i++;
                }
                String word = lower.substring(start, i);
                if (word.length() > 1 && word.endsWith("n") && lower.startsWith("'t", i)) {
                    tokens.add(word.substring(0, word.length() - 1));
                    tokens.add("n't");
                    i += 2;
                } else {
                    tokens.add(word);
                }
            } else if (c == '\'' && i > 0 && Character.isLetter(lower.charAt(i - 1)) && clitic(lower, i) != null) {
                String clitic = clitic(lower, i);
                tokens.add(clitic);
                i += clitic.length();
            } else {
                tokens.add(String.valueOf(c));
                i++;
            }
        }
        return tokens;
    }

    private static final List<String> CLITICS = List.of("'ll", "'re", "'ve", "'s", "'m", "'d");

    /** The clitic ('s, 'll …) starting at {@code i} and ending a word, or null. */
    private static @Nullable String clitic(String text, int i) {
        for (String clitic : CLITICS) {
            int end = i + clitic.length();
            if (text.startsWith(clitic, i) && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)))) {
                return clitic;
            }
        }
        return null;
    }

    /** A '.', ',' or '-' between two word characters stays inside the token (3.5, 1,000, U.S, well-known). */
    private static boolean isInnerMark(String text, int i) {
        char c = text.charAt(i);
        return (c == '.' || c == ',' || c == '-')
                && i > 0
                && i + 1 < text.length()
                && Character.isLetterOrDigit(text.charAt(i - 1))
                && Character.isLetterOrDigit(text.charAt(i + 1))
                && (c != ',' || Character.isDigit(text.charAt(i + 1)));
    }

    /** Lower-cased runs of letters and digits. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                current.append(Character.toLowerCase(c));
            } else if (!current.isEmpty()) {
                words.add(current.toString());
                current.setLength(0);
            }
        }
        if (!current.isEmpty()) {
            words.add(current.toString());
        }
        return words;
    }

    /** The distinct words that are not stopwords, in order. */
    static Set<String> contentWords(String text) {
        Set<String> out = new LinkedHashSet<>();
        for (String word : words(text)) {
            if (!STOPWORDS.contains(word)) {
                out.add(word);
            }
        }
        return out;
    }
}
