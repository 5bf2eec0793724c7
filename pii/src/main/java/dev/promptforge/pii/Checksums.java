package dev.promptforge.pii;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

// Check digits and address checksums. Digit arrays hold ASCII '0'..'9'.
final class Checksums {

    private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final int[] BASE58_INDEX = new int[128];
    private static final String BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static final int[] BECH32_INDEX = new int[128];
    private static final int BECH32_CONST = 1;
    private static final int BECH32M_CONST = 0x2bc830a3;

    static {
        java.util.Arrays.fill(BASE58_INDEX, -1);
        for (int i = 0; i < BASE58.length(); i++) {
            BASE58_INDEX[BASE58.charAt(i)] = i;
        }
        java.util.Arrays.fill(BECH32_INDEX, -1);
        for (int i = 0; i < BECH32.length(); i++) {
            BECH32_INDEX[BECH32.charAt(i)] = i;
        }
    }

    private Checksums() {}

    static boolean luhn(char[] digits, int n) {
        int sum = 0;
        boolean twice = false;
        for (int i = n - 1; i >= 0; i--) {
            int d = digits[i] - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    // NPI: Luhn over the 10 digits prefixed with 80840 (the card issuer prefix for US health).
    static boolean npi(char[] digits, int n) {
        if (n != 10 || (digits[0] != '1' && digits[0] != '2')) {
            return false;
        }
        char[] prefixed = new char[15];
        "80840".getChars(0, 5, prefixed, 0);
        System.arraycopy(digits, 0, prefixed, 5, 10);
        return luhn(prefixed, 15);
    }

    // ABA routing number: weights 3-7-1, and a Federal Reserve prefix.
    static boolean aba(char[] d, int n) {
        if (n != 9) {
            return false;
        }
        int prefix = (d[0] - '0') * 10 + (d[1] - '0');
        boolean known =
                prefix <= 12 || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) || prefix == 80;
        if (!known) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 9; i += 3) {
            sum += 3 * (d[i] - '0') + 7 * (d[i + 1] - '0') + (d[i + 2] - '0');
        }
        return sum % 10 == 0;
    }

    // DEA registration: (d1 + d3 + d5) + 2 * (d2 + d4 + d6) ends in d7.
    static boolean dea(CharSequence s, int offset) {
        int odd = 0;
        int even = 0;
        for (int i = 0; i < 6; i++) {
            int d = s.charAt(offset + i) - '0';
            if (i % 2 == 0) {
                odd += d;
            } else {
                even += d;
            }
        }
        return (odd + 2 * even) % 10 == s.charAt(offset + 6) - '0';
    }

    // IBAN mod-97 over the alphanumerics in chars (already stripped of separators, any case).
    static boolean ibanMod97(char[] chars, int n) {
        int remainder = 0;
        for (int k = 0; k < n; k++) {
            char c = chars[(k + 4) % n];
            int value;
            if (c >= '0' && c <= '9') {
                value = c - '0';
                remainder = (remainder * 10 + value) % 97;
            } else {
                char u = Character.toUpperCase(c);
                if (u < 'A' || u > 'Z') {
                    return false;
                }
                value = u - 'A' + 10;
                remainder = (remainder * 100 + value) % 97;
            }
        }
        return remainder == 1;
    }

    // Base58Check: 25 bytes (version, 20-byte hash, 4-byte checksum of double SHA-256). Decoded in
    // a 25-byte buffer: a value that does not fit, or whose leading zero bytes are not the leading
    // '1's, is not 25 bytes long.
    static boolean base58Check(CharSequence s, int start, int end) {
        byte[] bytes = new byte[25];
        int leadingOnes = 0;
        boolean leading = true;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            int digit = c < 128 ? BASE58_INDEX[c] : -1;
            if (digit < 0) {
                return false;
            }
            if (leading && digit == 0) {
                leadingOnes++;
            } else {
                leading = false;
            }
            int carry = digit;
            for (int j = 24; j >= 0; j--) {
                carry += 58 * (bytes[j] & 0xff);
                bytes[j] = (byte) carry;
                carry >>>= 8;
            }
            if (carry != 0) {
                return false;
            }
        }
        int zeros = 0;
        while (zeros < 25 && bytes[zeros] == 0) {
            zeros++;
        }
        if (zeros != leadingOnes) {
            return false;
        }
        byte[] hash = sha256(sha256(bytes, 21));
        for (int i = 0; i < 4; i++) {
            if (hash[i] != bytes[21 + i]) {
                return false;
            }
        }
        return true;
    }

    // Bech32 (BIP-173) for witness version 0 and bech32m (BIP-350) for later versions; hrp "bc".
    static boolean bech32(CharSequence s, int start, int end) {
        int n = end - start;
        if (n < 14 || n > 90) {
            return false;
        }
        boolean lower = false;
        boolean upper = false;
        int separator = -1;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z') {
                lower = true;
            } else if (c >= 'A' && c <= 'Z') {
                upper = true;
            } else if (c < '0' || c > '9') {
                return false;
            }
            if (c == '1') {
                separator = i;
            }
        }
        if (lower && upper || separator - start != 2 || end - separator - 1 < 6) {
            return false;
        }
        if (Character.toLowerCase(s.charAt(start)) != 'b' || Character.toLowerCase(s.charAt(start + 1)) != 'c') {
            return false;
        }
        int dataLength = end - separator - 1;
        int[] values = new int[5 + dataLength];
        // hrp expansion of "bc": high bits, 0, low bits
        values[0] = 'b' >> 5;
        values[1] = 'c' >> 5;
        values[2] = 0;
        values[3] = 'b' & 31;
        values[4] = 'c' & 31;
        for (int i = 0; i < dataLength; i++) {
            char c = Character.toLowerCase(s.charAt(separator + 1 + i));
            int v = c < 128 ? BECH32_INDEX[c] : -1;
            if (v < 0) {
                return false;
            }
            values[5 + i] = v;
        }
        int polymod = bech32Polymod(values);
        int witnessVersion = values[5];
        if (witnessVersion > 16) {
            return false;
        }
        int expected = witnessVersion == 0 ? BECH32_CONST : BECH32M_CONST;
        if (polymod != expected) {
            return false;
        }
        // witness program: (dataLength - 1 - 6) 5-bit groups -> 2..40 bytes; v0 is 20 or 32 bytes
        int programBits = (dataLength - 7) * 5;
        int programBytes = programBits / 8;
        if (programBytes < 2 || programBytes > 40) {
            return false;
        }
        return witnessVersion != 0 || programBytes == 20 || programBytes == 32;
    }

    private static int bech32Polymod(int[] values) {
        int[] generator = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
        int chk = 1;
        for (int v : values) {
            int top = chk >>> 25;
            chk = (chk & 0x1ffffff) << 5 ^ v;
            for (int i = 0; i < 5; i++) {
                if (((top >>> i) & 1) != 0) {
                    chk ^= generator[i];
                }
            }
        }
        return chk;
    }

    // EIP-55: a hex digit letter is upper case iff the matching nibble of keccak256(lower hex) >= 8.
    static boolean eip55(CharSequence s, int hexStart) {
        byte[] lower = new byte[40];
        for (int i = 0; i < 40; i++) {
            lower[i] = (byte) Character.toLowerCase(s.charAt(hexStart + i));
        }
        byte[] hash = Keccak256.digest(lower);
        for (int i = 0; i < 40; i++) {
            char c = s.charAt(hexStart + i);
            if (c >= '0' && c <= '9') {
                continue;
            }
            int nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
            boolean upper = c >= 'A' && c <= 'F';
            if (upper != (nibble >= 8)) {
                return false;
            }
        }
        return true;
    }

    static byte[] sha256(byte[] bytes) {
        return sha256(bytes, bytes.length);
    }

    private static final MessageDigest SHA_256;

    static {
        try {
            SHA_256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    // A clone of one prototype: cheaper than a provider lookup per call, and never shared.
    private static byte[] sha256(byte[] bytes, int length) {
        try {
            MessageDigest digest = (MessageDigest) SHA_256.clone();
            digest.update(bytes, 0, length);
            return digest.digest();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests of this JDK cannot be cloned", e);
        }
    }
}
