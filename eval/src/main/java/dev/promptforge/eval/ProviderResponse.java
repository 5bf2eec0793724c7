package dev.promptforge.eval;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A provider's answer as the evaluators see it.
 *
 * @param output the answer's text
 * @param finishReason why generation stopped ({@code stop}, {@code length}, {@code content_filter},
 *     {@code tool_calls}), when the provider says
 * @param tokenUsage tokens, when known
 * @param cost US dollars, when the provider or the pricing table knows; null is unknown, never 0
 * @param logProbs the tokens' log probabilities, when the provider returns them
 */
public record ProviderResponse(
        String output,
        @Nullable String finishReason,
        @Nullable TokenUsage tokenUsage,
        @Nullable Double cost,
        @Nullable List<Double> logProbs) {

    public ProviderResponse {
        requireNonNull(output, "output");
        logProbs = logProbs == null ? null : List.copyOf(logProbs);
    }

    /** An answer with text only. */
    public static ProviderResponse of(String output) {
        return new ProviderResponse(output, null, null, null, null);
    }
}
