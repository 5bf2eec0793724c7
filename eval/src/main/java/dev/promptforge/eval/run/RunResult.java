package dev.promptforge.eval.run;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The results of a suite run, in matrix order (repetition, test, prompt, provider).
 *
 * @param description the suite's description
 * @param configFile the suite file
 * @param tags the suite's tags
 * @param startedAt when the run started
 * @param durationMs how long it took
 * @param prompts the prompts' labels, in order
 * @param providers the providers' labels, in order
 * @param repeat how many times each test ran
 * @param results every cell
 */
public record RunResult(
        @Nullable String description,
        String configFile,
        Map<String, String> tags,
        Instant startedAt,
        long durationMs,
        List<String> prompts,
        List<String> providers,
        int repeat,
        List<TestResult> results) {

    public RunResult {
        requireNonNull(configFile, "configFile");
        tags = Map.copyOf(tags);
        requireNonNull(startedAt, "startedAt");
        prompts = List.copyOf(prompts);
        providers = List.copyOf(providers);
        results = List.copyOf(results);
    }

    /** Counts and rates over the whole run and per prompt × provider. */
    public RunSummary summary() {
        return RunSummary.of(this);
    }
}
