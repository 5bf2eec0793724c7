package dev.promptforge.eval;

/**
 * Tokens of one call; {@code estimated} when the provider reported none and they were counted
 * locally.
 */
public record TokenUsage(int prompt, int completion, boolean estimated) {
    public int total() {
        return prompt + completion;
    }
}
