package dev.promptforge.eval;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The model that grades answers for model-graded assertions ({@code llm-rubric}, {@code factuality},
 * {@code similar} …): chat completions, and where it has them, embeddings and moderation. Calls block
 * and may come from several threads at once. A failed call throws {@link EvaluationException}.
 */
public interface Judge {

    /** The judge's provider id, for reasons and reports. */
    String id();

    /** True when {@link #complete} works (false for an embeddings-only or moderation-only judge). */
    default boolean supportsChat() {
        return true;
    }

    /** The judge's answer to a chat. */
    String complete(List<Message> messages);

    /** True when {@link #embed} works. */
    default boolean supportsEmbeddings() {
        return false;
    }

    /** An embedding vector of the text. */
    default double[] embed(String text) {
        throw new EvaluationException("The judge " + id() + " has no embeddings");
    }

    /** True when {@link #moderate} works. */
    default boolean supportsModeration() {
        return false;
    }

    /** A moderation verdict on the text. */
    default Moderation moderate(String text) {
        throw new EvaluationException("The judge " + id() + " has no moderation endpoint");
    }

    /**
     * One judge per kind of call, as promptfoo's {@code provider: {text, embedding, moderation}}
     * names them; a kind left out (null) is not supported.
     */
    static Judge combine(@Nullable Judge text, @Nullable Judge embedding, @Nullable Judge moderation) {
        return new CombinedJudge(text, embedding, moderation);
    }

    /**
     * A moderation verdict.
     *
     * @param flagged categories the moderation model flagged
     * @param scores every category's score, 0 to 1
     */
    record Moderation(Set<String> flagged, Map<String, Double> scores) {
        public Moderation {
            flagged = Set.copyOf(flagged);
            scores = Map.copyOf(scores);
        }
    }
}
