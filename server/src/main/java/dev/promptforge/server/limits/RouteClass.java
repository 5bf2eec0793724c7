package dev.promptforge.server.limits;

import java.util.Locale;

/** What a rate limit counts: executions, reads, or other changes, each with its own bucket per key. */
public enum RouteClass {
    /** {@code POST /v1/chat/completions} and {@code POST /api/v1/prompt/execute}. */
    EXECUTE,
    /** {@code GET} and {@code HEAD} on {@code /api/**}. */
    READ,
    /** Every other method on {@code /api/**}. */
    WRITE;

    final String tag = name().toLowerCase(Locale.ROOT);
}
