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
            "reservation",
            "upgrade",
            "upgraded",
            "update",
            "updated",
            "downgrade",
            "rollback",
            "roll back",
            "running",
            "install",
            "installed",
            "hotfix",
            "sdk",
            "serial");

    final double boost;
    final double floor;
    private final String[][] phrases;
    private final int[][] hashes; // WordSet hashes of the phrase words
    private final int before;
    private final int after;
    // the last and the first words of the phrases: one lookup rules out most tokens
    private final WordSet lastWords;
    private final WordSet firstWords;

    private Context(double boost, double floor, String[][] phrases, int before, int after) {
        this.boost = boost;
        this.floor = floor;
        this.phrases = phrases;
        this.before = before;
        this.after = after;
        this.hashes = new int[phrases.length][];
        for (int p = 0; p < phrases.length; p++) {
            hashes[p] = new int[phrases[p].length];
            for (int w = 0; w < phrases[p].length; w++) {
                String word = WordSet.fold(phrases[p][w]);
                hashes[p][w] = WordSet.hash(word, 0, word.length());
            }
        }
        List<String> last = new ArrayList<>();
        List<String> first = new ArrayList<>();
        for (String[] phrase : phrases) {
            last.add(phrase[phrase.length - 1]);
            first.add(phrase[0]);
        }
        this.lastWords = WordSet.of(last);
        this.firstWords = WordSet.of(first);
    }

    // The same words looked for in a narrower or wider window of tokens.
    Context window(int tokensBefore, int tokensAfter) {
        return new Context(boost, floor, phrases, tokensBefore, tokensAfter);
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
        return new Context(boost, floor, words.toArray(String[][]::new), BEFORE, AFTER);
    }

    boolean isEmpty() {
        return phrases.length == 0;
    }

    // The distance in tokens from [start, end) to the nearest phrase within the window, or -1.
    int nearest(Scan scan, int start, int end, int before, int after) {
        int best = -1;
        // distances count words: digit groups ("12 34 56") do not push context out of the window
        int b = scan.tokenEndingBefore(start);
        int limit = start;
        for (int k = b, d = 0, seen = 0; k >= 0 && d < before && seen < 3 * before; k--, seen++) {
            if (sentenceBreak(scan.text, scan.end[k], limit)) {
                break;
            }
            if (endsPhraseAt(scan, k)) {
                best = d;
                break;
            }
            if (scan.kind[k] != Scan.NUM) {
                d++;
            }
            limit = scan.start[k];
        }
        int a = scan.tokenStartingAfter(end);
        limit = end;
        for (int k = a, d = 0, seen = 0;
                k < scan.count && d < after && (best < 0 || d < best) && seen < 3 * after;
                k++, seen++) {
            if (sentenceBreak(scan.text, limit, scan.start[k])) {
                break;
            }
            if (startsPhraseAt(scan, k)) {
                best = d;
                break;
            }
            if (scan.kind[k] != Scan.NUM) {
                d++;
            }
            limit = scan.end[k];
        }
        return best;
    }

    int nearest(Scan scan, int start, int end) {
        return nearest(scan, start, end, before, after);
    }

    // 2d for a phrase d tokens before, 2d + 1 for one d tokens after (before wins a tie), or -1.
    int rank(Scan scan, int start, int end) {
        int d = nearest(scan, start, end, before, 0);
        int a = nearest(scan, start, end, 0, after);
        if (d < 0 && a < 0) {
            return -1;
        }
        if (a < 0 || (d >= 0 && 2 * d <= 2 * a + 1)) {
            return 2 * d;
        }
        return 2 * a + 1;
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
        int letters = dot - word;
        return letters == 0 || letters > 4;
    }

    // Whether a phrase ends exactly at token k / starts exactly at token k.
    boolean endsAt(Scan scan, int k) {
        return k >= 0 && k < scan.count && endsPhraseAt(scan, k);
    }

    boolean startsAt(Scan scan, int k) {
        return k >= 0 && k < scan.count && startsPhraseAt(scan, k);
    }

    private boolean endsPhraseAt(Scan scan, int k) {
        if (!lastWords.contains(scan, k)) {
            return false;
        }
        for (int p = 0; p < phrases.length; p++) {
            int first = k - phrases[p].length + 1;
            if (first >= 0 && matches(scan, first, phrases[p], hashes[p])) {
                return true;
            }
        }
        return false;
    }

    private boolean startsPhraseAt(Scan scan, int k) {
        if (!firstWords.contains(scan, k)) {
            return false;
        }
        for (int p = 0; p < phrases.length; p++) {
            if (k + phrases[p].length <= scan.count && matches(scan, k, phrases[p], hashes[p])) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(Scan scan, int first, String[] phrase, int[] hashes) {
        for (int i = 0; i < phrase.length; i++) {
            if (scan.hash(first + i) != hashes[i] || !scan.is(first + i, phrase[i])) {
                return false;
            }
        }
        return true;
    }
}
