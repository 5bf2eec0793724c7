package dev.promptforge.server.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API key material. A key is {@code pf_} and 32 random URL-safe characters (192 bits); only its
 * SHA-256 is stored (a slow password hash adds nothing at that entropy and would cost every request),
 * with the first characters kept visible so a person can tell keys apart.
 */
final class ApiKeys {

    static final int PREFIX_LENGTH = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {}

    static String generate() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return "pf_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    static String prefix(String key) {
        return key.substring(0, Math.min(PREFIX_LENGTH, key.length()));
    }
}
