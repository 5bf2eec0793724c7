package dev.promptforge.pii;

import java.util.Set;

// US Individual Taxpayer Identification Numbers: 9XX-GG-XXXX with GG in 50-65, 70-88, 90-92, 94-99.
final class UsItinRecognizer extends ScanRecognizer {

    private static final Context CONTEXT = Context.shared(
            0.45,
            0.8,
            "itin",
            "itin#",
            "taxpayer",
            "tax id",
            "tax identification",
            "taxpayer identification",
            "individual taxpayer",
            "tin");

    UsItinRecognizer() {
        super("us-itin", Set.of(PiiTypes.US_ITIN));
    }

    @Override
    void scan(Scan scan, Sink sink) {
        Chunks chunks = scan.chunks();
        char[] d = scan.digits();
        for (int c = 0; c < chunks.count; c++) {
            for (int a = chunks.first[c]; a <= chunks.last[c]; a++) {
                if (scan.text.charAt(scan.start[a]) != '9') {
                    continue;
                }
                NineDigits shape = NineDigits.at(scan, chunks, c, a);
                if (shape == null) {
                    continue;
                }
                chunks.digits(a, shape.last(), d);
                int group = (d[3] - '0') * 10 + (d[4] - '0');
                boolean valid = (group >= 50 && group <= 65)
                        || (group >= 70 && group <= 88)
                        || (group >= 90 && group <= 92)
                        || group >= 94;
                if (!valid) {
                    continue;
                }
                double score = shape.separator() == '-' ? 0.85 : shape.separator() == 0 ? 0.3 : 0.45;
                Tier tier = shape.separator() == '-' ? Tier.VALIDATED : Tier.WEAK;
                sink.add(PiiTypes.US_ITIN, scan.start[a], scan.end[shape.last()], score, tier, name(), CONTEXT, true);
            }
            scan.tick();
        }
    }
}
