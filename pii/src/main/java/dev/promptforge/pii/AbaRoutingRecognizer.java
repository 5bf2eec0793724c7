package dev.promptforge.pii;

import java.util.Set;

// ABA routing transit numbers: nine digits (or 4-4-1), a Federal Reserve prefix and the 3-7-1 checksum.
final class AbaRoutingRecognizer extends ScanRecognizer {

    private static final Context CONTEXT = Context.shared(
            0.55,
            0.9,
            "aba",
            "routing",
            "routing number",
            "routing no",
            "routing#",
            "rtn",
            "transit",
            "routing transit",
            "abarouting",
            "wire");

    AbaRoutingRecognizer() {
        super("aba-routing", Set.of(PiiTypes.ABA_ROUTING_NUMBER));
    }

    @Override
    void scan(Scan scan, Sink sink) {
        Chunks chunks = scan.chunks();
        char[] d = scan.digits();
        for (int c = 0; c < chunks.count; c++) {
            int first = chunks.first[c];
            int last = chunks.last[c];
            for (int a = first; a <= last; a++) {
                int b;
                if (scan.len(a) == 9 && !glued(chunks, first, last, a, a)) {
                    b = a;
                } else if (a + 2 <= last
                        && scan.len(a) == 4
                        && scan.len(a + 1) == 4
                        && scan.len(a + 2) == 1
                        && chunks.separator(a) == '-'
                        && chunks.separator(a + 1) == '-'
                        && !glued(chunks, first, last, a, a + 2)) {
                    b = a + 2;
                } else {
                    continue;
                }
                chunks.digits(a, b, d);
                if (Checksums.aba(d, 9)) {
                    sink.add(
                            PiiTypes.ABA_ROUTING_NUMBER,
                            scan.start[a],
                            scan.end[b],
                            0.4,
                            Tier.WEAK,
                            name(),
                            CONTEXT,
                            true);
                }
            }
            scan.tick();
        }
    }

    private static boolean glued(Chunks chunks, int first, int last, int a, int b) {
        return (a > first && isJoiner(chunks.separator(a - 1))) || (b < last && isJoiner(chunks.separator(b)));
    }

    private static boolean isJoiner(char c) {
        return c == '-' || c == '.' || c == '/';
    }
}
