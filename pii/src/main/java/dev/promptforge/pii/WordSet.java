package dev.promptforge.pii;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/*
 * An immutable map from words to int bits (a set maps every word to 1), looked up by a slice of
 * the text or by a token of a Scan without allocating, ignoring case and accents (entries and
 * lookups are folded to lower case without combining marks).
 */
final class WordSet {

    private final String[] table;
    private final char[][] chars; // table keys as char arrays, for comparing without case folding calls
    // two longs per slot, side by side: hash << 32 | value, then the key packed into a long when it
    // has at most 8 ASCII characters (else 0); a lookup reads one cache line in the common case
    private final long[] slots;
    private final int mask;
    private int minLength = Integer.MAX_VALUE;
    private int maxLength;
    // bit c set: some entry starts with ASCII character c (folded to lower case)
    private final long[] firstChars = new long[2];

    private WordSet(Map<String, Integer> words) {
        int capacity = Integer.highestOneBit(Math.max(16, words.size() * 2)) << 1;
        table = new String[capacity];
        chars = new char[capacity][];
        slots = new long[2 * capacity];
        mask = capacity - 1;
        for (Map.Entry<String, Integer> entry : words.entrySet()) {
            String key = fold(entry.getKey());
            if (key.isEmpty()) {
                continue;
            }
            int slot = hash(key, 0, key.length()) & mask;
            while (table[slot] != null && !table[slot].equals(key)) {
                slot = (slot + 1) & mask;
            }
            if (table[slot] == null) {
                table[slot] = key;
                chars[slot] = key.toCharArray();
                slots[2 * slot] = (long) hash(key, 0, key.length()) << 32;
                slots[2 * slot + 1] = pack(chars[slot]);
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
            slots[2 * slot] |= entry.getValue() & 0xffffffffL;
        }
    }

    static WordSet of(List<String> words) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (String word : words) {
            map.put(word, 1);
        }
        return new WordSet(map);
    }

    // Words with bits; a word listed under several bits gets their union.
    static WordSet ofBits(Map<String, Integer> words) {
        return new WordSet(words);
    }

    // One word per line; blank lines and lines starting with '#' are skipped.
    static List<String> lines(String resource) {
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
        return words;
    }

    static WordSet load(String resource) {
        return of(lines(resource));
    }

    boolean contains(Scan scan, int t) {
        return get(scan, t) != 0;
    }

    boolean contains(String word) {
        return get(word, 0, word.length()) != 0;
    }

    boolean contains(String text, int start, int end) {
        return get(text, start, end) != 0;
    }

    // The bits of token t of the scan, or 0; uses the scan's hash and folded form of the token.
    int get(Scan scan, int t) {
        int s = scan.start[t];
        int e = scan.end[t];
        int length = e - s;
        if (length < minLength || length > maxLength) {
            return 0;
        }
        if (!scan.has(t, Scan.ASCII_ONLY)) {
            return getFolded(scan.folded(t), scan.hash(t));
        }
        char c = scan.chars[s];
        if (c >= 'A' && c <= 'Z') {
            c = (char) (c + 32);
        }
        if ((firstChars[c >> 6] & (1L << c)) == 0) {
            return 0;
        }
        int hash = scan.hash(t);
        int slot = hash & mask;
        char[] text = scan.chars;
        long packed = scan.packed[t];
        for (long meta = slots[2 * slot]; meta != 0; meta = slots[2 * (slot = (slot + 1) & mask)]) {
            if ((int) (meta >>> 32) == hash) {
                if (packed != 0) {
                    if (slots[2 * slot + 1] == packed) {
                        return (int) meta;
                    }
                } else {
                    char[] key = chars[slot];
                    if (key.length == length && sameFolded(key, text, s)) {
                        return (int) meta;
                    }
                }
            }
        }
        return 0;
    }

    // Up to 8 ASCII characters in a long (their count is implied: no character is 0), else 0.
    private static long pack(char[] key) {
        if (key.length > 8) {
            return 0;
        }
        long v = 0;
        for (char c : key) {
            if (c >= 128 || c == 0) {
                return 0;
            }
            v = v << 8 | c;
        }
        return v;
    }

    // key (lower case ASCII) equals text[s, s + key.length) with A-Z folded.
    private static boolean sameFolded(char[] key, char[] text, int s) {
        for (int i = 0; i < key.length; i++) {
            char c = text[s + i];
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + 32);
            }
            if (c != key[i]) {
                return false;
            }
        }
        return true;
    }

    // The bits of text[start, end), or 0.
    int get(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            if (text.charAt(i) >= 128) {
                String key = fold(text.substring(start, end));
                return getFolded(key, hash(key, 0, key.length()));
            }
        }
        int length = end - start;
        if (length < minLength || length > maxLength) {
            return 0;
        }
        int slot = hash(text, start, end) & mask;
        for (String key = table[slot]; key != null; key = table[slot = (slot + 1) & mask]) {
            if (key.length() == length && key.regionMatches(true, 0, text, start, length)) {
                return (int) slots[2 * slot];
            }
        }
        return 0;
    }

    private int getFolded(String key, int hash) {
        int slot = hash & mask;
        for (String k = table[slot]; k != null; k = table[slot = (slot + 1) & mask]) {
            if (k.equals(key)) {
                return (int) slots[2 * slot];
            }
        }
        return 0;
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

    // fold of each character from U+00C0 to U+017F (Latin-1 Supplement, Latin Extended-A) when it
    // folds to one character, else 0; computed from slowFold, so both give the same result
    private static final char[] LATIN = new char[0x180 - 0xC0];

    static {
        for (char c = 0xC0; c < 0x180; c++) {
            String folded = slowFold(String.valueOf(c));
            LATIN[c - 0xC0] = folded.length() == 1 ? folded.charAt(0) : 0;
        }
    }

    static String fold(String word) {
        char[] out = new char[word.length()];
        for (int i = 0; i < out.length; i++) {
            char c = word.charAt(i);
            if (c < 128) {
                out[i] = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
            } else if (c == '\u2019') {
                out[i] = '\'';
            } else if (c >= 0xC0 && c < 0x180 && LATIN[c - 0xC0] != 0) {
                out[i] = LATIN[c - 0xC0];
            } else {
                return slowFold(word);
            }
        }
        return new String(out);
    }

    private static String slowFold(String word) {
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
