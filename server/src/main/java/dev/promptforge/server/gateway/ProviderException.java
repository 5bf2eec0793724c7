package dev.promptforge.server.gateway;

import static java.util.Objects.requireNonNull;

/** A failed provider call: the classified failure and a message a person can act on. */
public final class ProviderException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ProviderFailure failure;

    public ProviderException(ProviderFailure failure, String message) {
        super(message);
        this.failure = requireNonNull(failure, "failure");
    }

    public ProviderException(ProviderFailure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = requireNonNull(failure, "failure");
    }

    public ProviderFailure failure() {
        return failure;
    }
}
