package dev.promptforge.pii;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

// Whole-word, case-insensitive occurrences of listed words and phrases; an explicit list is certain.
final class DenyListRecognizer extends ScanRecognizer {

    private final String type;
    // first token (lower case) -> entries starting with it; an entry is its tokens and the gaps between
    private final Map<String, List<String[][]>> entries = new HashMap<>();
    private int maxFirstLength;

    DenyListRecognizer(String name, String type, List<String> words) {
        super(name, Set.of(type));
        this.type = type;
        for (String word : words) {
            if (word == null) {
                throw new IllegalArgumentException("deny list of recognizer '" + name + "' contains null");
            }
            Scan scan = new Scan(word, null);
            if (scan.count == 0) {
                throw new IllegalArgumentException(
                        "deny list entry '" + word + "' of recognizer '" + name + "' has no letter or digit");
            }
            String[] tokens = new String[scan.count];
            String[] gaps = new String[scan.count - 1];
            for (int t = 0; t < scan.count; t++) {
                tokens[t] = word.substring(scan.start[t], scan.end[t]).toLowerCase(Locale.ROOT);
                if (t > 0) {
                    gaps[t - 1] = word.substring(scan.end[t - 1], scan.start[t]);
                }
            }
            entries.computeIfAbsent(tokens[0], k -> new ArrayList<>()).add(new String[][] {tokens, gaps});
            maxFirstLength = Math.max(maxFirstLength, tokens[0].length());
        }
    }

    @Override
    void scan(Scan scan, Sink sink) {
        String text = scan.text;
        for (int t = 0; t < scan.count; t++) {
            if (scan.len(t) > maxFirstLength) {
                continue;
            }
            List<String[][]> candidates =
                    entries.get(text.substring(scan.start[t], scan.end[t]).toLowerCase(Locale.ROOT));
            if (candidates == null) {
                continue;
            }
            int best = -1;
            for (String[][] entry : candidates) {
                int last = match(scan, t, entry[0], entry[1]);
                if (last > best) {
                    best = last;
                }
            }
            if (best >= 0) {
                sink.add(type, scan.start[t], scan.end[best], 1.0, Tier.VALIDATED, name(), null, false);
                t = best;
            }
            scan.tick();
        }
    }

    // The last token index of a match of the entry starting at token t, or -1.
    private static int match(Scan scan, int t, String[] tokens, String[] gaps) {
        if (t + tokens.length > scan.count) {
            return -1;
        }
        for (int i = 1; i < tokens.length; i++) {
            int k = t + i;
            if (!scan.is(k, tokens[i]) || !gapMatches(scan, k - 1, gaps[i - 1])) {
                return -1;
            }
        }
        return t + tokens.length - 1;
    }

    private static boolean gapMatches(Scan scan, int a, String gap) {
        if (scan.gapIs(a, gap)) {
            return true;
        }
        if (!gap.isBlank()) {
            return false;
        }
        int s = scan.end[a];
        int e = scan.start[a + 1];
        for (int i = s; i < e; i++) {
            if (!Character.isWhitespace(scan.text.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
