package dev.promptforge.server.records;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Scores records as they are saved. {@link #inline} runs before the record's commit, and its scores
 * are committed with the record in one transaction, so it must be cheap (deterministic evaluators);
 * {@link #committed} runs once the record is committed, to start slow scoring (an LLM judge) that adds
 * feedback later. Neither may fail the save: what they throw is logged and the record is kept.
 */
public interface RecordScorer {

    /** The scores to commit with the record. */
    List<Score> inline(ExecutionRecord record);

    /** The record is committed; slow scoring may start (and must not block the caller). */
    void committed(ExecutionRecord record);

    /**
     * One feedback score.
     *
     * @param name what was measured ({@code contains}, {@code politeness} …)
     * @param value from 0 to 1
     * @param passed the evaluator's verdict (its threshold applied), null when it gives none
     * @param source {@code auto}, {@code judge} or {@code human}
     * @param evaluatorVersion which evaluator (configuration and engine) gave it
     */
    record Score(
            String name,
            double value,
            @Nullable Boolean passed,
            @Nullable String reason,
            String source,
            @Nullable String evaluatorVersion) {
        public Score {
            requireNonNull(name, "name");
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException("a score is from 0 to 1, got " + value);
            }
            if (!Records.SOURCES.contains(source)) {
                throw new IllegalArgumentException("source must be auto, judge or human");
            }
        }
    }
}
