package dev.promptforge.pii;

import java.util.Locale;
import java.util.Set;

// SWIFT/BIC codes: 4-letter bank, ISO country, 2-character location, optional 3-character branch.
final class SwiftBicRecognizer extends ScanRecognizer {

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Context CONTEXT = Context.shared(
            0.8, 0.85, "swift", "bic", "swift code", "bic code", "swift bic", "bank identifier code", "swift#");

    SwiftBicRecognizer() {
        super("swift-bic", Set.of(PiiTypes.SWIFT_BIC));
    }

    @Override
    void scan(Scan scan, Sink sink) {
        String text = scan.text;
        for (int m = 0; m < scan.markCount; m++) {
            int t = scan.marks[m];
            int len = scan.len(t);
            if ((len != 8 && len != 11) || scan.kind[t] == Scan.NUM) {
                continue;
            }
            int s = scan.start[t];
            boolean shape = true;
            for (int i = 0; i < len && shape; i++) {
                char c = text.charAt(s + i);
                boolean upper = c >= 'A' && c <= 'Z';
                shape = i < 6 ? upper : upper || Scan.isDigit(c);
            }
            if (!shape || !COUNTRIES.contains(text.substring(s + 4, s + 6))) {
                continue;
            }
            sink.add(PiiTypes.SWIFT_BIC, s, s + len, 0.05, Tier.WEAK, name(), CONTEXT, false);
        }
    }
}
