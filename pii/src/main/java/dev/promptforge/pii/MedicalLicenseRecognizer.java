package dev.promptforge.pii;

import java.util.Set;

// DEA registration numbers (US prescriber licenses): two letters, seven digits, DEA check digit.
final class MedicalLicenseRecognizer extends ScanRecognizer {

    private static final String FIRST_LETTERS = "ABCDEFGHJKLMPRSTUX";
    private static final Context CONTEXT = Context.shared(
            0.45,
            0.9,
            "dea",
            "dea#",
            "dea number",
            "dea registration",
            "medical license",
            "medical licence",
            "license",
            "licence",
            "registration",
            "prescriber",
            "controlled substance");

    MedicalLicenseRecognizer() {
        super("medical-license", Set.of(PiiTypes.MEDICAL_LICENSE));
    }

    @Override
    void scan(Scan scan, Sink sink) {
        String text = scan.text;
        for (int m = 0; m < scan.markCount; m++) {
            int t = scan.marks[m];
            if (scan.kind[t] != Scan.MIXED || scan.len(t) != 9) {
                continue;
            }
            int s = scan.start[t];
            char c0 = text.charAt(s);
            char c1 = text.charAt(s + 1);
            if (FIRST_LETTERS.indexOf(c0) < 0 || !((c1 >= 'A' && c1 <= 'Z') || c1 == '9')) {
                continue;
            }
            if (!UsPassportRecognizer.allDigits(text, s + 2, s + 9) || !Checksums.dea(text, s + 2)) {
                continue;
            }
            sink.add(PiiTypes.MEDICAL_LICENSE, s, s + 9, 0.45, Tier.WEAK, name(), CONTEXT, true);
        }
    }
}
