package dev.promptforge.pii;

import java.util.Arrays;

/*
 * Runs of digit-only tokens separated by one separator (space, '-', '.', '/', no-break space) or by
 * the parentheses of a phone area code: "4111 1111 1111 1111", "123-45-6789", "+1 (415) 555-2671",
 * "10.0.0.1/24". Each token of a chunk is one digit group; recognizers look at windows of groups.
 */
final class Chunks {

    final Scan scan;
    int[] first = new int[4];
    int[] last = new int[4];
    int count;

    Chunks(Scan scan) {
        this.scan = scan;
        int n = scan.count;
        byte[] kind = scan.kind;
        for (int t = 0; t < n; t++) {
            if (kind[t] != Scan.NUM) {
                continue;
            }
            int f = t;
            while (t + 1 < n && kind[t + 1] == Scan.NUM && joins(t)) {
                t++;
            }
            if (count == first.length) {
                first = Arrays.copyOf(first, count * 2);
                last = Arrays.copyOf(last, count * 2);
            }
            first[count] = f;
            last[count] = t;
            count++;
            scan.tick();
        }
    }

    private boolean joins(int t) {
        int s = scan.end[t];
        int gap = scan.start[t + 1] - s;
        String text = scan.text;
        if (gap == 1) {
            char c = text.charAt(s);
            return c == ' ' || c == '-' || c == '.' || c == '/' || c == '\u00a0' || c == ')' || c == '(';
        }
        if (gap == 2) {
            char a = text.charAt(s);
            char b = text.charAt(s + 1);
            return (a == ')' && (b == ' ' || b == '-' || b == '.')) || (a == ' ' && b == '(');
        }
        return false;
    }

    // The single separator character between group tokens {@code t} and {@code t + 1}, or 0.
    char separator(int t) {
        int s = scan.end[t];
        return scan.start[t + 1] - s == 1 ? scan.text.charAt(s) : 0;
    }

    // Whether every separator between tokens {@code a..b} is the same single character.
    boolean uniformSeparator(int a, int b) {
        if (a == b) {
            return true;
        }
        char sep = separator(a);
        if (sep == 0 || sep == '(' || sep == ')') {
            return false;
        }
        for (int t = a + 1; t < b; t++) {
            if (separator(t) != sep) {
                return false;
            }
        }
        return true;
    }

    // The number of digits in tokens {@code a..b}.
    int digitCount(int a, int b) {
        int n = 0;
        for (int t = a; t <= b; t++) {
            n += scan.end[t] - scan.start[t];
        }
        return n;
    }

    // Copies the digits of tokens {@code a..b} into {@code out}; returns how many, or -1 if too many.
    int digits(int a, int b, char[] out) {
        int n = 0;
        String text = scan.text;
        for (int t = a; t <= b; t++) {
            int s = scan.start[t];
            int e = scan.end[t];
            if (n + e - s > out.length) {
                return -1;
            }
            text.getChars(s, e, out, n);
            n += e - s;
        }
        return n;
    }

    // Whether tokens a..b are glued to a letter-digit token by '-', '.' or '/' (part of "Q292-9236-0758").
    boolean gluedOutside(int a, int b) {
        int before = scan.start[a] - 1;
        int after = scan.end[b];
        char x = scan.charAt(before);
        char y = scan.charAt(after);
        return ((x == '-' || x == '.' || x == '/') && Scan.isLetterOrDigit(scan.charAt(before - 1)))
                || ((y == '-' || y == '/') && Scan.isLetterOrDigit(scan.charAt(after + 1)));
    }

    // Whether the characters just outside tokens {@code a..b} continue the number ("1.2.3" in "1.2.3.4").
    boolean extendsBeyond(int a, int b, char sep) {
        int before = scan.start[a] - 1;
        int after = scan.end[b];
        return (scan.charAt(before) == sep && Scan.isLetterOrDigit(scan.charAt(before - 1)))
                || (scan.charAt(after) == sep && Scan.isLetterOrDigit(scan.charAt(after + 1)));
    }
}
