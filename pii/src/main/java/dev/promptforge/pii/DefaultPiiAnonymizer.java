package dev.promptforge.pii;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

final class DefaultPiiAnonymizer implements PiiAnonymizer {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec hmacKey;
    private final SecretKeySpec aesKey;
    private final SecureRandom random;

    DefaultPiiAnonymizer(byte[] hmacKey, byte[] encryptionKey, SecureRandom random) {
        this.hmacKey = hmacKey == null ? null : new SecretKeySpec(hmacKey, "HmacSHA256");
        this.aesKey = encryptionKey == null ? null : new SecretKeySpec(encryptionKey, "AES");
        this.random = random;
    }

    @Override
    public Anonymized anonymize(String text, List<PiiEntity> entities, PiiPolicy policy, PiiVault vault) {
        if (text == null || entities == null || policy == null || vault == null) {
            throw new NullPointerException("text, entities, policy and vault are required");
        }
        List<PiiEntity> spans = merge(text, entities);
        StringBuilder out = new StringBuilder(text.length() + spans.size() * 8);
        List<AnonymizedItem> items = new ArrayList<>(spans.size());
        int at = 0;
        for (PiiEntity entity : spans) {
            out.append(text, at, entity.start());
            Operator operator = policy.operatorFor(entity.type());
            String original = text.substring(entity.start(), entity.end());
            String replacement = apply(operator, entity.type(), original, text, vault);
            int start = out.length();
            out.append(replacement);
            items.add(new AnonymizedItem(entity.type(), start, out.length(), operator.name()));
            at = entity.end();
        }
        out.append(text, at, text.length());
        return new Anonymized(out.toString(), items);
    }

    // Sorted, with overlapping spans merged into one covering span of the higher-scored type.
    private static List<PiiEntity> merge(String text, List<PiiEntity> entities) {
        List<PiiEntity> sorted = new ArrayList<>(entities);
        for (PiiEntity entity : sorted) {
            if (entity.end() > text.length()) {
                throw new IllegalArgumentException("entity [" + entity.start() + ", " + entity.end()
                        + ") lies outside a text of " + text.length() + " characters");
            }
        }
        sorted.sort(Comparator.comparingInt(PiiEntity::start).thenComparingInt(e -> -e.end()));
        List<PiiEntity> merged = new ArrayList<>(sorted.size());
        for (PiiEntity entity : sorted) {
            if (!merged.isEmpty()) {
                PiiEntity last = merged.get(merged.size() - 1);
                if (entity.start() < last.end()) {
                    PiiEntity top = entity.score() > last.score() ? entity : last;
                    merged.set(
                            merged.size() - 1,
                            new PiiEntity(
                                    top.type(),
                                    last.start(),
                                    Math.max(last.end(), entity.end()),
                                    Math.max(last.score(), entity.score()),
                                    top.recognizer()));
                    continue;
                }
            }
            merged.add(entity);
        }
        return merged;
    }

    private String apply(Operator operator, String type, String original, String text, PiiVault vault) {
        return switch (operator) {
            case Operator.Replace replace -> replace.value() == null ? "<" + type + ">" : replace.value();
            case Operator.Placeholder placeholder -> vault.placeholder(type, original, text);
            case Operator.Redact redact -> "";
            case Operator.Mask mask -> mask(original, mask);
            case Operator.Hash hash -> hash(type, original);
            case Operator.Encrypt encrypt -> encrypt(type, original);
            case Operator.Keep keep -> original;
        };
    }

    static String mask(String value, Operator.Mask mask) {
        char[] chars = value.toCharArray();
        int maskable = 0;
        for (char c : chars) {
            if (Character.isLetterOrDigit(c)) {
                maskable++;
            }
        }
        int eligible = Math.max(0, maskable - mask.keepLast());
        int toMask = Math.min(eligible, mask.count());
        // positions among maskable characters [from, from + toMask) are masked
        int from = mask.fromEnd() ? eligible - toMask : 0;
        int index = 0;
        for (int i = 0; i < chars.length; i++) {
            if (Character.isLetterOrDigit(chars[i])) {
                if (index >= from && index < from + toMask) {
                    chars[i] = mask.character();
                }
                index++;
            }
        }
        return new String(chars);
    }

    private String hash(String type, String value) {
        if (hmacKey == null) {
            throw new IllegalStateException("the policy hashes " + type + " but the anonymizer has no HMAC key");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(hmacKey);
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }

    private String encrypt(String type, String value) {
        if (aesKey == null) {
            throw new IllegalStateException(
                    "the policy encrypts " + type + " but the anonymizer has no encryption key");
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
            ByteBuffer token = ByteBuffer.allocate(NONCE_BYTES + sealed.length);
            token.put(nonce).put(sealed);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(token.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    @Override
    public String decrypt(String token) {
        if (aesKey == null) {
            throw new IllegalStateException("the anonymizer has no encryption key");
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an encrypted value: not base64url", e);
        }
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalArgumentException("not an encrypted value: too short");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, aesKey, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            byte[] plain = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalArgumentException("the value was encrypted with another key or altered", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }
}
