package dev.promptforge.pii;

import java.util.Set;

/*
 * E-mail addresses, found from each '@' by a bounded scan left over the local part and right over
 * the domain: dot-separated labels and an alphabetic top-level domain that is not a file extension.
 */
final class EmailRecognizer extends ScanRecognizer {

    private static final Set<String> FILE_EXTENSIONS = Set.of(
            "png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "pdf", "js", "css", "html", "htm", "txt", "json",
            "xml", "zip", "gz", "tar", "exe", "dll", "so", "jar", "py", "java", "md");

    EmailRecognizer() {
        super("email", Set.of(PiiTypes.EMAIL_ADDRESS));
    }

    @Override
    void scan(Scan scan, Sink sink) {
        String text = scan.text;
        int covered = 0;
        for (int k = 0; k < scan.atCount; k++) {
            int at = scan.ats[k];
            if (at < covered) {
                continue;
            }
            int s = at;
            int limit = Math.max(covered, at - 64);
            while (s > limit && isLocal(text.charAt(s - 1))) {
                s--;
            }
            while (s < at && (text.charAt(s) == '.' || text.charAt(s) == '-')) {
                s++;
            }
            if (s == at || text.charAt(at - 1) == '.') {
                continue;
            }
            int e = domainEnd(text, at + 1);
            if (e < 0) {
                continue;
            }
            sink.add(PiiTypes.EMAIL_ADDRESS, s, e, 1.0, Tier.VALIDATED, name(), null, false);
            covered = e;
        }
    }

    static boolean isLocal(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '.'
                || c == '_'
                || c == '%'
                || c == '+'
                || c == '-'
                || c == '\''
                || (c > 127 && Character.isLetterOrDigit(c));
    }

    // The end of a valid domain starting at from, or -1.
    static int domainEnd(String text, int from) {
        int n = text.length();
        int limit = Math.min(n, from + 255);
        int i = from;
        int labels = 0;
        int lastLabelStart = -1;
        int end = -1;
        while (i < limit) {
            int labelStart = i;
            while (i < limit && isDomainChar(text.charAt(i))) {
                i++;
            }
            int labelLength = i - labelStart;
            if (labelLength == 0 || labelLength > 63 || text.charAt(labelStart) == '-' || text.charAt(i - 1) == '-') {
                break;
            }
            labels++;
            lastLabelStart = labelStart;
            end = i;
            if (i + 1 < limit && text.charAt(i) == '.' && isDomainChar(text.charAt(i + 1))) {
                i++;
            } else {
                break;
            }
        }
        if (labels < 2) {
            return -1;
        }
        // the top-level domain: letters only, 2 to 24, not a file extension
        int tldLength = end - lastLabelStart;
        if (tldLength < 2 || tldLength > 24) {
            return -1;
        }
        for (int j = lastLabelStart; j < end; j++) {
            char c = text.charAt(j);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return -1;
            }
        }
        if (FILE_EXTENSIONS.contains(text.substring(lastLabelStart, end).toLowerCase(java.util.Locale.ROOT))) {
            return -1;
        }
        if (end < n && (Scan.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '@')) {
            return -1;
        }
        return end;
    }

    static boolean isDomainChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '-'
                || (c > 127 && Character.isLetterOrDigit(c));
    }
}
