package dev.promptforge.pii;

/**
 * The text could not be made safe: analysis failed, took too long, or the policy blocks it. The
 * caller must not send the text on. Messages never contain the text or the entities found.
 */
public class PiiException extends RuntimeException {

    public PiiException(String message) {
        super(message);
    }

    public PiiException(String message, Throwable cause) {
        super(message, cause);
    }
}
