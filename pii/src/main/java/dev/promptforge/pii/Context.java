package dev.promptforge.pii;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/*
 * Words and phrases that make a nearby candidate more (or, for the negative set, less) likely.
 * Matching is by whole tokens, ignoring case, in a window of tokens before and after the candidate;
 * a phrase matches as consecutive tokens.
 */
final class Context {

    static final int BEFORE = 6;
    static final int AFTER = 3;

    // Words that make a number an identifier of something other than a person.
    static final Context NEGATIVE = Context.of(
            0,
            0,
            "order",
            "orders",
            "invoice",
            "inv",
            "ticket",
            "version",
            "ver",
            "tracking",
            "sku",
            "build",
            "release",
            "confirmation",
            "shipment",
            "parcel",
            "po",
            "firmware",
            "patch",
            "issue",
            "bug",
            "jira",
            "reference",
            "ref",
            "case",
            "item",
            "part",
            "model",
            "receipt",
            "booking",
            "reservation");

    final double boost;
    final double floor;
    private final String[][] phrases;

    private Context(double boost, double floor, String[][] phrases) {
        this.boost = boost;
        this.floor = floor;
        this.phrases = phrases;
    }

    // boost: added to the score when context is found; floor: the least score with context.
    static Context of(double boost, double floor, String... phrases) {
        return of(boost, floor, List.of(phrases));
    }

    static Context of(double boost, double floor, Collection<String> phrases) {
        List<String[]> words = new ArrayList<>();
        for (String phrase : phrases) {
            Scan scan = new Scan(phrase, null);
            if (scan.count == 0) {
                continue;
            }
            String[] tokens = new String[scan.count];
            for (int t = 0; t < scan.count; t++) {
                tokens[t] = phrase.substring(scan.start[t], scan.end[t]).toLowerCase(java.util.Locale.ROOT);
            }
            words.add(tokens);
        }
        return new Context(boost, floor, words.toArray(String[][]::new));
    }

    boolean isEmpty() {
        return phrases.length == 0;
    }

    // The distance in tokens from [start, end) to the nearest phrase within the window, or -1.
    int nearest(Scan scan, int start, int end, int before, int after) {
        int best = -1;
        int b = scan.tokenEndingBefore(start);
        int limit = start;
        for (int k = b, d = 0; k >= 0 && d < before; k--, d++) {
            if (sentenceBreak(scan.text, scan.end[k], limit)) {
                break;
            }
            if (endsPhraseAt(scan, k)) {
                best = d;
                break;
            }
            limit = scan.start[k];
        }
        int a = scan.tokenStartingAfter(end);
        limit = end;
        for (int k = a, d = 0; k < scan.count && d < after && (best < 0 || d < best); k++, d++) {
            if (sentenceBreak(scan.text, limit, scan.start[k])) {
                break;
            }
            if (startsPhraseAt(scan, k)) {
                best = d;
                break;
            }
            limit = scan.end[k];
        }
        return best;
    }

    int nearest(Scan scan, int start, int end) {
        return nearest(scan, start, end, BEFORE, AFTER);
    }

    // Context does not reach across the end of a sentence or a blank line.
    private static boolean sentenceBreak(String text, int from, int to) {
        boolean newline = false;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if ((c == ';' || c == '!' || c == '?')
                    && i + 1 < text.length()
                    && Character.isWhitespace(text.charAt(i + 1))) {
                return true;
            }
            if (c == '.' && endsSentence(text, i)) {
                return true;
            }
            if (c == '\n') {
                if (newline) {
                    return true;
                }
                newline = true;
            } else if (!Character.isWhitespace(c)) {
                newline = false;
            }
        }
        return false;
    }

    // A '.' ends a sentence when a blank and an upper-case letter follow and it does not end an
    // abbreviation ("Tel.", "Acct.", "Dr.": a word of at most four letters).
    private static boolean endsSentence(String text, int dot) {
        int n = text.length();
        int i = dot + 1;
        if (i >= n || !Character.isWhitespace(text.charAt(i))) {
            return false;
        }
        while (i < n && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        if (i >= n || !Scan.isUpper(text.charAt(i))) {
            return false;
        }
        int word = dot;
        while (word > 0 && Scan.isLetter(text.charAt(word - 1))) {
            word--;
        }
        return dot - word > 4 || (dot > 0 && Scan.isDigit(text.charAt(dot - 1)));
    }

    private boolean endsPhraseAt(Scan scan, int k) {
        for (String[] phrase : phrases) {
            int first = k - phrase.length + 1;
            if (first >= 0 && matches(scan, first, phrase)) {
                return true;
            }
        }
        return false;
    }

    private boolean startsPhraseAt(Scan scan, int k) {
        for (String[] phrase : phrases) {
            if (k + phrase.length <= scan.count && matches(scan, k, phrase)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(Scan scan, int first, String[] phrase) {
        for (int i = 0; i < phrase.length; i++) {
            if (!scan.is(first + i, phrase[i])) {
                return false;
            }
        }
        return true;
    }
}
