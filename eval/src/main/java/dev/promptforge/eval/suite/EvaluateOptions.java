package dev.promptforge.eval.suite;

/**
 * How a suite runs (promptfoo's {@code evaluateOptions}).
 *
 * @param maxConcurrency calls in flight per provider (default 4)
 * @param repeat how many times each test runs (default 1)
 * @param delayMs pause after each provider call; a delay makes calls to a provider sequential, as
 *     in promptfoo
 * @param timeoutMs the longest a provider call may take, 0 for no limit
 * @param cache whether answers come from and go to the response cache (default true)
 */
public record EvaluateOptions(int maxConcurrency, int repeat, long delayMs, long timeoutMs, boolean cache) {

    public static final EvaluateOptions DEFAULTS = new EvaluateOptions(4, 1, 0, 0, true);

    public EvaluateOptions {
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be at least 1");
        }
        if (repeat < 1) {
            throw new IllegalArgumentException("repeat must be at least 1");
        }
        if (delayMs < 0 || timeoutMs < 0) {
            throw new IllegalArgumentException("delay and timeoutMs cannot be negative");
        }
    }

    public EvaluateOptions withMaxConcurrency(int value) {
        return new EvaluateOptions(value, repeat, delayMs, timeoutMs, cache);
    }

    public EvaluateOptions withRepeat(int value) {
        return new EvaluateOptions(maxConcurrency, value, delayMs, timeoutMs, cache);
    }

    public EvaluateOptions withDelayMs(long value) {
        return new EvaluateOptions(maxConcurrency, repeat, value, timeoutMs, cache);
    }

    public EvaluateOptions withTimeoutMs(long value) {
        return new EvaluateOptions(maxConcurrency, repeat, delayMs, value, cache);
    }

    public EvaluateOptions withCache(boolean value) {
        return new EvaluateOptions(maxConcurrency, repeat, delayMs, timeoutMs, value);
    }
}
