package dev.promptforge.pii;

import java.util.Set;

// 13 to 19 digits, whole or in groups of 3+ with one separator, Luhn-valid, in a known issuer range.
final class CreditCardRecognizer extends ScanRecognizer {

    private static final Context CONTEXT = Context.of(
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
        char[] digits = new char[19];
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
                    if (!groupsLookLikeCard(scan, chunks, a, b)) {
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

    private static boolean groupsLookLikeCard(Scan scan, Chunks chunks, int a, int b) {
        if (a == b) {
            return true;
        }
        if (!chunks.uniformSeparator(a, b)) {
            return false;
        }
        char sep = chunks.separator(a);
        if (sep != ' ' && sep != '-' && sep != '\u00a0') {
            return false;
        }
        for (int t = a; t <= b; t++) {
            if (scan.len(t) < 3) {
                return false;
            }
        }
        return true;
    }

    static boolean issuer(char[] d, int n) {
        int p1 = d[0] - '0';
        int p2 = p1 * 10 + (d[1] - '0');
        int p3 = p2 * 10 + (d[2] - '0');
        int p4 = p3 * 10 + (d[3] - '0');
        int p6 = p4 * 100 + (d[4] - '0') * 10 + (d[5] - '0');
        if (p1 == 4) { // Visa
            return n == 13 || n == 16 || n == 19;
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
        if (n < 14) {
            return false;
        }
        return p4 == 6011 // Discover
                || (p3 >= 644 && p3 <= 649)
                || p2 == 65
                || (p6 >= 622126 && p6 <= 622925)
                || (p4 >= 3528 && p4 <= 3589) // JCB
                || (p3 >= 300 && p3 <= 305) // Diners Club
                || p4 == 3095
                || p2 == 36
                || p2 == 38
                || p2 == 39
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
