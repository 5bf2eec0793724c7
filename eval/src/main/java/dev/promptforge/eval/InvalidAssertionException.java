package dev.promptforge.eval;

/**
 * An assertion that cannot be compiled: unknown or unsupported type, a value of the wrong shape, a
 * missing judge or PII detector. Suites report it with the assertion's file and line before any
 * provider is called.
 */
public class InvalidAssertionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidAssertionException(String message) {
        super(message);
    }
}
