package dev.promptforge.pii;

import java.util.Set;

// US National Provider Identifiers: ten digits starting with 1 or 2, Luhn-valid with the 80840 prefix.
final class UsNpiRecognizer extends ScanRecognizer {

    private static final Context CONTEXT = Context.shared(
            0.55,
            0.9,
            "npi",
            "npi#",
            "national provider",
            "national provider identifier",
            "provider id",
            "provider number",
            "provider",
            "prescriber",
            "physician",
            "billing provider");

    UsNpiRecognizer() {
        super("us-npi", Set.of(PiiTypes.US_NPI));
    }

    @Override
    void scan(Scan scan, Sink sink) {
        Chunks chunks = scan.chunks();
        char[] d = scan.digits();
        for (int c = 0; c < chunks.count; c++) {
            int first = chunks.first[c];
            int last = chunks.last[c];
            for (int a = first; a <= last; a++) {
                if (scan.len(a) != 10) {
                    continue;
                }
                if ((a > first && chunks.separator(a - 1) != ' ') || (a < last && chunks.separator(a) != ' ')) {
                    continue;
                }
                chunks.digits(a, a, d);
                if (Checksums.npi(d, 10)) {
                    sink.add(PiiTypes.US_NPI, scan.start[a], scan.end[a], 0.4, Tier.WEAK, name(), CONTEXT, true);
                }
            }
            scan.tick();
        }
    }
}
