package dev.promptforge.pii;

import java.time.Duration;

/** The analysis exceeded its time budget. */
public final class PiiTimeoutException extends PiiException {

    private final Duration budget;

    public PiiTimeoutException(Duration budget) {
        super("PII analysis exceeded its time budget of " + budget.toMillis() + " ms");
        this.budget = budget;
    }

    /** The budget that was exceeded. */
    public Duration budget() {
        return budget;
    }
}
