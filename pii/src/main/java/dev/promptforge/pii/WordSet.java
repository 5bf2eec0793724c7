package dev.promptforge.pii;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/*
 * An immutable set of words looked up by a slice of the text without allocating, ignoring case and
 * accents (entries and lookups are folded to lower case without combining marks).
 */
final class WordSet {

    private final String[] table;
    private final int mask;
    private final int size;
    private int minLength = Integer.MAX_VALUE;
    private int maxLength;
    // bit c set: some entry starts with ASCII character c (folded to lower case)
    private final long[] firstChars = new long[2];

    private WordSet(List<String> words) {
        int capacity = Integer.highestOneBit(Math.max(16, words.size() * 3)) << 1;
        table = new String[capacity];
        mask = capacity - 1;
        int n = 0;
        for (String word : words) {
            String key = fold(word);
            if (key.isEmpty()) {
                continue;
            }
            int slot = hash(key, 0, key.length()) & mask;
            while (table[slot] != null && !table[slot].equals(key)) {
                slot = (slot + 1) & mask;
            }
            if (table[slot] == null) {
                table[slot] = key;
                n++;
                minLength = Math.min(minLength, key.length());
                maxLength = Math.max(maxLength, key.length());
                char c = key.charAt(0);
                if (c < 128) {
                    firstChars[c >> 6] |= 1L << c;
                } else {
                    firstChars[0] = -1L;
                    firstChars[1] = -1L;
                }
            }
        }
        size = n;
    }

    static WordSet of(List<String> words) {
        return new WordSet(words);
    }

    // One word per line; blank lines and lines starting with '#' are skipped.
    static WordSet load(String resource) {
        List<String> words = new ArrayList<>();
        try (InputStream in = WordSet.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String word = line.strip();
                if (!word.isEmpty() && !word.startsWith("#")) {
                    words.add(word);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        return new WordSet(words);
    }

    int size() {
        return size;
    }

    // Whether token t of the scan is in the set; uses the scan's cached hash of ASCII tokens.
    boolean contains(Scan scan, int t) {
        int s = scan.start[t];
        int e = scan.end[t];
        int length = e - s;
        if (length < minLength || length > maxLength) {
            return false;
        }
        if (!scan.has(t, Scan.ASCII_ONLY)) {
            String key = scan.folded(t);
            int slot = scan.hash(t) & mask;
            for (String k = table[slot]; k != null; k = table[slot = (slot + 1) & mask]) {
                if (k.equals(key)) {
                    return true;
                }
            }
            return false;
        }
        char c = scan.text.charAt(s);
        if (c >= 'A' && c <= 'Z') {
            c = (char) (c + 32);
        }
        if ((firstChars[c >> 6] & (1L << c)) == 0) {
            return false;
        }
        int slot = scan.hash(t) & mask;
        for (String key = table[slot]; key != null; key = table[slot = (slot + 1) & mask]) {
            if (key.length() == length && key.regionMatches(true, 0, scan.text, s, length)) {
                return true;
            }
        }
        return false;
    }

    boolean contains(String word) {
        return contains(word, 0, word.length());
    }

    boolean contains(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            if (text.charAt(i) >= 128) {
                return containsFolded(fold(text.substring(start, end)));
            }
        }
        int slot = hash(text, start, end) & mask;
        int length = end - start;
        for (String key = table[slot]; key != null; key = table[slot = (slot + 1) & mask]) {
            if (key.length() == length && key.regionMatches(true, 0, text, start, length)) {
                return true;
            }
        }
        return false;
    }

    private boolean containsFolded(String key) {
        int slot = hash(key, 0, key.length()) & mask;
        for (String k = table[slot]; k != null; k = table[slot = (slot + 1) & mask]) {
            if (k.equals(key)) {
                return true;
            }
        }
        return false;
    }

    static int hash(String s, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + 32);
            }
            h = 31 * h + c;
        }
        return (h ^ (h >>> 16)) | 1; // never 0, so Scan can cache it
    }

    static String fold(String word) {
        String lower = word.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
        boolean ascii = true;
        for (int i = 0; i < lower.length() && ascii; i++) {
            ascii = lower.charAt(i) < 128;
        }
        if (ascii) {
            return lower;
        }
        String decomposed = Normalizer.normalize(lower, Normalizer.Form.NFD);
        StringBuilder b = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); i++) {
            char c = decomposed.charAt(i);
            if (Character.getType(c) != Character.NON_SPACING_MARK) {
                b.append(c);
            }
        }
        // letters without a decomposition
        return b.toString()
                .replace('ł', 'l')
                .replace('ø', 'o')
                .replace('đ', 'd')
                .replace('ß', 's')
                .replace('ı', 'i');
    }
}
