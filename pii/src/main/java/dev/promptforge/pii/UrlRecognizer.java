package dev.promptforge.pii;

import java.util.Locale;
import java.util.Set;

/*
 * URLs: scheme forms (http, https, ftp, ...), "www." forms, and bare domains whose top-level domain
 * is a common one (so "Node.js" and "e.g." are not URLs). The tail runs to the next blank and loses
 * trailing punctuation and unbalanced closing brackets.
 */
final class UrlRecognizer extends ScanRecognizer {

    private static final Set<String> SCHEMES = Set.of("http", "https", "ftp", "ftps", "sftp", "ws", "wss");
    private static final Set<String> BARE_TLDS = Set.of(
            "com",
            "org",
            "net",
            "edu",
            "gov",
            "mil",
            "int",
            "io",
            "co",
            "ai",
            "app",
            "dev",
            "info",
            "biz",
            "me",
            "us",
            "uk",
            "de",
            "fr",
            "in",
            "ca",
            "br",
            "au",
            "es",
            "it",
            "nl",
            "eu",
            "ch",
            "at",
            "be",
            "se",
            "no",
            "dk",
            "fi",
            "pt",
            "ie",
            "jp",
            "cn",
            "ru",
            "mx",
            "za",
            "nz",
            "sg",
            "hk",
            "kr",
            "tv",
            "xyz",
            "online",
            "site",
            "tech",
            "store",
            "cloud",
            "health",
            "bank",
            "insurance",
            "shop",
            "blog",
            "news");
    private static final Context CONTEXT =
            Context.shared(0.2, 0.0, "url", "website", "link", "site", "homepage", "web", "visit", "profile");

    UrlRecognizer() {
        super("url", Set.of(PiiTypes.URL));
    }

    @Override
    void scan(Scan scan, Sink sink) {
        String text = scan.text;
        int covered = 0;
        for (int t = 0; t < scan.count; t++) {
            int s = scan.start[t];
            char next = scan.charAt(scan.end[t]);
            if ((next != ':' && next != '.') || s < covered || scan.kind[t] == Scan.NUM) {
                continue; // a URL token is followed by "://" or by a dot
            }
            int len = scan.len(t);
            if (len <= 5 && text.startsWith("://", scan.end[t]) && SCHEMES.contains(lower(text, s, scan.end[t]))) {
                int hostStart = scan.end[t] + 3;
                int hostEnd = hostEnd(text, hostStart);
                if (hostEnd > hostStart) {
                    int e = tail(text, hostEnd);
                    sink.add(PiiTypes.URL, s, e, 0.9, Tier.VALIDATED, name(), CONTEXT, false);
                    covered = e;
                }
                continue;
            }
            char before = scan.charAt(s - 1);
            if (before == '@' || before == '.' || before == '/' || before == '\\' || before == '-' || before == '_') {
                continue;
            }
            if (len == 3 && scan.is(t, "www") && scan.charAt(scan.end[t]) == '.') {
                int hostEnd = hostEnd(text, s);
                if (hostEnd > scan.end[t] + 1 && dots(text, s, hostEnd) >= 2) {
                    int e = tail(text, hostEnd);
                    sink.add(PiiTypes.URL, s, e, 0.85, Tier.VALIDATED, name(), CONTEXT, false);
                    covered = e;
                }
                continue;
            }
            if (scan.charAt(scan.end[t]) != '.') {
                continue;
            }
            // bare domain: label(.label)+ with a common TLD, not followed by '@' (an e-mail's local part)
            int last = t;
            while (last + 1 < scan.count && scan.gapIs(last, ".") && scan.kind[last + 1] != Scan.NUM) {
                last++;
            }
            if (last == t
                    || scan.kind[last] != Scan.ALPHA
                    || !BARE_TLDS.contains(lower(text, scan.start[last], scan.end[last]))) {
                continue;
            }
            char after = scan.charAt(scan.end[last]);
            if (after == '@'
                    || after == '-'
                    || after == '_'
                    || (after == '.' && Scan.isLetterOrDigit(scan.charAt(scan.end[last] + 1)))) {
                continue;
            }
            int e = after == '/' || after == ':' ? tail(text, scan.end[last]) : scan.end[last];
            sink.add(PiiTypes.URL, s, e, 0.6, Tier.WEAK, name(), CONTEXT, false);
            covered = e;
            t = last;
        }
    }

    private static String lower(String text, int s, int e) {
        return text.substring(s, e).toLowerCase(Locale.ROOT);
    }

    private static int dots(String text, int s, int e) {
        int n = 0;
        for (int i = s; i < e; i++) {
            if (text.charAt(i) == '.') {
                n++;
            }
        }
        return n;
    }

    // The end of a host name (labels, dots, an optional IPv6 literal), without a trailing dot.
    private static int hostEnd(String text, int from) {
        int n = text.length();
        int i = from;
        if (i < n && text.charAt(i) == '[') {
            for (int j = i + 1; j < n && j - i <= 48; j++) {
                if (text.charAt(j) == ']') {
                    return j + 1;
                }
            }
            return from;
        }
        // user info
        while (i < n && (EmailRecognizer.isDomainChar(text.charAt(i)) || text.charAt(i) == '.')) {
            i++;
        }
        while (i > from && text.charAt(i - 1) == '.') {
            i--;
        }
        return i;
    }

    // Extends over the path, query and fragment; drops trailing punctuation and unbalanced brackets.
    static int tail(String text, int from) {
        int n = text.length();
        int i = from;
        while (i < n) {
            char c = text.charAt(i);
            if (c <= ' '
                    || c == '<'
                    || c == '>'
                    || c == '"'
                    || c == '`'
                    || c == '{'
                    || c == '}'
                    || c == '|'
                    || c == '\\'
                    || c == '^'
                    || Character.isWhitespace(c)) {
                break;
            }
            i++;
        }
        while (i > from) {
            char c = text.charAt(i - 1);
            if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '\'' || c == '*') {
                i--;
            } else if (c == ')' && !balanced(text, from, i - 1, '(', ')')) {
                i--;
            } else if (c == ']' && !balanced(text, from, i - 1, '[', ']')) {
                i--;
            } else {
                break;
            }
        }
        return i;
    }

    private static boolean balanced(String text, int from, int to, char open, char close) {
        int depth = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == open) {
                depth++;
            } else if (c == close) {
                depth--;
            }
        }
        return depth > 0;
    }
}
