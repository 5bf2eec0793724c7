package dev.promptforge.server.secrets;

import static java.util.Objects.requireNonNull;

/**
 * A decrypted secret. It prints as {@code ***}, so a log line or an exception message that includes
 * it by mistake shows nothing; {@link #reveal()} is the one way to the value.
 */
public final class SecretValue {

    private final String value;

    SecretValue(String value) {
        this.value = requireNonNull(value, "value");
    }

    /** The plain value, for the one place that needs it (an outgoing request's header, say). */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "***";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SecretValue that && value.equals(that.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
