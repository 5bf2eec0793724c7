package dev.promptforge.server.gateway;

/**
 * Limits retries to a share of calls, so an outage cannot multiply the load on a provider: every
 * first attempt deposits {@code ratio} of a token, every retry spends one; a small reserve lets a
 * quiet service retry at all.
 */
final class RetryBudget {

    private static final long SCALE = 1000;
    private final long deposit;
    private final long max;
    private long balance;

    RetryBudget(double ratio, int reserve) {
        this.deposit = Math.round(ratio * SCALE);
        this.max = reserve * SCALE + 100 * deposit;
        this.balance = reserve * SCALE;
    }

    synchronized void recordCall() {
        balance = Math.min(max, balance + deposit);
    }

    synchronized boolean tryRetry() {
        if (balance < SCALE) {
            return false;
        }
        balance -= SCALE;
        return true;
    }
}
