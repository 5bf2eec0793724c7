package dev.promptforge.server.secrets;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.subtle.AesGcmJce;
import com.google.crypto.tink.util.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The master key: 32 random bytes (AES-256-GCM through Tink) that encrypt the data keys of every
 * secret. Its {@link #id()} names it without revealing it; {@link #toString()} never shows it.
 */
public final class MasterKey {

    static final int LENGTH = 32;

    private final byte[] bytes;
    private final String id;
    private final Aead aead;

    private MasterKey(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a master key is " + LENGTH + " bytes, got " + bytes.length);
        }
        this.bytes = bytes.clone();
        this.id = id(this.bytes);
        try {
            AesGcmParameters parameters = AesGcmParameters.builder()
                    .setKeySizeBytes(LENGTH)
                    .setIvSizeBytes(12)
                    .setTagSizeBytes(16)
                    .setVariant(AesGcmParameters.Variant.NO_PREFIX)
                    .build();
            this.aead = AesGcmJce.create(AesGcmKey.builder()
                    .setParameters(parameters)
                    .setKeyBytes(SecretBytes.copyFrom(this.bytes, InsecureSecretKeyAccess.get()))
                    .build());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available: " + e.getMessage(), e);
        }
    }

    /** A new random key. */
    public static MasterKey generate() {
        byte[] bytes = new byte[LENGTH];
        new SecureRandom().nextBytes(bytes);
        return new MasterKey(bytes);
    }

    /**
     * The key written as base64 (e.g. the output of {@code openssl rand -base64 32}).
     *
     * @param origin where the text came from, for the error message (never the text itself)
     */
    public static MasterKey fromBase64(String text, String origin) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(origin + " is not base64: it must be " + LENGTH
                    + " random bytes in base64, e.g. from 'openssl rand -base64 32'");
        }
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException(origin + " must be " + LENGTH + " bytes in base64 (e.g. from"
                    + " 'openssl rand -base64 32'), got " + bytes.length + " bytes");
        }
        return new MasterKey(bytes);
    }

    /** The key as base64, for its key file. */
    String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** A public name of the key: the first 16 hex digits of HMAC-SHA256(key, "promptforge-master-key-id"). */
    public String id() {
        return id;
    }

    Aead aead() {
        return aead;
    }

    private static String id(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal("promptforge-master-key-id".getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    @Override
    public String toString() {
        return "MasterKey[id=" + id + "]";
    }
}
