package dev.promptforge.pii;

import java.util.Set;

/*
 * US driver's license numbers. The formats of the states overlap with every other identifier, so a
 * candidate (a letter and 4 to 14 digits, 7 to 13 digits, or a dashed form like A123-4567-8901) is
 * reported only with context.
 */
final class UsDriverLicenseRecognizer extends ScanRecognizer {

    private static final Context CONTEXT = Context.shared(
            0.7,
            0.75,
            "driver's license",
            "drivers license",
            "driver license",
            "driver's licence",
            "driving licence",
            "driving license",
            "dl",
            "dl#",
            "dln",
            "license number",
            "licence number",
            "lic",
            "license",
            "licence");

    UsDriverLicenseRecognizer() {
        super("us-driver-license", Set.of(PiiTypes.US_DRIVER_LICENSE));
    }

    @Override
    void scan(Scan scan, Sink sink) {
        String text = scan.text;
        int skip = -1;
        for (int m = 0; m < scan.markCount; m++) {
            int t = scan.marks[m];
            if (t <= skip) {
                continue;
            }
            int s = scan.start[t];
            int len = scan.len(t);
            byte kind = scan.kind[t];
            if (kind == Scan.MIXED && len >= 2 && len <= 15) {
                char c0 = text.charAt(s);
                if (c0 >= 'A' && c0 <= 'Z' && UsPassportRecognizer.allDigits(text, s + 1, scan.end[t])) {
                    int last = t;
                    // A123-4567-8901(-23): dashed continuation groups
                    while (last + 1 < scan.count
                            && scan.gapIs(last, "-")
                            && scan.kind[last + 1] == Scan.NUM
                            && scan.len(last + 1) <= 4) {
                        last++;
                    }
                    if (last == t && (len < 5 || UsPassportRecognizer.glued(scan, t))) {
                        continue;
                    }
                    sink.add(PiiTypes.US_DRIVER_LICENSE, s, scan.end[last], 0.05, Tier.WEAK, name(), CONTEXT, true);
                    skip = last;
                }
            } else if (kind == Scan.NUM && len >= 7 && len <= 13 && !UsPassportRecognizer.glued(scan, t)) {
                sink.add(PiiTypes.US_DRIVER_LICENSE, s, scan.end[t], 0.05, Tier.WEAK, name(), CONTEXT, true);
            }
            scan.tick();
        }
    }
}
