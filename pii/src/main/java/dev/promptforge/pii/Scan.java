package dev.promptforge.pii;

import java.time.Duration;
import java.util.Arrays;

/*
 * One pass over the text that every built-in recognizer shares: word tokens (runs of letters and
 * digits; letters joined by an apostrophe or a hyphen stay one token) with their shape, the
 * positions of '@' and ':', and, on demand, runs of digit groups ("chunks").
 */
final class Scan {

    static final byte ALPHA = 1;
    static final byte NUM = 2;
    static final byte MIXED = 3;

    // Shape flags of a token.
    static final int UPPER_INITIAL = 1; // first character is an upper-case letter
    static final int ALL_UPPER = 2; // every letter is upper case (at least one letter)
    static final int REST_LOWER = 4; // every letter after the first is lower case
    static final int JOINED = 8; // contains an apostrophe or a hyphen
    static final int ASCII_ONLY = 16;

    private static final byte OTHER = 0;
    private static final byte DIGIT = 1;
    private static final byte UPPER = 2;
    private static final byte LOWER = 3;
    private static final byte[] ASCII = new byte[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            ASCII[c] = DIGIT;
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            ASCII[c] = UPPER;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            ASCII[c] = LOWER;
        }
    }

    final String text;
    final char[] chars; // the text once as an array: plain array reads in the hot loops
    final int length;
    int[] start;
    int[] end;
    byte[] kind;
    byte[] flags;
    int count;
    // tokens that are not plain lower-case words (numbers, letter-digit mixes, capitalized words), in
    // order: most recognizers only look at these
    int[] marks;
    int markCount;
    int[] ats = NONE;
    int atCount;
    int[] colons = NONE;
    int colonCount;
    private static final int[] NONE = new int[0];
    private char[] digits; // scratch buffer for recognizers, see digits()

    private final long deadline;
    private final Duration budget;
    private int ticks;
    private Chunks chunks;
    byte[] personKinds; // PersonRecognizer's memo of token kinds, per analysis
    private int[] contextLast; // memo of Context.lastBits per token
    private int[] contextFirst; // memo of Context.firstBits per token
    int[] personBits; // PersonRecognizer's memo of word-list bits, per analysis
    private int[] hashes; // WordSet hashes of the tokens, computed while tokenizing
    // the tokens of at most 8 ASCII characters folded to lower case and packed as WordSet packs its
    // keys (else 0), computed while tokenizing: one long comparison per word-list lookup
    long[] packed;
    private java.util.BitSet claimed;

    Scan(String text, Duration budget) {
        this.text = text;
        this.chars = text.toCharArray();
        this.length = chars.length;
        this.budget = budget;
        this.deadline = budget == null ? Long.MAX_VALUE : System.nanoTime() + budget.toNanos();
        int capacity = 16 + length / 4;
        start = new int[capacity];
        end = new int[capacity];
        kind = new byte[capacity];
        flags = new byte[capacity];
        hashes = new int[capacity];
        packed = new long[capacity];
        marks = new int[16 + length / 16];
        tokenize();
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isLetter(char c) {
        return c < 128 ? ASCII[c] >= UPPER : Character.isLetter(c);
    }

    static boolean isLetterOrDigit(char c) {
        return c < 128 ? ASCII[c] != OTHER : Character.isLetter(c);
    }

    static boolean isUpper(char c) {
        return c < 128 ? ASCII[c] == UPPER : Character.isUpperCase(c);
    }

    static boolean isLower(char c) {
        return c < 128 ? ASCII[c] == LOWER : Character.isLowerCase(c);
    }

    private static final int SEEN_LETTER = 1;
    private static final int SEEN_DIGIT = 2;
    private static final int SEEN_LOWER = 4;
    private static final int SEEN_UPPER_AFTER_FIRST = 8;
    private static final int SEEN_JOIN = 16;
    private static final int SEEN_NON_ASCII = 32;
    private static final int SEEN_UNCASED = 64;

    private void tokenize() {
        final char[] t = chars;
        final int n = length;
        int i = 0;
        while (i < n) {
            char c = t[i];
            if (c < 128 ? ASCII[c] == OTHER : !Character.isLetter(c)) {
                if (c == '@') {
                    ats = push(ats, atCount++, i);
                } else if (c == ':') {
                    colons = push(colons, colonCount++, i);
                }
                i++;
                continue;
            }
            int s = i;
            int seen = 0;
            int h = 0; // WordSet.hash of the token, folded to lower case, computed on the way
            long p = 0; // the folded characters packed, while there are at most 8
            boolean upperInitial = isUpper(c);
            while (true) {
                if (c < 128) {
                    byte cls = ASCII[c];
                    if (cls == LOWER) {
                        seen |= SEEN_LETTER | SEEN_LOWER;
                        h = 31 * h + c;
                        p = p << 8 | c;
                    } else if (cls == UPPER) {
                        seen |= i > s ? SEEN_LETTER | SEEN_UPPER_AFTER_FIRST : SEEN_LETTER;
                        h = 31 * h + c + 32;
                        p = p << 8 | (c + 32);
                    } else if (cls == DIGIT) {
                        seen |= SEEN_DIGIT;
                        h = 31 * h + c;
                        p = p << 8 | c;
                    } else if ((c == '\'' || c == '-')
                            && (seen & (SEEN_LETTER | SEEN_DIGIT)) == SEEN_LETTER
                            && i + 1 < n
                            && isLetter(t[i + 1])) {
                        seen |= SEEN_JOIN;
                        h = 31 * h + c;
                        p = p << 8 | c;
                    } else {
                        break;
                    }
                } else if (Character.isLetter(c)) {
                    seen |= SEEN_LETTER | SEEN_NON_ASCII;
                    if (Character.isUpperCase(c)) {
                        if (i > s) {
                            seen |= SEEN_UPPER_AFTER_FIRST;
                        }
                    } else if (Character.isLowerCase(c)) {
                        seen |= SEEN_LOWER;
                    } else {
                        seen |= SEEN_UNCASED; // CJK, Arabic, ...: neither upper nor lower case
                    }
                } else if (c == '\u2019'
                        && (seen & (SEEN_LETTER | SEEN_DIGIT)) == SEEN_LETTER
                        && i + 1 < n
                        && isLetter(t[i + 1])) {
                    seen |= SEEN_JOIN | SEEN_NON_ASCII;
                } else {
                    break;
                }
                if (++i >= n) {
                    break;
                }
                c = t[i];
            }
            boolean letters = (seen & SEEN_LETTER) != 0;
            add(
                    s,
                    i,
                    letters,
                    (seen & SEEN_DIGIT) != 0,
                    upperInitial,
                    letters && (seen & (SEEN_LOWER | SEEN_UNCASED)) == 0,
                    (seen & (SEEN_UPPER_AFTER_FIRST | SEEN_UNCASED)) == 0,
                    (seen & SEEN_JOIN) != 0,
                    (seen & SEEN_NON_ASCII) == 0);
            hashes[count - 1] = (h ^ (h >>> 16)) | 1;
            // shifted out past 8 characters, so only a short ASCII token keeps its packed form
            packed[count - 1] = i - s <= 8 && (seen & SEEN_NON_ASCII) == 0 ? p : 0;
            if ((++ticks & 1023) == 0) {
                checkDeadline();
            }
        }
    }

    private void add(
            int s,
            int e,
            boolean letters,
            boolean digits,
            boolean upperInitial,
            boolean allUpper,
            boolean restLower,
            boolean joined,
            boolean ascii) {
        if (count == start.length) {
            int capacity = count * 2;
            start = Arrays.copyOf(start, capacity);
            end = Arrays.copyOf(end, capacity);
            kind = Arrays.copyOf(kind, capacity);
            flags = Arrays.copyOf(flags, capacity);
            hashes = Arrays.copyOf(hashes, capacity);
            packed = Arrays.copyOf(packed, capacity);
        }
        start[count] = s;
        end[count] = e;
        kind[count] = letters ? (digits ? MIXED : ALPHA) : NUM;
        int f = 0;
        if (upperInitial) {
            f |= UPPER_INITIAL;
        }
        if (allUpper) {
            f |= ALL_UPPER;
        }
        if (restLower) {
            f |= REST_LOWER;
        }
        if (joined) {
            f |= JOINED;
        }
        if (ascii) {
            f |= ASCII_ONLY;
        }
        flags[count] = (byte) f;
        if (!letters || digits || upperInitial) {
            if (markCount == marks.length) {
                marks = Arrays.copyOf(marks, markCount * 2);
            }
            marks[markCount++] = count;
        }
        count++;
    }

    private static int[] push(int[] array, int index, int value) {
        int[] a = index == array.length ? Arrays.copyOf(array, Math.max(8, index * 2)) : array;
        a[index] = value;
        return a;
    }

    // Throws {@link PiiTimeoutException} once the budget is spent. Cheap: call it in loops.
    void checkDeadline() {
        if (deadline != Long.MAX_VALUE && System.nanoTime() > deadline) {
            throw new PiiTimeoutException(budget);
        }
    }

    // Calls {@link #checkDeadline()} every 256th time.
    void tick() {
        if ((++ticks & 255) == 0) {
            checkDeadline();
        }
    }

    private String[] folded; // WordSet.fold of non-ASCII tokens, computed on demand

    // The WordSet hash of token t (of its folded form for a non-ASCII token).
    int hash(int t) {
        if ((flags[t] & ASCII_ONLY) == 0) {
            folded(t);
        }
        return hashes[t];
    }

    // Token t folded to lower case without accents, cached; for non-ASCII tokens.
    String folded(int t) {
        if (folded == null) {
            folded = new String[count];
        }
        String f = folded[t];
        if (f == null) {
            f = WordSet.fold(text.substring(start[t], end[t]));
            folded[t] = f;
            hashes[t] = WordSet.hash(f, 0, f.length());
        }
        return f;
    }

    int len(int token) {
        return end[token] - start[token];
    }

    boolean has(int token, int flag) {
        return (flags[token] & flag) != 0;
    }

    // The index of the last token ending at or before {@code pos}, or -1.
    int tokenEndingBefore(int pos) {
        int lo = 0;
        int hi = count - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (end[mid] <= pos) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    // The index of the first token starting at or after {@code pos}, or {@link #count}.
    int tokenStartingAfter(int pos) {
        int lo = 0;
        int hi = count - 1;
        int found = count;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (start[mid] >= pos) {
                found = mid;
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        return found;
    }

    // Whether token {@code token} equals {@code word} ignoring case ({@code word} is lower case).
    boolean is(int token, String word) {
        int s = start[token];
        int n = end[token] - s;
        if (n != word.length()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = chars[s + i];
            char w = word.charAt(i);
            if (c != w && Character.toLowerCase(c) != w) {
                return false;
            }
        }
        return true;
    }

    // Whether the characters between tokens {@code a} and {@code a + 1} are exactly {@code gap}.
    boolean gapIs(int a, String gap) {
        int s = end[a];
        int n = start[a + 1] - s;
        if (n != gap.length()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (chars[s + i] != gap.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    int gapLength(int a) {
        return start[a + 1] - end[a];
    }

    char charAt(int index) {
        return index >= 0 && index < length ? chars[index] : '\0';
    }

    // Marks [s, e) as taken by a checksum-validated entity, so costlier recognizers can skip it.
    void claim(int s, int e) {
        if (claimed == null) {
            claimed = new java.util.BitSet(length);
        }
        claimed.set(s, e);
    }

    boolean isClaimed(int s, int e) {
        if (claimed == null) {
            return false;
        }
        int next = claimed.nextSetBit(s);
        return next >= 0 && next < e;
    }

    int contextLast(int t) {
        if (contextLast == null) {
            contextLast = new int[count];
        }
        int v = contextLast[t];
        if (v == 0) {
            v = Context.lastBits(this, t) | Integer.MIN_VALUE;
            contextLast[t] = v;
        }
        return v;
    }

    int contextFirst(int t) {
        if (contextFirst == null) {
            contextFirst = new int[count];
        }
        int v = contextFirst[t];
        if (v == 0) {
            v = Context.firstBits(this, t) | Integer.MIN_VALUE;
            contextFirst[t] = v;
        }
        return v;
    }

    // A scratch buffer of at least 32 characters for copying digits; recognizers run one at a time.
    char[] digits() {
        if (digits == null) {
            digits = new char[32];
        }
        return digits;
    }

    Chunks chunks() {
        if (chunks == null) {
            chunks = new Chunks(this);
        }
        return chunks;
    }
}
