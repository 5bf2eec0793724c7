package dev.promptforge.pii;

/**
 * What {@link PiiAnonymizer} puts in place of an entity. Records, so a {@link PiiPolicy} can be
 * stored and read back as data.
 */
public sealed interface Operator
        permits Operator.Replace,
                Operator.Placeholder,
                Operator.Redact,
                Operator.Mask,
                Operator.Hash,
                Operator.Encrypt,
                Operator.Keep {

    /** A short name for reports: {@code replace}, {@code placeholder}, {@code redact}, ... */
    String name();

    /**
     * Replaces the entity with {@code value}, or with {@code <TYPE>} (e.g. {@code <PERSON>}) when
     * {@code value} is null. Not reversible.
     */
    record Replace(String value) implements Operator {
        @Override
        public String name() {
            return "replace";
        }
    }

    /**
     * Replaces the entity with a numbered placeholder, {@code <PERSON_1>}, the same for the same
     * value everywhere in a request (one {@link PiiVault}); the vault restores the original.
     */
    record Placeholder() implements Operator {
        @Override
        public String name() {
            return "placeholder";
        }
    }

    /** Removes the entity. */
    record Redact() implements Operator {
        @Override
        public String name() {
            return "redact";
        }
    }

    /**
     * Overwrites letters and digits of the entity with {@code character}, keeping separators, so a
     * card stays recognisable as {@code ****-****-****-1111}.
     *
     * @param character the masking character
     * @param count how many letters and digits to mask at most ({@link Integer#MAX_VALUE}: all)
     * @param fromEnd mask from the end instead of from the start
     * @param keepLast leave the last this many letters and digits unmasked
     */
    record Mask(char character, int count, boolean fromEnd, int keepLast) implements Operator {
        public Mask {
            if (count < 0 || keepLast < 0) {
                throw new IllegalArgumentException("mask count and keepLast must not be negative");
            }
        }

        @Override
        public String name() {
            return "mask";
        }
    }

    /**
     * Replaces the entity with the hex HMAC-SHA256 of its text under the caller's per-project key:
     * equal values give equal hashes, and nobody without the key can test a guess.
     */
    record Hash() implements Operator {
        @Override
        public String name() {
            return "hash";
        }
    }

    /**
     * Replaces the entity with its AES-256-GCM encryption under the caller's key (base64url of nonce
     * and ciphertext); {@link PiiAnonymizer#decrypt(String)} reverses it.
     */
    record Encrypt() implements Operator {
        @Override
        public String name() {
            return "encrypt";
        }
    }

    /** Leaves the entity as it is (it is still reported in the items). */
    record Keep() implements Operator {
        @Override
        public String name() {
            return "keep";
        }
    }

    /** {@code <TYPE>}. */
    static Operator replace() {
        return new Replace(null);
    }

    /** A fixed replacement text. */
    static Operator replaceWith(String value) {
        if (value == null) {
            throw new NullPointerException("value");
        }
        return new Replace(value);
    }

    /** Numbered, reversible placeholders. */
    static Operator placeholder() {
        return new Placeholder();
    }

    /** Removal. */
    static Operator redact() {
        return new Redact();
    }

    /** Masks every letter and digit but the last {@code keepLast} with {@code character}. */
    static Operator mask(char character, int keepLast) {
        return new Mask(character, Integer.MAX_VALUE, false, keepLast);
    }

    /** HMAC-SHA256 under the anonymizer's key. */
    static Operator hash() {
        return new Hash();
    }

    /** AES-256-GCM under the anonymizer's key. */
    static Operator encrypt() {
        return new Encrypt();
    }

    /** No change. */
    static Operator keep() {
        return new Keep();
    }
}
