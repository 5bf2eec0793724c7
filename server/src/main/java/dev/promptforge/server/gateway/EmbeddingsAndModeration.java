package dev.promptforge.server.gateway;

import java.util.Map;
import java.util.Set;

/**
 * What a provider offers besides chat, for the server's evaluators ({@code similar}, {@code
 * answer-relevance}, {@code moderation}): embeddings and a moderation verdict. OpenAI-compatible
 * providers have both ({@code POST /embeddings}, {@code POST /moderations}). Calls block; a failure
 * is a {@link ProviderException} classified as for chat. Not part of the gateway's execution path.
 */
public interface EmbeddingsAndModeration {

    /** The embedding vector of {@code input} by {@code model} (e.g. {@code text-embedding-3-small}). */
    double[] embed(String model, String input);

    /** The moderation verdict on {@code input} by {@code model} (e.g. {@code omni-moderation-latest}). */
    ModerationVerdict moderate(String model, String input);

    /**
     * A moderation verdict.
     *
     * @param flagged the categories the model flagged
     * @param scores every category's score, 0 to 1
     */
    record ModerationVerdict(Set<String> flagged, Map<String, Double> scores) {
        public ModerationVerdict {
            flagged = Set.copyOf(flagged);
            scores = Map.copyOf(scores);
        }
    }
}
