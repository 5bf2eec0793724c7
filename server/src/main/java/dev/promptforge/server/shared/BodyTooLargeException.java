package dev.promptforge.server.shared;

import java.io.IOException;

/** Thrown while reading a request body that has grown past the configured limit (answered 413). */
public final class BodyTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    public BodyTooLargeException(String message) {
        super(message);
    }
}
