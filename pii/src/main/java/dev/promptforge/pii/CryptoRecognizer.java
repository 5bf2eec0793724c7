package dev.promptforge.pii;

import java.util.Set;

/*
 * Cryptocurrency wallet addresses with their real checksums: Bitcoin base58check (P2PKH "1...",
 * P2SH "3...") and bech32/bech32m ("bc1..."), Ethereum "0x" + 40 hex (EIP-55 mixed case is verified
 * with Keccak-256; single-case addresses carry no checksum and score lower).
 */
final class CryptoRecognizer extends ScanRecognizer {

    private static final Context CONTEXT = Context.shared(
            0.3, 0.8, "bitcoin", "btc", "wallet", "eth", "ethereum", "crypto", "address", "send", "usdt", "coin");

    CryptoRecognizer() {
        super("crypto", Set.of(PiiTypes.CRYPTO));
    }

    @Override
    void scan(Scan scan, Sink sink) {
        String text = scan.text;
        for (int m = 0; m < scan.markCount; m++) {
            int t = scan.marks[m];
            int len = scan.len(t);
            if (len < 25 || scan.kind[t] != Scan.MIXED) {
                continue;
            }
            int s = scan.start[t];
            int e = scan.end[t];
            char c0 = text.charAt(s);
            if ((c0 == '1' || c0 == '3') && len <= 34) {
                if (Checksums.base58Check(text, s, e)) {
                    sink.add(PiiTypes.CRYPTO, s, e, 1.0, Tier.VALIDATED, name(), CONTEXT, false);
                }
            } else if ((c0 == 'b' || c0 == 'B') && len >= 14 && len <= 90) {
                if (Checksums.bech32(text, s, e)) {
                    sink.add(PiiTypes.CRYPTO, s, e, 1.0, Tier.VALIDATED, name(), CONTEXT, false);
                }
            } else if (c0 == '0' && len == 42 && (text.charAt(s + 1) == 'x' || text.charAt(s + 1) == 'X')) {
                boolean lower = false;
                boolean upper = false;
                boolean hex = true;
                for (int i = s + 2; i < e && hex; i++) {
                    char c = text.charAt(i);
                    if (c >= 'a' && c <= 'f') {
                        lower = true;
                    } else if (c >= 'A' && c <= 'F') {
                        upper = true;
                    } else {
                        hex = Scan.isDigit(c);
                    }
                }
                if (!hex) {
                    continue;
                }
                if (lower && upper) {
                    if (Checksums.eip55(text, s + 2)) {
                        sink.add(PiiTypes.CRYPTO, s, e, 1.0, Tier.VALIDATED, name(), CONTEXT, false);
                    }
                } else {
                    sink.add(PiiTypes.CRYPTO, s, e, 0.6, Tier.WEAK, name(), CONTEXT, false);
                }
            }
        }
    }
}
