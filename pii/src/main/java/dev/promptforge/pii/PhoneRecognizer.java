package dev.promptforge.pii;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.List;
import java.util.Set;

/*
 * Phone numbers validated by libphonenumber: international "+" forms against every country, national
 * forms against the configured regions in order. The digit groups as written must agree with the
 * number's own grouping (so "2024-03-15 14" is not a Washington number); bare digit runs are weak
 * and need context.
 */
final class PhoneRecognizer extends ScanRecognizer {

    private static final Context CONTEXT = Context.shared(
            0.3,
            0.75,
            "phone",
            "tel",
            "telephone",
            "mobile",
            "cell",
            "cellphone",
            "call",
            "called",
            "calling",
            "fax",
            "contact",
            "whatsapp",
            "text",
            "sms",
            "reach",
            "dial",
            "ph",
            "mob",
            "landline",
            "hotline",
            "phone number");

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private final String[] regions;
    private final int[] countryCodes;
    private final boolean[] trunkZero;
    // bit n set: a national significant number of n digits is possible in the region
    private final int[] nsnLengths;

    PhoneRecognizer(List<String> regions) {
        super("phone", Set.of(PiiTypes.PHONE_NUMBER));
        Set<String> supported = UTIL.getSupportedRegions();
        this.regions = regions.toArray(String[]::new);
        this.trunkZero = new boolean[this.regions.length];
        this.countryCodes = new int[this.regions.length];
        this.nsnLengths = new int[this.regions.length];
        for (int i = 0; i < this.regions.length; i++) {
            String region = this.regions[i];
            if (!supported.contains(region)) {
                throw new IllegalStateException("unknown phone region '" + region + "'");
            }
            // Where the trunk prefix is 0 and numbers are written with it, a national number starts with 0.
            trunkZero[i] = "0".equals(UTIL.getNddPrefixForRegion(region, true))
                    && !region.equals("IN")
                    && !region.equals("BR");
            nsnLengths[i] = possibleLengths(region);
            countryCodes[i] = UTIL.getCountryCodeForRegion(region);
        }
    }

    @Override
    void scan(Scan scan, Sink sink) {
        Chunks chunks = scan.chunks();
        for (int c = 0; c < chunks.count; c++) {
            int first = chunks.first[c];
            int last = chunks.last[c];
            int total = chunks.digitCount(first, last);
            if (total < 7) {
                continue;
            }
            if (total <= 16 && tryWindow(scan, chunks, first, last, sink)) {
                continue;
            }
            // A phone number next to other numbers: try windows that split the chunk at spaces.
            if (last - first > 0 && last - first < 8 && !chunks.uniformSeparator(first, last)) {
                windows:
                for (int a = first; a <= last; a++) {
                    if (a > first && chunks.separator(a - 1) != ' ') {
                        continue;
                    }
                    for (int b = last; b >= a; b--) {
                        if ((a == first && b == last) || (b < last && chunks.separator(b) != ' ')) {
                            continue;
                        }
                        int n = chunks.digitCount(a, b);
                        if (n >= 7 && n <= 16 && tryWindow(scan, chunks, a, b, sink)) {
                            a = b;
                            continue windows;
                        }
                    }
                }
            }
            scan.tick();
        }
    }

    // The national significant number of `digits` written in region r, or null if it cannot be one.
    // Built directly: PhoneNumberUtil.parse costs several times more than the validation itself.
    private PhoneNumber national(char[] digits, int n, int r) {
        int from = 0;
        if (trunkZero[r]) {
            if (digits[0] != '0') {
                return null;
            }
            from = 1;
        } else if (countryCodes[r] == 1 && n == 11 && digits[0] == '1') {
            from = 1; // 1-415-555-2671
        } else if (digits[0] == '0' && (regions[r].equals("IN") || regions[r].equals("BR"))) {
            from = 1;
        }
        int zeros = 0;
        if (regions[r].equals("IT")) {
            while (from + zeros < n - 1 && digits[from + zeros] == '0') {
                zeros++; // Italian numbers keep their leading zero in the national number
            }
        } else if (digits[from] == '0') {
            return null;
        }
        int length = n - from;
        if (length > 17 || (nsnLengths[r] & (1 << length)) == 0) {
            return null;
        }
        long value = 0;
        for (int i = from; i < n; i++) {
            value = value * 10 + (digits[i] - '0');
        }
        PhoneNumber number = new PhoneNumber().setCountryCode(countryCodes[r]).setNationalNumber(value);
        if (zeros > 0) {
            number.setItalianLeadingZero(true).setNumberOfLeadingZeros(zeros);
        }
        return number;
    }

    // A valid number for "+<country code><national number>" (a "(0)" trunk digit allowed), or null.
    private static PhoneNumber international(char[] digits, int n) {
        int code = 0;
        for (int length = 1; length <= 3 && length < n; length++) {
            code = code * 10 + (digits[length - 1] - '0');
            String region = UTIL.getRegionCodeForCountryCode(code);
            if ("ZZ".equals(region) && code != 800 && code != 808 && code != 870 && code != 881 && code != 882) {
                continue;
            }
            int from = length;
            int zeros = 0;
            if (digits[from] == '0') {
                if (region.equals("IT") || region.equals("SM") || region.equals("VA")) {
                    while (from + zeros < n - 1 && digits[from + zeros] == '0') {
                        zeros++;
                    }
                } else {
                    from++; // "+44 (0)20 ..."
                }
            }
            int nsn = n - from;
            if (nsn < 4 || nsn > 17) {
                continue;
            }
            long value = 0;
            for (int i = from; i < n; i++) {
                value = value * 10 + (digits[i] - '0');
            }
            PhoneNumber number = new PhoneNumber().setCountryCode(code).setNationalNumber(value);
            if (zeros > 0) {
                number.setItalianLeadingZero(true).setNumberOfLeadingZeros(zeros);
            }
            // the code's main region first: isValidNumber tries every region of the code (25 for +1)
            if (UTIL.isValidNumberForRegion(number, UTIL.getRegionCodeForCountryCode(code))
                    || UTIL.isValidNumber(number)) {
                return number;
            }
        }
        return null;
    }

    // Probes the number plan for the lengths of national significant numbers it allows.
    private static int possibleLengths(String region) {
        int countryCode = UTIL.getCountryCodeForRegion(region);
        int mask = 0;
        for (int n = 2; n <= 17; n++) {
            long nationalNumber = 2 * (long) Math.pow(10, n - 1) + 1;
            PhoneNumber probe = new PhoneNumber().setCountryCode(countryCode).setNationalNumber(nationalNumber);
            PhoneNumberUtil.ValidationResult result = UTIL.isPossibleNumberWithReason(probe);
            if (result == PhoneNumberUtil.ValidationResult.IS_POSSIBLE) {
                mask |= 1 << n;
            }
        }
        return mask;
    }

    private boolean tryWindow(Scan scan, Chunks chunks, int a, int b, Sink sink) {
        int spanStart = scan.start[a];
        if (scan.isClaimed(spanStart, scan.end[b]) || chunks.gluedOutside(a, b)) {
            return false;
        }
        if (scan.charAt(spanStart - 1) == '(' && scan.charAt(scan.end[a]) == ')') {
            spanStart--;
        }
        boolean plus = scan.charAt(spanStart - 1) == '+';
        if (plus) {
            spanStart--;
        }
        int spanEnd = scan.end[b];
        int written = boundaries(scan, a, b);
        int digits = chunks.digitCount(a, b);
        if (plus) {
            char[] all = new char[digits];
            chunks.digits(a, b, all);
            PhoneNumber number = international(all, digits);
            if (number == null) {
                return false;
            }
            int fit = fit(number, written, digits, PhoneNumberFormat.INTERNATIONAL);
            double score = fit == MISMATCH ? 0.6 : 0.85;
            Tier tier = fit == MISMATCH ? Tier.WEAK : Tier.VALIDATED;
            sink.add(PiiTypes.PHONE_NUMBER, spanStart, spanEnd, score, tier, name(), CONTEXT, true);
            return true;
        }
        if (looksLikeDate(scan, chunks, a, b)) {
            return false;
        }
        // A bare digit run is a phone number only near a phone word: check that before the costly part.
        if (a == b && spanStart == scan.start[a] && CONTEXT.nearest(scan, spanStart, spanEnd) < 0) {
            return false;
        }
        char[] number = new char[digits];
        chunks.digits(a, b, number);
        for (int r = 0; r < regions.length; r++) {
            PhoneNumber plan = national(number, digits, r);
            if (plan == null || !UTIL.isValidNumberForRegion(plan, regions[r])) {
                continue;
            }
            int fit = fit(plan, written, digits, PhoneNumberFormat.NATIONAL);
            if (fit == MISMATCH) {
                continue;
            }
            double score = fit == EXACT ? 0.75 : fit == FINER ? 0.7 : fit == COARSER ? 0.6 : 0.4;
            Tier tier = fit == BARE ? Tier.WEAK : Tier.VALIDATED;
            sink.add(PiiTypes.PHONE_NUMBER, spanStart, spanEnd, score, tier, name(), CONTEXT, true);
            return true;
        }
        return false;
    }

    // Starts or ends with d/m/y, m-d-y or y.m.d, has two slashes, or is 3-2-4 like an SSN: not a phone.
    private static boolean looksLikeDate(Scan scan, Chunks chunks, int a, int b) {
        int slashes = 0;
        for (int t = a; t < b; t++) {
            if (chunks.separator(t) == '/') {
                slashes++;
            }
        }
        if (slashes > 1) {
            return true;
        }
        if (b - a == 2
                && scan.len(a) == 3
                && scan.len(a + 1) == 2
                && scan.len(b) == 4
                && chunks.uniformSeparator(a, b)) {
            return true;
        }
        return b - a >= 2 && (dateTriple(scan, chunks, a) || dateTriple(scan, chunks, b - 2));
    }

    private static boolean dateTriple(Scan scan, Chunks chunks, int a) {
        int b = a + 2;
        char sep = chunks.separator(a);
        if ((sep != '/' && sep != '.' && sep != '-') || chunks.separator(a + 1) != sep) {
            return false;
        }
        int l0 = scan.len(a);
        int l1 = scan.len(a + 1);
        int l2 = scan.len(b);
        int v0 = value(scan, a);
        int v1 = value(scan, a + 1);
        int v2 = value(scan, b);
        if (l0 <= 2 && l1 <= 2 && (l2 == 4 || l2 == 2)) {
            return (v0 <= 12 && v1 <= 31 || v0 <= 31 && v1 <= 12) && v0 > 0 && v1 > 0;
        }
        return l0 == 4 && l1 <= 2 && l2 <= 2 && v1 >= 1 && v1 <= 12 && v2 >= 1 && v2 <= 31;
    }

    private static int value(Scan scan, int t) {
        int v = 0;
        for (int i = scan.start[t]; i < scan.end[t]; i++) {
            v = v * 10 + (scan.text.charAt(i) - '0');
        }
        return v;
    }

    private static final int EXACT = 0;
    private static final int FINER = 1;
    private static final int COARSER = 2;
    private static final int BARE = 3;
    private static final int MISMATCH = 4;

    // Compares the group boundaries as written with the number's formatted grouping, within the NSN.
    private static int fit(PhoneNumber number, int written, int writtenDigits, PhoneNumberFormat format) {
        if (number.getCountryCode() == 1 && !number.hasItalianLeadingZero()) {
            // the North American plan always groups its ten digits 3-3-4: no need to format
            return compare(shift(written, writtenDigits - 10, 10), (1 << 3) | (1 << 6));
        }
        String nsn = UTIL.getNationalSignificantNumber(number);
        int nsnLength = nsn.length();
        int mine = shift(written, writtenDigits - nsnLength, nsnLength);
        if (mine == 0) {
            return BARE; // written without groups: whatever the number's grouping, formatting is moot
        }
        String formatted = UTIL.format(number, format);
        int theirs = 0;
        int count = 0;
        boolean inGroup = false;
        for (int i = 0; i < formatted.length(); i++) {
            char c = formatted.charAt(i);
            if (Scan.isDigit(c)) {
                count++;
                inGroup = true;
            } else if (inGroup) {
                theirs |= 1 << count;
                inGroup = false;
            }
        }
        theirs = shift(theirs & ~(1 << count), count - nsnLength, nsnLength);
        return compare(mine, theirs);
    }

    private static int compare(int mine, int theirs) {
        if (mine == 0) {
            return BARE;
        }
        if (mine == theirs) {
            return EXACT;
        }
        if ((theirs & ~mine) == 0) {
            return FINER;
        }
        if ((mine & ~theirs) == 0) {
            return COARSER;
        }
        return MISMATCH;
    }

    // Boundaries are bit sets of digit counts; keep those strictly inside the NSN, relative to it.
    private static int shift(int boundaries, int offset, int nsnLength) {
        int result = 0;
        for (int i = 1; i < 32; i++) {
            if ((boundaries & (1 << i)) != 0) {
                int inside = i - offset;
                if (inside > 0 && inside < nsnLength) {
                    result |= 1 << inside;
                }
            }
        }
        return result;
    }

    private static int boundaries(Scan scan, int a, int b) {
        int set = 0;
        int count = 0;
        for (int t = a; t < b; t++) {
            count += scan.len(t);
            if (count < 32) {
                set |= 1 << count;
            }
        }
        return set;
    }
}
