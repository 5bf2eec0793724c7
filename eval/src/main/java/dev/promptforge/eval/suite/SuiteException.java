package dev.promptforge.eval.suite;

import org.jspecify.annotations.Nullable;

/**
 * A suite that cannot be loaded: the message starts with the file and line ({@code
 * suite.yaml:12:7: …}) and says what to change.
 */
public final class SuiteException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient @Nullable Location location;

    public SuiteException(Location location, String message) {
        super(location + ": " + message);
        this.location = location;
    }

    public SuiteException(Location location, String message, Throwable cause) {
        super(location + ": " + message, cause);
        this.location = location;
    }

    public @Nullable Location location() {
        return location;
    }
}
