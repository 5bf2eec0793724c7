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

    // declared first: the shared contexts below (NEGATIVE) register in it while the class initializes
    private static final List<Context> SHARED = new ArrayList<>();
    private static boolean frozen;

    static final int BEFORE = 6;
    static final int AFTER = 3;

    // Words that make a number an identifier of something other than a person.
    static final Context NEGATIVE = Context.shared(
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
    // phrase indices sorted by the hash of their last word / of their first word
    private final int[] byLast;
    private final int[] byFirst;
    private final int before;
    private final int after;
    // the last and the first words of the phrases: one lookup rules out most tokens
    private final WordSet lastWords;
    private final WordSet firstWords;
    // Built-in contexts share one table from a word to the contexts it ends (or starts) a phrase of,
    // memoized per token in the Scan: one lookup per window token instead of one per context.
    private final int id;

    private static final class Shared {
        static final WordSet LAST;
        static final WordSet FIRST;

        static {
            synchronized (Context.class) {
                frozen = true;
                java.util.Map<String, Integer> last = new java.util.HashMap<>();
                java.util.Map<String, Integer> first = new java.util.HashMap<>();
                for (Context context : SHARED) {
                    for (String[] phrase : context.phrases) {
                        last.merge(WordSet.fold(phrase[phrase.length - 1]), 1 << context.id, (a, b) -> a | b);
                        first.merge(WordSet.fold(phrase[0]), 1 << context.id, (a, b) -> a | b);
                    }
                }
                LAST = WordSet.ofBits(last);
                FIRST = WordSet.ofBits(first);
            }
        }
    }

    static int lastBits(Scan scan, int t) {
        return Shared.LAST.get(scan, t);
    }

    static int firstBits(Scan scan, int t) {
        return Shared.FIRST.get(scan, t);
    }

    private Context(double boost, double floor, String[][] phrases, int before, int after, int id) {
        this.id = id;
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
        Integer[] byLastWord = new Integer[phrases.length];
        Integer[] byFirstWord = new Integer[phrases.length];
        for (int p = 0; p < phrases.length; p++) {
            byLastWord[p] = p;
            byFirstWord[p] = p;
        }
        java.util.Arrays.sort(byLastWord, java.util.Comparator.comparingInt(p -> hashes[p][hashes[p].length - 1]));
        java.util.Arrays.sort(byFirstWord, java.util.Comparator.comparingInt(p -> hashes[p][0]));
        this.byLast =
                java.util.Arrays.stream(byLastWord).mapToInt(Integer::intValue).toArray();
        this.byFirst =
                java.util.Arrays.stream(byFirstWord).mapToInt(Integer::intValue).toArray();
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
        return new Context(boost, floor, phrases, tokensBefore, tokensAfter, id);
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
        return new Context(boost, floor, words.toArray(String[][]::new), BEFORE, AFTER, -1);
    }

    // A context of a built-in recognizer, created once: it joins the shared word table if created
    // before the first analysis (up to 31 of them), else it works on its own like any other.
    static Context shared(double boost, double floor, String... phrases) {
        Context own = of(boost, floor, phrases);
        synchronized (Context.class) {
            if (frozen || SHARED.size() >= 31) {
                return own;
            }
            Context context = new Context(boost, floor, own.phrases, BEFORE, AFTER, SHARED.size());
            SHARED.add(context);
            return context;
        }
    }

    boolean isEmpty() {
        return phrases.length == 0;
    }

    // The distance in tokens from [start, end) to the nearest phrase within the window, or -1.
    int nearest(Scan scan, int start, int end, int before, int after) {
        int best = -1;
        // distances count words: digit groups ("12 34 56") do not push context out of the window
        int b = before > 0 ? scan.tokenEndingBefore(start) : -1; // no search for an empty window
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
        int a = after > 0 ? scan.tokenStartingAfter(end) : scan.count;
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
        if (id >= 0 ? (scan.contextLast(k) & (1 << id)) == 0 : !lastWords.contains(scan, k)) {
            return false;
        }
        int hash = scan.hash(k);
        for (int i = firstWithHash(byLast, hash, true); i < byLast.length; i++) {
            int p = byLast[i];
            if (hashes[p][hashes[p].length - 1] != hash) {
                break;
            }
            int first = k - phrases[p].length + 1;
            if (first >= 0 && matches(scan, first, phrases[p], hashes[p])) {
                return true;
            }
        }
        return false;
    }

    private boolean startsPhraseAt(Scan scan, int k) {
        if (id >= 0 ? (scan.contextFirst(k) & (1 << id)) == 0 : !firstWords.contains(scan, k)) {
            return false;
        }
        int hash = scan.hash(k);
        for (int i = firstWithHash(byFirst, hash, false); i < byFirst.length; i++) {
            int p = byFirst[i];
            if (hashes[p][0] != hash) {
                break;
            }
            if (k + phrases[p].length <= scan.count && matches(scan, k, phrases[p], hashes[p])) {
                return true;
            }
        }
        return false;
    }

    // The first position in `order` whose phrase's last (or first) word has this hash, or order.length.
    private int firstWithHash(int[] order, int hash, boolean last) {
        int lo = 0;
        int hi = order.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int[] h = hashes[order[mid]];
            if ((last ? h[h.length - 1] : h[0]) < hash) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
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
