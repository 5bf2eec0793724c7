package dev.promptforge.pii;

import java.util.Set;

// US passport numbers: nine digits, or a letter and eight digits (next generation). Context only.
final class UsPassportRecognizer extends ScanRecognizer {

    private static final Context CONTEXT = Context.shared(
            0.7, 0.75, "passport", "passport#", "passport number", "passport no", "travel document", "passport id");

    UsPassportRecognizer() {
        super("us-passport", Set.of(PiiTypes.US_PASSPORT));
    }

    @Override
    void scan(Scan scan, Sink sink) {
        String text = scan.text;
        for (int m = 0; m < scan.markCount; m++) {
            int t = scan.marks[m];
            if (scan.len(t) != 9 || scan.kind[t] == Scan.ALPHA) {
                continue;
            }
            int s = scan.start[t];
            char c0 = text.charAt(s);
            boolean shape =
                    scan.kind[t] == Scan.NUM || ((c0 >= 'A' && c0 <= 'Z') && allDigits(text, s + 1, scan.end[t]));
            if (!shape || glued(scan, t)) {
                continue;
            }
            sink.add(PiiTypes.US_PASSPORT, s, scan.end[t], 0.05, Tier.WEAK, name(), CONTEXT, true);
            scan.tick();
        }
    }

    static boolean allDigits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Scan.isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    // A token glued to another by '-', '.' or '/' is part of a longer identifier.
    static boolean glued(Scan scan, int t) {
        char before = scan.charAt(scan.start[t] - 1);
        char after = scan.charAt(scan.end[t]);
        return ((before == '-' || before == '.' || before == '/')
                        && Scan.isLetterOrDigit(scan.charAt(scan.start[t] - 2)))
                || ((after == '-' || after == '.' || after == '/')
                        && Scan.isLetterOrDigit(scan.charAt(scan.end[t] + 1)));
    }
}
