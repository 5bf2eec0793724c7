package dev.promptforge.pii;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/*
 * Street addresses as LOCATION: "1600 Amphitheatre Pkwy, Mountain View, CA 94043", "221B Baker
 * Street", "Hauptstraße 5, 10115 Berlin", "12 rue de la Paix, 75002 Paris", "Calle Mayor 5",
 * "Rua Augusta, 123", "P.O. Box 1234". A street needs its house number and a street word; unit,
 * city, state and postal code extend the span when they follow.
 */
final class AddressRecognizer extends ScanRecognizer {

    private static final WordSet SUFFIXES = WordSet.of(List.of(
            "street",
            "st",
            "avenue",
            "ave",
            "av",
            "road",
            "rd",
            "boulevard",
            "blvd",
            "lane",
            "ln",
            "drive",
            "dr",
            "court",
            "ct",
            "place",
            "pl",
            "way",
            "terrace",
            "ter",
            "circle",
            "cir",
            "parkway",
            "pkwy",
            "highway",
            "hwy",
            "square",
            "sq",
            "trail",
            "trl",
            "crescent",
            "cres",
            "close",
            "grove",
            "row",
            "walk",
            "alley",
            "plaza",
            "plz",
            "loop",
            "path",
            "pike",
            "ridge",
            "heights",
            "hts",
            "expressway",
            "expy",
            "freeway",
            "crossing",
            "cove",
            "landing",
            "mews",
            "gardens",
            "gdns",
            "green",
            "view",
            "broadway",
            "causeway",
            "embankment",
            "esplanade",
            "wharf",
            "quay"));
    private static final WordSet DIRECTIONS = WordSet.of(List.of(
            "n",
            "s",
            "e",
            "w",
            "ne",
            "nw",
            "se",
            "sw",
            "north",
            "south",
            "east",
            "west",
            "northeast",
            "northwest",
            "southeast",
            "southwest"));
    private static final WordSet UNITS = WordSet.of(List.of(
            "apt", "apartment", "suite", "ste", "unit", "fl", "floor", "rm", "room", "bldg", "building", "flat"));
    private static final Set<String> US_STATES = Set.of(
            "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA",
            "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK",
            "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "PR", "ON", "QC",
            "BC", "AB", "MB", "SK", "NS", "NB", "NL", "PE");
    private static final WordSet ROMANCE = WordSet.of(List.of(
            "rue",
            "avenue",
            "boulevard",
            "bd",
            "chemin",
            "allée",
            "allee",
            "impasse",
            "quai",
            "calle",
            "avenida",
            "avda",
            "plaza",
            "paseo",
            "carrer",
            "rua",
            "travessa",
            "via",
            "viale",
            "piazza",
            "corso",
            "largo",
            "vicolo",
            "strada",
            "praça",
            "praca",
            "alameda",
            "rambla",
            "ronda"));
    private static final Set<String> ARTICLES = Set.of(
            "de", "la", "le", "les", "du", "des", "del", "da", "do", "dos", "das", "di", "della", "dei", "degli", "d",
            "l", "e", "y", "i", "el", "los", "las", "saint", "sainte", "san", "santa", "são");
    private static final String[] GERMANIC_ENDINGS = {
        "straße",
        "strasse",
        "str",
        "weg",
        "gasse",
        "platz",
        "allee",
        "ring",
        "damm",
        "ufer",
        "chaussee",
        "straat",
        "laan",
        "gracht",
        "plein",
        "kade",
        "singel",
        "vej",
        "gade",
        "gatan",
        "gata",
        "vägen",
        "veien",
        "katu",
        "tie"
    };

    AddressRecognizer() {
        super("address", Set.of(PiiTypes.LOCATION));
    }

    @Override
    void scan(Scan scan, Sink sink) {
        int covered = -1;
        for (int m = 0; m < scan.markCount; m++) {
            int t = scan.marks[m];
            scan.tick();
            if (t <= covered) {
                continue;
            }
            int end = -1;
            int first = t;
            if (houseNumber(scan, t)) {
                end = english(scan, t);
                if (end < 0) {
                    end = romanceAfterNumber(scan, t);
                }
            } else if (scan.kind[t] == Scan.ALPHA && scan.has(t, Scan.UPPER_INITIAL)) {
                end = germanic(scan, t);
                if (end < 0) {
                    end = romanceBeforeNumber(scan, t);
                }
                if (end < 0) {
                    end = poBox(scan, t);
                }
            }
            if (end < 0) {
                continue;
            }
            int last = scan.tokenEndingBefore(end);
            sink.add(PiiTypes.LOCATION, scan.start[first], end, 0.85, Tier.CONTEXT, name(), null, false);
            covered = last;
        }
    }

    private static boolean houseNumber(Scan scan, int t) {
        int len = scan.len(t);
        if (scan.kind[t] == Scan.NUM) {
            return len <= 6 && !glued(scan, t);
        }
        if (scan.kind[t] == Scan.MIXED && len >= 2 && len <= 5) {
            String text = scan.text;
            int e = scan.end[t];
            return Scan.isLetter(text.charAt(e - 1)) && UsPassportRecognizer.allDigits(text, scan.start[t], e - 1);
        }
        return false;
    }

    private static boolean glued(Scan scan, int t) {
        char before = scan.charAt(scan.start[t] - 1);
        return before == '.'
                || before == '-'
                || before == '/'
                || before == ',' && Scan.isDigit(scan.charAt(scan.start[t] - 2))
                || before == '$'
                || before == '#';
    }

    // 1600 [N] Amphitheatre Pkwy[.] [, Suite 100] [, Mountain View, CA 94043]
    private static int english(Scan scan, int t) {
        int k = t + 1;
        if (k >= scan.count || !scan.gapIs(t, " ")) {
            return -1;
        }
        if (DIRECTIONS.contains(scan, k) && scan.has(k, Scan.UPPER_INITIAL)) {
            if (k + 1 < scan.count && (scan.gapIs(k, " ") || scan.gapIs(k, ". "))) {
                k++;
            }
        }
        int words = 0;
        int suffix = -1;
        for (int i = 0; i < 5 && k < scan.count; i++, k++) {
            boolean word = (scan.kind[k] == Scan.ALPHA && scan.has(k, Scan.UPPER_INITIAL)) || ordinal(scan, k);
            if (!word) {
                return -1;
            }
            if (words > 0 && SUFFIXES.contains(scan, k)) {
                suffix = k;
                break;
            }
            words++;
            if (k + 1 >= scan.count || !scan.gapIs(k, " ")) {
                return -1;
            }
        }
        if (suffix < 0) {
            return -1;
        }
        int end = scan.end[suffix];
        if (scan.charAt(end) == '.' && scan.len(suffix) <= 4) {
            end++;
        }
        // a direction after the suffix: "Main St NW"
        int next = suffix + 1;
        if (next < scan.count
                && scan.gapIs(suffix, " ")
                && scan.has(next, Scan.ALL_UPPER)
                && scan.len(next) <= 2
                && DIRECTIONS.contains(scan, next)) {
            end = scan.end[next];
            suffix = next;
        }
        return extend(scan, suffix, end);
    }

    private static boolean ordinal(Scan scan, int t) {
        if (scan.kind[t] != Scan.MIXED || scan.len(t) < 3 || scan.len(t) > 6) {
            return false;
        }
        String text = scan.text;
        int e = scan.end[t];
        String suffix = text.substring(e - 2, e).toLowerCase(Locale.ROOT);
        return (suffix.equals("st") || suffix.equals("nd") || suffix.equals("rd") || suffix.equals("th"))
                && UsPassportRecognizer.allDigits(text, scan.start[t], e - 2);
    }

    // Unit, city, state and postal code after the street.
    private static int extend(Scan scan, int last, int end) {
        String text = scan.text;
        int k = last + 1;
        // unit: ", Apt 4B" / " Suite 200" / ", #12"
        if (k < scan.count
                && (gapIs(scan, end, k, ", ") || gapIs(scan, end, k, " "))
                && UNITS.contains(scan, k)
                && k + 1 < scan.count) {
            int after = scan.end[k];
            if (scan.charAt(after) == '.') {
                after++;
            }
            boolean number = scan.len(k + 1) <= 6 && scan.kind[k + 1] != Scan.ALPHA || scan.len(k + 1) == 1;
            if ((gapIs(scan, after, k + 1, " ") || gapIs(scan, after, k + 1, " #")) && number) {
                end = scan.end[k + 1];
                last = k + 1;
                k = last + 1;
            }
        } else if (k < scan.count && (gapIs(scan, end, k, ", #") || gapIs(scan, end, k, " #")) && scan.len(k) <= 6) {
            end = scan.end[k];
            last = k;
            k = last + 1;
        }
        // city: ", Mountain View"
        if (k < scan.count
                && gapIs(scan, end, k, ", ")
                && scan.kind[k] == Scan.ALPHA
                && scan.has(k, Scan.UPPER_INITIAL)
                && !scan.has(k, Scan.ALL_UPPER)) {
            int cityEnd = k;
            while (cityEnd + 1 < scan.count
                    && cityEnd - k < 2
                    && scan.gapIs(cityEnd, " ")
                    && scan.kind[cityEnd + 1] == Scan.ALPHA
                    && scan.has(cityEnd + 1, Scan.UPPER_INITIAL)
                    && !scan.has(cityEnd + 1, Scan.ALL_UPPER)) {
                cityEnd++;
            }
            int s = cityEnd + 1;
            // state: ", CA" or " CA"
            if (s < scan.count && (scan.gapIs(cityEnd, ", ") || scan.gapIs(cityEnd, " ")) && isState(scan, s)) {
                end = scan.end[s];
                last = s;
                int z = s + 1;
                if (z < scan.count && scan.gapIs(s, " ") && zip(scan, z)) {
                    end = zipEnd(scan, z);
                }
            } else if (s < scan.count && (scan.gapIs(cityEnd, " ") || scan.gapIs(cityEnd, ", ")) && zip(scan, s)) {
                end = zipEnd(scan, s);
            } else if (s < scan.count
                    && (scan.gapIs(cityEnd, " ") || scan.gapIs(cityEnd, ", "))
                    && ukPostcode(scan, s)) {
                end = scan.end[s + 1];
            } else {
                end = scan.end[cityEnd];
            }
            return end;
        }
        // ", 10115 Berlin" / ", 75002 Paris"
        if (k + 1 < scan.count
                && gapIs(scan, end, k, ", ")
                && scan.kind[k] == Scan.NUM
                && scan.len(k) >= 4
                && scan.len(k) <= 5
                && scan.gapIs(k, " ")
                && scan.kind[k + 1] == Scan.ALPHA
                && scan.has(k + 1, Scan.UPPER_INITIAL)) {
            return scan.end[k + 1];
        }
        return end;
    }

    private static boolean gapIs(Scan scan, int end, int next, String gap) {
        return scan.start[next] - end == gap.length() && scan.text.startsWith(gap, end);
    }

    private static boolean isState(Scan scan, int t) {
        return scan.len(t) == 2 && US_STATES.contains(scan.text.substring(scan.start[t], scan.end[t]));
    }

    private static boolean zip(Scan scan, int t) {
        return scan.kind[t] == Scan.NUM && scan.len(t) == 5;
    }

    private static int zipEnd(Scan scan, int t) {
        if (t + 1 < scan.count && scan.gapIs(t, "-") && scan.kind[t + 1] == Scan.NUM && scan.len(t + 1) == 4) {
            return scan.end[t + 1];
        }
        return scan.end[t];
    }

    // SW1A 1AA, EC1A 1BB, M1 1AE
    private static boolean ukPostcode(Scan scan, int t) {
        if (t + 1 >= scan.count
                || !scan.gapIs(t, " ")
                || !scan.has(t, Scan.ALL_UPPER)
                || !scan.has(t + 1, Scan.ALL_UPPER)) {
            return false;
        }
        int a = scan.len(t);
        int b = scan.len(t + 1);
        String text = scan.text;
        return a >= 2 && a <= 4 && b == 3 && scan.kind[t] == Scan.MIXED && Scan.isDigit(text.charAt(scan.start[t + 1]));
    }

    // Hauptstraße 5[a], [10115 Berlin]
    private static int germanic(Scan scan, int t) {
        int len = scan.len(t);
        if (len < 4 || t + 1 >= scan.count || scan.kind[t + 1] == Scan.ALPHA) {
            return -1; // a house number must follow
        }
        boolean street = false;
        int e = scan.end[t];
        for (String ending : GERMANIC_ENDINGS) {
            int n = ending.length();
            if (len > n + 1 && scan.text.regionMatches(true, e - n, ending, 0, n)) {
                street = true;
                break;
            }
        }
        if (!street) {
            return -1;
        }
        int k = t + 1;
        int afterWord = scan.end[t];
        if (scan.charAt(afterWord) == '.') {
            afterWord++;
        }
        if (!gapIs(scan, afterWord, k, " ") || !houseNumber(scan, k)) {
            return -1;
        }
        int end = scan.end[k];
        if (k + 1 < scan.count
                && scan.gapIs(k, ", ")
                && scan.kind[k + 1] == Scan.NUM
                && scan.len(k + 1) >= 4
                && scan.len(k + 1) <= 5
                && k + 2 < scan.count
                && scan.gapIs(k + 1, " ")
                && scan.has(k + 2, Scan.UPPER_INITIAL)) {
            end = scan.end[k + 2];
        }
        return end;
    }

    // 12[,] rue de la Paix[, 75002 Paris]
    private static int romanceAfterNumber(Scan scan, int t) {
        int k = t + 1;
        if (k >= scan.count || !(scan.gapIs(t, " ") || scan.gapIs(t, ", "))) {
            return -1;
        }
        if (!ROMANCE.contains(scan, k)) {
            return -1;
        }
        int last = romanceName(scan, k);
        if (last < 0) {
            return -1;
        }
        return extend(scan, last, scan.end[last]);
    }

    // Calle Mayor[,] 5 / Via Roma 10 / Rua Augusta, 123
    private static int romanceBeforeNumber(Scan scan, int t) {
        if (!ROMANCE.contains(scan, t)) {
            return -1;
        }
        int last = romanceName(scan, t);
        if (last < 0 || last + 1 >= scan.count) {
            return -1;
        }
        int k = last + 1;
        if (!(scan.gapIs(last, " ") || scan.gapIs(last, ", ")) || !houseNumber(scan, k)) {
            return -1;
        }
        return extend(scan, k, scan.end[k]);
    }

    // The last token of "<street word> [articles] Name [Name...]", or -1.
    private static int romanceName(Scan scan, int k) {
        int last = -1;
        int i = k + 1;
        while (i < scan.count && i - k <= 6 && (scan.gapIs(i - 1, " ") || scan.gapIs(i - 1, "'"))) {
            String word = scan.text.substring(scan.start[i], scan.end[i]).toLowerCase(Locale.ROOT);
            if (scan.kind[i] == Scan.ALPHA && scan.has(i, Scan.UPPER_INITIAL)) {
                last = i;
            } else if (!(scan.kind[i] == Scan.ALPHA && ARTICLES.contains(word))) {
                break;
            }
            i++;
        }
        return last;
    }

    // P.O. Box 1234 / PO Box 1234
    private static int poBox(Scan scan, int t) {
        int k;
        if (scan.is(t, "po") && t + 1 < scan.count) {
            k = t + 1;
        } else if (scan.is(t, "p") && t + 2 < scan.count && scan.gapIs(t, ".") && scan.is(t + 1, "o")) {
            k = t + 2;
        } else {
            return -1;
        }
        if (!scan.is(k, "box") || k + 1 >= scan.count || scan.kind[k + 1] != Scan.NUM) {
            return -1;
        }
        int gapStart = scan.end[k - 1];
        String gap = scan.text.substring(gapStart, scan.start[k]);
        if (!(gap.equals(" ") || gap.equals(". ")) || !scan.gapIs(k, " ")) {
            return -1;
        }
        return extend(scan, k + 1, scan.end[k + 1]);
    }
}
