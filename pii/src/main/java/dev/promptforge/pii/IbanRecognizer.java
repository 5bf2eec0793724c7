package dev.promptforge.pii;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/*
 * IBANs: country code, two check digits, the country's exact length, mod-97 == 1. Written compact
 * ("DE89370400440532013000"), in groups separated by single spaces or dashes, in any case.
 */
final class IbanRecognizer extends ScanRecognizer {

    private static final Map<String, Integer> LENGTHS = new HashMap<>();

    static {
        String table = "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18"
                + " DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23 IS26"
                + " IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31 MU30"
                + " NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27"
                + " SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30";
        for (String entry : table.split(" ")) {
            LENGTHS.put(entry.substring(0, 2), Integer.parseInt(entry.substring(2)));
        }
    }

    private static final Context CONTEXT = Context.shared(0.0, 0.0, "iban", "account", "bank", "transfer");

    IbanRecognizer() {
        super("iban", Set.of(PiiTypes.IBAN_CODE));
    }

    @Override
    void scan(Scan scan, Sink sink) {
        String text = scan.text;
        char[] buf = new char[34];
        int skip = -1;
        for (int m = 0; m < scan.markCount; m++) {
            int t = scan.marks[m];
            if (t <= skip) {
                continue;
            }
            if (scan.kind[t] != Scan.MIXED || scan.len(t) < 4) {
                continue;
            }
            int s = scan.start[t];
            char c0 = text.charAt(s);
            char c1 = text.charAt(s + 1);
            if (!isAsciiLetter(c0)
                    || !isAsciiLetter(c1)
                    || !Scan.isDigit(text.charAt(s + 2))
                    || !Scan.isDigit(text.charAt(s + 3))) {
                continue;
            }
            Integer expected =
                    LENGTHS.get(new String(new char[] {Character.toUpperCase(c0), Character.toUpperCase(c1)}));
            if (expected == null) {
                continue;
            }
            int n = 0;
            int last = t;
            boolean ok = true;
            while (true) {
                int len = scan.len(last);
                if (n + len > expected || !asciiAlnum(text, scan.start[last], scan.end[last])) {
                    ok = false;
                    break;
                }
                text.getChars(scan.start[last], scan.end[last], buf, n);
                n += len;
                if (n == expected) {
                    break;
                }
                if (last + 1 >= scan.count || scan.gapLength(last) != 1) {
                    ok = false;
                    break;
                }
                char gap = text.charAt(scan.end[last]);
                if (gap != ' ' && gap != '-' && gap != '\u00a0') {
                    ok = false;
                    break;
                }
                last++;
            }
            if (ok && Checksums.ibanMod97(buf, n)) {
                scan.claim(s, scan.end[last]);
                sink.add(PiiTypes.IBAN_CODE, s, scan.end[last], 1.0, Tier.VALIDATED, name(), CONTEXT, false);
                skip = last;
            }
            scan.tick();
        }
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean asciiAlnum(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!(Scan.isDigit(c) || isAsciiLetter(c))) {
                return false;
            }
        }
        return true;
    }
}
