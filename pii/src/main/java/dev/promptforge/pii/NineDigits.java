package dev.promptforge.pii;

/*
 * A nine-digit number starting at a group of a chunk, written 3-2-4 with one separator or as one
 * group: the shape of US SSNs and ITINs. The groups around it must not continue it.
 */
record NineDigits(int last, char separator) {

    static NineDigits at(Scan scan, Chunks chunks, int chunk, int a) {
        int first = chunks.first[chunk];
        int lastOfChunk = chunks.last[chunk];
        if (scan.len(a) == 9) {
            if (joinedByNumberSeparator(chunks, first, a, lastOfChunk, a)) {
                return null;
            }
            return new NineDigits(a, (char) 0);
        }
        if (a + 2 > lastOfChunk || scan.len(a) != 3 || scan.len(a + 1) != 2 || scan.len(a + 2) != 4) {
            return null;
        }
        char sep = chunks.separator(a);
        if ((sep != '-' && sep != ' ' && sep != '.') || chunks.separator(a + 1) != sep) {
            return null;
        }
        if ((a > first && chunks.separator(a - 1) == sep) || (a + 2 < lastOfChunk && chunks.separator(a + 2) == sep)) {
            return null;
        }
        return new NineDigits(a + 2, sep);
    }

    // A lone group glued to a neighbour by '-' or '.' is part of a longer identifier.
    private static boolean joinedByNumberSeparator(Chunks chunks, int first, int a, int lastOfChunk, int b) {
        if (a > first) {
            char s = chunks.separator(a - 1);
            if (s == '-' || s == '.' || s == '/') {
                return true;
            }
        }
        if (b < lastOfChunk) {
            char s = chunks.separator(b);
            return s == '-' || s == '.' || s == '/';
        }
        return false;
    }
}
