package dev.promptforge.pii;

import java.util.Set;

// US bank account numbers: 8 to 17 digits. There is no checksum, so only context makes one.
final class UsBankNumberRecognizer extends ScanRecognizer {

    private static final Context CONTEXT = Context.shared(
            0.6,
            0.65,
            "account",
            "acct",
            "acct#",
            "account#",
            "account number",
            "account no",
            "bank account",
            "checking",
            "savings",
            "a/c",
            "deposit",
            "deposited",
            "credited",
            "debited",
            "funds",
            "beneficiary");

    UsBankNumberRecognizer() {
        super("us-bank-number", Set.of(PiiTypes.US_BANK_NUMBER));
    }

    @Override
    void scan(Scan scan, Sink sink) {
        Chunks chunks = scan.chunks();
        for (int c = 0; c < chunks.count; c++) {
            int first = chunks.first[c];
            int last = chunks.last[c];
            for (int a = first; a <= last; a++) {
                // one group, or groups joined by '-' when the whole chunk is dashed (1234-5678-90)
                int b = a;
                int n = scan.len(a);
                if (a == first
                        && first < last
                        && chunks.uniformSeparator(first, last)
                        && chunks.separator(first) == '-') {
                    b = last;
                    n = chunks.digitCount(first, last);
                }
                if (n >= 8 && n <= 17) {
                    sink.add(
                            PiiTypes.US_BANK_NUMBER,
                            scan.start[a],
                            scan.end[b],
                            0.05,
                            Tier.WEAK,
                            name(),
                            CONTEXT,
                            true);
                }
                a = b;
            }
            scan.tick();
        }
    }
}
