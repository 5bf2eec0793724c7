package dev.promptforge.eval;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What an assertion grades: the provider's answer, the prompt that produced it, the test's
 * variables, the call's latency and whether the answer came from the cache.
 */
public record AssertionContext(
        ProviderResponse response,
        String prompt,
        Map<String, Object> vars,
        @Nullable Double latencyMs,
        boolean cached) {

    public AssertionContext {
        requireNonNull(response, "response");
        requireNonNull(prompt, "prompt");
        vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
    }

    /** A context for an output alone (no prompt, variables or latency). */
    public static AssertionContext ofOutput(String output) {
        return new AssertionContext(ProviderResponse.of(output), "", Map.of(), null, false);
    }

    public String output() {
        return response.output();
    }
}
