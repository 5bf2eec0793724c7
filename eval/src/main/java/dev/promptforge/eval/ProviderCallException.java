package dev.promptforge.eval;

/** A provider call that failed; the message says why (HTTP status, timeout, refused key …). */
public class ProviderCallException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ProviderCallException(String message) {
        super(message);
    }

    public ProviderCallException(String message, Throwable cause) {
        super(message, cause);
    }
}
