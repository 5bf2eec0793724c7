package dev.promptforge.server.evalruns;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A stored evaluation run: who sent it, its summary, and its matrix of cells (one per test × prompt
 * × provider × repetition). {@code cells} is empty in listings.
 */
public record EvalRun(
        String runId,
        String project,
        String suite,
        @Nullable String description,
        Instant startedAt,
        Instant finishedAt,
        double passRate,
        int passed,
        int failed,
        int errors,
        List<Cell> cells,
        String createdBy,
        Instant createdAt) {

    public EvalRun {
        Objects.requireNonNull(runId, "runId");
        cells = List.copyOf(cells);
    }

    /** Every cell of the run. */
    public int total() {
        return passed + failed + errors;
    }

    /** One cell of the matrix: status PASS, FAIL or ERROR; score from 0 to 1 when graded. */
    public record Cell(
            String test,
            String prompt,
            String provider,
            @Nullable Integer repeat,
            String status,
            @Nullable Double score,
            @Nullable Double latencyMs,
            @Nullable String error) {

        /** The same cell in another run: test, prompt and provider. */
        public String key() {
            return test + "\u0000" + prompt + "\u0000" + provider;
        }

        /** This cell with {@code repeat} set. */
        public Cell withRepeat(int value) {
            return new Cell(test, prompt, provider, value, status, score, latencyMs, error);
        }

        public boolean passed() {
            return "PASS".equals(status);
        }
    }
}
