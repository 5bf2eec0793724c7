package dev.promptforge.pii;

import java.util.Set;

/*
 * IPv4 (four dotted decimal octets, optional /prefix) from the digit chunks, and IPv6 (RFC 4291 text
 * forms including "::" and an embedded IPv4 tail) from each ':'.
 */
final class IpAddressRecognizer extends ScanRecognizer {

    private static final Context CONTEXT =
            Context.shared(0.05, 0.0, "ip", "ip address", "ipv4", "ipv6", "host", "server", "address", "gateway");

    IpAddressRecognizer() {
        super("ip-address", Set.of(PiiTypes.IP_ADDRESS));
    }

    @Override
    void scan(Scan scan, Sink sink) {
        ipv4(scan, sink);
        ipv6(scan, sink);
    }

    private void ipv4(Scan scan, Sink sink) {
        Chunks chunks = scan.chunks();
        String text = scan.text;
        for (int c = 0; c < chunks.count; c++) {
            int first = chunks.first[c];
            int last = chunks.last[c];
            for (int a = first; a + 3 <= last; a++) {
                int b = a + 3;
                if (!chunks.uniformSeparator(a, b) || chunks.separator(a) != '.') {
                    continue;
                }
                if ((a > first && chunks.separator(a - 1) == '.') || (b < last && chunks.separator(b) == '.')) {
                    continue;
                }
                boolean ok = true;
                for (int t = a; t <= b && ok; t++) {
                    ok = octet(text, scan.start[t], scan.end[t]) >= 0;
                }
                if (!ok) {
                    continue;
                }
                // a version "v1.2.3.4" or a decimal glued on: not an address
                char before = scan.charAt(scan.start[a] - 1);
                if (before == '.' || Scan.isLetterOrDigit(before)) {
                    continue;
                }
                int end = scan.end[b];
                if (b < last && chunks.separator(b) == '/') {
                    int prefix = octet(text, scan.start[b + 1], scan.end[b + 1]);
                    if (prefix >= 0 && prefix <= 32) {
                        end = scan.end[b + 1];
                    }
                }
                if (versionNearby(scan, chunks, c, a, b)) {
                    // "from v4.17.0 to 8.4.3.208": a four-part version among versions
                    sink.add(PiiTypes.IP_ADDRESS, scan.start[a], end, 0.3, Tier.WEAK, name(), CONTEXT, 2);
                } else {
                    scan.claim(scan.start[a], end);
                    sink.add(PiiTypes.IP_ADDRESS, scan.start[a], end, 0.95, Tier.VALIDATED, name(), CONTEXT, 2);
                }
                a = b;
            }
            scan.tick();
        }
    }

    private static final java.util.Set<String> LINKS =
            java.util.Set.of("to", "from", "and", "or", "vs", "than", "then");

    // Whether the dotted quad a..b of chunk c is listed with a version number (v1.2, 3.16.1, 2021.10):
    // "from 3.22.16 to 5.1.9.195", "v3.16.1 and 8.9.3.207".
    private static boolean versionNearby(Scan scan, Chunks chunks, int c, int a, int b) {
        for (int other = Math.max(0, c - 1); other <= Math.min(chunks.count - 1, c + 1); other++) {
            if (other == c) {
                continue;
            }
            int first = chunks.first[other];
            int last = chunks.last[other];
            if (last - first < 1
                    || last - first > 2
                    || !chunks.uniformSeparator(first, last)
                    || chunks.separator(first) != '.') {
                continue;
            }
            int left = other < c ? last : b;
            int right = other < c ? a : first;
            // the two numbers are linked by one word ("to", "and") or by punctuation
            int between = right - left - 1;
            if (other < c) {
                // a version written "v4.17.0" starts with a "v4" token
                char before = scan.charAt(scan.start[first] - 1);
                if (before == '.' && first > 0 && scan.end[first - 1] == scan.start[first] - 1) {
                    left = last;
                }
            }
            if (between == 0 && scan.gapLength(left) <= 3) {
                return true;
            }
            if (between == 1) {
                String word = scan.text
                        .substring(scan.start[left + 1], scan.end[left + 1])
                        .toLowerCase(java.util.Locale.ROOT);
                if (LINKS.contains(word)) {
                    return true;
                }
            }
        }
        return false;
    }

    // The value of a decimal octet without a leading zero, or -1.
    private static int octet(String text, int s, int e) {
        int len = e - s;
        if (len < 1 || len > 3 || (len > 1 && text.charAt(s) == '0')) {
            return -1;
        }
        int v = 0;
        for (int i = s; i < e; i++) {
            v = v * 10 + (text.charAt(i) - '0');
        }
        return v <= 255 ? v : -1;
    }

    private void ipv6(Scan scan, Sink sink) {
        String text = scan.text;
        int n = scan.length;
        int covered = 0;
        for (int k = 0; k < scan.colonCount; k++) {
            int colon = scan.colons[k];
            if (colon < covered) {
                continue;
            }
            int s = colon;
            while (s > covered && isIpv6Char(text.charAt(s - 1))) {
                s--;
            }
            int e = colon + 1;
            while (e < n && isIpv6Char(text.charAt(e))) {
                e++;
            }
            covered = e;
            // trailing sentence punctuation
            while (e > s
                    && (text.charAt(e - 1) == '.' || text.charAt(e - 1) == ':')
                    && !(e - s >= 2 && text.startsWith("::", e - 2))) {
                e--;
            }
            if (e - s < 3) {
                continue;
            }
            if (Scan.isLetterOrDigit(scan.charAt(s - 1))
                    || scan.charAt(s - 1) == '_'
                    || Scan.isLetterOrDigit(scan.charAt(e))) {
                continue;
            }
            int end = e;
            if (validIpv6(text, s, e)) {
                if (scan.charAt(e) == '/' && Scan.isDigit(scan.charAt(e + 1))) {
                    int p = e + 1;
                    int prefix = 0;
                    while (p < n && p < e + 4 && Scan.isDigit(text.charAt(p))) {
                        prefix = prefix * 10 + (text.charAt(p) - '0');
                        p++;
                    }
                    if (prefix <= 128 && !Scan.isLetterOrDigit(scan.charAt(p))) {
                        end = p;
                    }
                }
                sink.add(PiiTypes.IP_ADDRESS, s, end, 0.95, Tier.VALIDATED, name(), CONTEXT, 2);
            }
        }
    }

    private static boolean isIpv6Char(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
    }

    static boolean validIpv6(String text, int s, int e) {
        int groups = 0;
        boolean compressed = false;
        boolean digit = false;
        int i = s;
        if (text.startsWith("::", i)) {
            compressed = true;
            i += 2;
            if (i == e) {
                return false;
            }
        } else if (text.charAt(i) == ':') {
            return false;
        }
        while (i < e) {
            int groupStart = i;
            while (i < e && text.charAt(i) != ':' && text.charAt(i) != '.') {
                i++;
            }
            int len = i - groupStart;
            if (i < e && text.charAt(i) == '.') {
                // embedded IPv4 tail: the rest must be a dotted quad
                if (!ipv4Tail(text, groupStart, e)) {
                    return false;
                }
                groups += 2;
                digit = true;
                break;
            }
            if (len < 1 || len > 4) {
                return false;
            }
            for (int j = groupStart; j < i; j++) {
                if (Scan.isDigit(text.charAt(j))) {
                    digit = true;
                }
            }
            groups++;
            if (i == e) {
                break;
            }
            // at a ':'
            i++;
            if (i < e && text.charAt(i) == ':') {
                if (compressed) {
                    return false;
                }
                compressed = true;
                i++;
                if (i == e) {
                    break;
                }
            } else if (i == e) {
                return false;
            }
        }
        if (!digit) {
            return false;
        }
        return compressed ? groups < 8 && groups >= 1 : groups == 8;
    }

    private static boolean ipv4Tail(String text, int s, int e) {
        int parts = 0;
        int i = s;
        while (i <= e) {
            int start = i;
            while (i < e && text.charAt(i) != '.') {
                i++;
            }
            if (octet(text, start, i) < 0) {
                return false;
            }
            for (int j = start; j < i; j++) {
                if (!Scan.isDigit(text.charAt(j))) {
                    return false;
                }
            }
            parts++;
            i++;
        }
        return parts == 4;
    }
}
