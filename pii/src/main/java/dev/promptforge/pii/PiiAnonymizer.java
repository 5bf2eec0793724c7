package dev.promptforge.pii;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * Applies the operators of a {@link PiiPolicy} to the entities found in a text. Thread-safe; the
 * keys for {@link Operator#hash()} and {@link Operator#encrypt()} are the caller's (one per project),
 * given to the {@link Builder}.
 */
public interface PiiAnonymizer {

    /**
     * Replaces each entity of {@code text} by its type's operator. Overlapping entities are merged
     * first, so no character of an entity survives; entities may come in any order.
     *
     * @param vault receives the originals of {@link Operator#placeholder()} replacements
     * @throws IllegalStateException if the policy hashes or encrypts and no key was given
     * @throws IllegalArgumentException if an entity lies outside the text
     */
    Anonymized anonymize(String text, List<PiiEntity> entities, PiiPolicy policy, PiiVault vault);

    /**
     * Decrypts a value produced by {@link Operator#encrypt()} with this anonymizer's key.
     *
     * @throws IllegalArgumentException if the token is malformed, was made with another key or was
     *     altered
     */
    String decrypt(String token);

    /** A builder without keys. */
    static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link PiiAnonymizer}. */
    final class Builder {

        private byte[] hmacKey;
        private byte[] encryptionKey;
        private SecureRandom random;

        Builder() {}

        /** The key of {@link Operator#hash()}: at least 32 bytes. */
        public Builder hmacKey(byte[] key) {
            if (key == null || key.length < 32) {
                throw new IllegalArgumentException("the HMAC key must have at least 32 bytes");
            }
            hmacKey = key.clone();
            return this;
        }

        /** The AES-256 key of {@link Operator#encrypt()}: exactly 32 bytes. */
        public Builder encryptionKey(byte[] key) {
            if (key == null || key.length != 32) {
                throw new IllegalArgumentException("the encryption key must have exactly 32 bytes (AES-256)");
            }
            encryptionKey = key.clone();
            return this;
        }

        /** The source of encryption nonces; a new {@link SecureRandom} unless set. */
        public Builder random(SecureRandom source) {
            random = source;
            return this;
        }

        /** Builds the anonymizer. */
        public PiiAnonymizer build() {
            return new DefaultPiiAnonymizer(
                    hmacKey == null ? null : Arrays.copyOf(hmacKey, hmacKey.length),
                    encryptionKey == null ? null : Arrays.copyOf(encryptionKey, encryptionKey.length),
                    random == null ? new SecureRandom() : random);
        }
    }
}
