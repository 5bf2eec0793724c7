package dev.promptforge.pii;

import java.util.Set;

// 13 to 19 digits, whole or in groups of 3+ with one separator, Luhn-valid, in a known issuer range.
final class CreditCardRecognizer extends ScanRecognizer {

    private static final Context CONTEXT = Context.shared(
            0.1,
            0.0,
            "credit",
            "card",
            "visa",
            "mastercard",
            "amex",
            "discover",
            "cc",
            "debit",
            "payment",
            "pan",
            "cardholder");

    CreditCardRecognizer() {
        super("credit-card", Set.of(PiiTypes.CREDIT_CARD));
    }

    @Override
    void scan(Scan scan, Sink sink) {
        Chunks chunks = scan.chunks();
        char[] digits = scan.digits();
        for (int c = 0; c < chunks.count; c++) {
            int last = chunks.last[c];
            for (int a = chunks.first[c]; a <= last; a++) {
                int found = -1;
                int reach = a;
                int total = scan.len(a);
                while (reach < last && total + scan.len(reach + 1) <= 19) {
                    reach++;
                    total += scan.len(reach);
                }
                for (int b = reach; b >= a; b--) {
                    int n = chunks.digitCount(a, b);
                    if (n < 13 || n > 19) {
                        continue;
                    }
                    if (!groupsLookLikeCard(scan, chunks, chunks.first[c], last, a, b)) {
                        continue;
                    }
                    chunks.digits(a, b, digits);
                    if (Checksums.luhn(digits, n) && issuer(digits, n)) {
                        found = b;
                        break;
                    }
                }
                if (found >= 0) {
                    scan.claim(scan.start[a], scan.end[found]);
                    sink.add(
                            PiiTypes.CREDIT_CARD,
                            scan.start[a],
                            scan.end[found],
                            1.0,
                            Tier.VALIDATED,
                            name(),
                            CONTEXT,
                            true);
                    a = found;
                }
            }
            scan.tick();
        }
    }

    private static boolean groupsLookLikeCard(Scan scan, Chunks chunks, int first, int last, int a, int b) {
        // not a piece of a longer identifier joined by '-', '.' or '/'
        if (a > first && isJoiner(chunks.separator(a - 1))) {
            return false;
        }
        if (b < last && isJoiner(chunks.separator(b))) {
            return false;
        }
        if (a == b) {
            return true;
        }
        if (!chunks.uniformSeparator(a, b)) {
            return false;
        }
        char sep = chunks.separator(a);
        if ((a > first && chunks.separator(a - 1) == sep) || (b < last && chunks.separator(b) == sep)) {
            return false; // four groups out of a longer run of groups (a tracking number)
        }
        if (sep != ' ' && sep != '-' && sep != '\u00a0') {
            return false;
        }
        for (int t = a; t <= b; t++) {
            if (scan.len(t) < 3 || scan.len(t) > 6) {
                return false;
            }
        }
        return true;
    }

    private static boolean isJoiner(char c) {
        return c == '-' || c == '.' || c == '/';
    }

    static boolean issuer(char[] d, int n) {
        int p1 = d[0] - '0';
        int p2 = p1 * 10 + (d[1] - '0');
        int p3 = p2 * 10 + (d[2] - '0');
        int p4 = p3 * 10 + (d[3] - '0');
        int p6 = p4 * 100 + (d[4] - '0') * 10 + (d[5] - '0');
        if (p1 == 4) { // Visa (13-digit numbers are no longer issued)
            return n == 16 || n == 19;
        }
        if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) { // Mastercard
            return n == 16;
        }
        if (p2 == 34 || p2 == 37) { // American Express
            return n == 15;
        }
        if (p4 >= 2200 && p4 <= 2204) { // Mir
            return n >= 16;
        }
        if ((p3 >= 300 && p3 <= 305) || p4 == 3095 || p2 == 36 || p2 == 38 || p2 == 39) { // Diners Club
            return n >= 14;
        }
        if (n < 16) {
            return false;
        }
        return p4 == 6011 // Discover
                || (p3 >= 644 && p3 <= 649)
                || p2 == 65
                || (p6 >= 622126 && p6 <= 622925)
                || (p4 >= 3528 && p4 <= 3589) // JCB
                || p2 == 62 // UnionPay
                || p2 == 81
                || p2 == 50 // Maestro
                || (p2 >= 56 && p2 <= 58)
                || p2 == 63
                || p2 == 67
                || p2 == 60 // RuPay
                || p3 == 508;
    }
}
