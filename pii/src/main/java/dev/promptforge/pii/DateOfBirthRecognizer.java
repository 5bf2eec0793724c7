package dev.promptforge.pii;

import java.util.Locale;
import java.util.Set;

/*
 * Calendar dates (numeric D/M/Y, M/D/Y, Y-M-D with one separator; "March 5, 1984", "5 March 1984",
 * "05-Mar-1984"). A date alone is not personal data, so the base score is below the default
 * threshold; birth context ("DOB", "date of birth", "born") makes it one.
 */
final class DateOfBirthRecognizer extends ScanRecognizer {

    private static final Context CONTEXT = Context.shared(
                    0.65,
                    0.85,
                    "dob",
                    "d.o.b",
                    "date of birth",
                    "birth",
                    "born",
                    "birthday",
                    "birthdate",
                    "bday",
                    "geb",
                    "geboren",
                    "née",
                    "nacimiento",
                    "naissance")
            .window(3, 2);

    DateOfBirthRecognizer() {
        super("date-of-birth", Set.of(PiiTypes.DATE_TIME));
    }

    @Override
    void scan(Scan scan, Sink sink) {
        numeric(scan, sink);
        named(scan, sink);
    }

    private void numeric(Scan scan, Sink sink) {
        Chunks chunks = scan.chunks();
        String text = scan.text;
        for (int c = 0; c < chunks.count; c++) {
            int first = chunks.first[c];
            int last = chunks.last[c];
            for (int a = first; a + 2 <= last; a++) {
                int b = a + 2;
                char sep = chunks.separator(a);
                if ((sep != '/' && sep != '-' && sep != '.') || chunks.separator(a + 1) != sep) {
                    continue;
                }
                if ((a > first && chunks.separator(a - 1) == sep) || (b < last && chunks.separator(b) == sep)) {
                    continue;
                }
                int l0 = scan.len(a);
                int l1 = scan.len(a + 1);
                int l2 = scan.len(b);
                int v0 = value(text, scan.start[a], scan.end[a]);
                int v1 = value(text, scan.start[a + 1], scan.end[a + 1]);
                int v2 = value(text, scan.start[b], scan.end[b]);
                boolean ok;
                if (l0 == 4 && l1 <= 2 && l2 <= 2) {
                    ok = valid(v2, v1, v0);
                } else if (l0 <= 2 && l1 <= 2 && (l2 == 4 || l2 == 2)) {
                    int year = l2 == 2 ? 1900 + v2 : v2;
                    ok = valid(v0, v1, year) || valid(v1, v0, year);
                } else {
                    ok = false;
                }
                if (ok) {
                    sink.add(PiiTypes.DATE_TIME, scan.start[a], scan.end[b], 0.2, Tier.WEAK, name(), CONTEXT, false);
                    a = b;
                }
            }
            scan.tick();
        }
    }

    private void named(Scan scan, Sink sink) {
        String text = scan.text;
        int skip = -1;
        for (int m = 0; m < scan.markCount; m++) {
            int t = scan.marks[m];
            if (t <= skip) {
                continue;
            }
            if (scan.kind[t] != Scan.ALPHA || scan.len(t) < 3 || scan.len(t) > 9 || !scan.has(t, Scan.UPPER_INITIAL)) {
                continue; // month names are capitalized in dates
            }
            int month = month(text, scan.start[t], scan.end[t]);
            if (month == 0) {
                continue;
            }
            // Month D, YYYY / Month D YYYY
            if (t + 2 < scan.count && scan.gapIs(t, " ") && (scan.gapIs(t + 1, ", ") || scan.gapIs(t + 1, " "))) {
                int day = day(scan, t + 1);
                int year = year(scan, t + 2);
                if (day > 0 && year > 0 && valid(day, month, year)) {
                    sink.add(
                            PiiTypes.DATE_TIME, scan.start[t], scan.end[t + 2], 0.2, Tier.WEAK, name(), CONTEXT, false);
                    skip = t + 2;
                    continue;
                }
            }
            // D Month YYYY / DD-Mon-YYYY
            if (t >= 1 && t + 1 < scan.count) {
                boolean spaced = scan.gapIs(t - 1, " ") && (scan.gapIs(t, " ") || scan.gapIs(t, ", "));
                boolean dashed = scan.gapIs(t - 1, "-") && scan.gapIs(t, "-");
                int day = day(scan, t - 1);
                int year = year(scan, t + 1);
                if ((spaced || dashed) && day > 0 && year > 0 && valid(day, month, year)) {
                    sink.add(
                            PiiTypes.DATE_TIME,
                            scan.start[t - 1],
                            scan.end[t + 1],
                            0.2,
                            Tier.WEAK,
                            name(),
                            CONTEXT,
                            false);
                    skip = t + 1;
                }
            }
        }
    }

    private static final String[] MONTH_NAMES = {
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december"
    };

    // 1 to 12 for a month name or its three-letter abbreviation (or "sept"), else 0; no allocation.
    static int month(String text, int s, int e) {
        int length = e - s;
        if (length < 3) {
            return 0;
        }
        char c = (char) (text.charAt(s) | 0x20);
        char d = (char) (text.charAt(s + 1) | 0x20);
        boolean plausible = switch (c) {
            case 'j' -> d == 'a' || d == 'u';
            case 'f', 's', 'd' -> d == 'e';
            case 'm', 'a' -> d == 'a' || d == 'p' || d == 'u';
            case 'o' -> d == 'c';
            case 'n' -> d == 'o';
            default -> false;
        };
        if (!plausible) {
            return 0;
        }
        for (int m = 0; m < 12; m++) {
            String name = MONTH_NAMES[m];
            if ((length == 3 || length == name.length() || (m == 8 && length == 4))
                    && length <= name.length()
                    && text.regionMatches(true, s, name, 0, length)) {
                return m + 1;
            }
        }
        return 0;
    }

    private static int day(Scan scan, int t) {
        String text = scan.text;
        int s = scan.start[t];
        int e = scan.end[t];
        if (scan.kind[t] == Scan.MIXED && e - s >= 3 && e - s <= 4) {
            String suffix = text.substring(e - 2, e).toLowerCase(Locale.ROOT);
            if (suffix.equals("st") || suffix.equals("nd") || suffix.equals("rd") || suffix.equals("th")) {
                e -= 2;
            } else {
                return -1;
            }
        } else if (scan.kind[t] != Scan.NUM) {
            return -1;
        }
        if (e - s > 2) {
            return -1;
        }
        return value(text, s, e);
    }

    private static int year(Scan scan, int t) {
        if (scan.kind[t] != Scan.NUM || scan.len(t) != 4) {
            return -1;
        }
        return value(scan.text, scan.start[t], scan.end[t]);
    }

    private static int value(String text, int s, int e) {
        int v = 0;
        for (int i = s; i < e; i++) {
            char c = text.charAt(i);
            if (!Scan.isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    static boolean valid(int day, int month, int year) {
        if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) {
            return false;
        }
        int max = switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
        return day <= max;
    }
}
