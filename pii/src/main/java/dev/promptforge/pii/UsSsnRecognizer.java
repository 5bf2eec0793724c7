package dev.promptforge.pii;

import java.util.Set;

/*
 * US Social Security numbers by the SSA's rules: area not 000, 666 or 900-999, group not 00,
 * serial not 0000. Dashed 3-2-4 is validated; spaced, dotted or bare digits need context.
 */
final class UsSsnRecognizer extends ScanRecognizer {

    private static final Context CONTEXT = Context.shared(
            0.45,
            0.8,
            "ssn",
            "ssns",
            "ss#",
            "ssn#",
            "social security",
            "social security number",
            "social security no",
            "social sec",
            "social",
            "soc sec");

    UsSsnRecognizer() {
        super("us-ssn", Set.of(PiiTypes.US_SSN));
    }

    @Override
    void scan(Scan scan, Sink sink) {
        Chunks chunks = scan.chunks();
        char[] d = scan.digits();
        for (int c = 0; c < chunks.count; c++) {
            for (int a = chunks.first[c]; a <= chunks.last[c]; a++) {
                NineDigits shape = NineDigits.at(scan, chunks, c, a);
                if (shape == null) {
                    continue;
                }
                chunks.digits(a, shape.last(), d);
                if (!valid(d)) {
                    continue;
                }
                double score = shape.separator() == '-' ? 0.85 : shape.separator() == 0 ? 0.3 : 0.45;
                Tier tier = shape.separator() == '-' ? Tier.VALIDATED : Tier.WEAK;
                sink.add(PiiTypes.US_SSN, scan.start[a], scan.end[shape.last()], score, tier, name(), CONTEXT, true);
            }
            scan.tick();
        }
    }

    static boolean valid(char[] d) {
        int area = (d[0] - '0') * 100 + (d[1] - '0') * 10 + (d[2] - '0');
        if (area == 0 || area == 666 || area >= 900) {
            return false;
        }
        if (d[3] == '0' && d[4] == '0') {
            return false;
        }
        return !(d[5] == '0' && d[6] == '0' && d[7] == '0' && d[8] == '0');
    }
}
