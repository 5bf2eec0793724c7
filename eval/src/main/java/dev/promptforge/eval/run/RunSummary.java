package dev.promptforge.eval.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a run amounts to: totals, one line per prompt × provider, and with repetitions, how stable
 * each test's verdict was.
 *
 * @param total the cells
 * @param passed passing cells
 * @param failed failing cells
 * @param errors cells that could not be evaluated
 * @param passRate passed / total (0 for an empty run)
 * @param meanScore mean score (errors score 0)
 * @param totalCost the sum of known costs
 * @param totalTokens the sum of known tokens
 * @param columns one line per prompt × provider
 * @param stability per test × prompt × provider, when tests ran more than once; empty otherwise
 */
public record RunSummary(
        int total,
        int passed,
        int failed,
        int errors,
        double passRate,
        double meanScore,
        double totalCost,
        long totalTokens,
        List<Column> columns,
        List<Stability> stability) {

    /**
     * One prompt × provider.
     *
     * @param prompt the prompt's label
     * @param provider the provider's label
     * @param passed passing cells
     * @param failed failing cells
     * @param errors error cells
     * @param meanScore mean score
     * @param meanLatencyMs mean latency of the cells that have one, null if none
     * @param cost the sum of known costs
     */
    public record Column(
            String prompt,
            String provider,
            int passed,
            int failed,
            int errors,
            double meanScore,
            @Nullable Double meanLatencyMs,
            double cost) {
        public int total() {
            return passed + failed + errors;
        }

        public double passRate() {
            return total() == 0 ? 0 : (double) passed / total();
        }
    }

    /**
     * How one test behaved across repetitions.
     *
     * @param testName the test
     * @param prompt the prompt's label
     * @param provider the provider's label
     * @param runs how many times it ran
     * @param passes how many of those passed
     * @param meanScore the mean score
     * @param scoreStdDev the scores' standard deviation (population)
     * @param distinctOutputs how many different answers the provider gave
     */
    public record Stability(
            String testName,
            String prompt,
            String provider,
            int runs,
            int passes,
            double meanScore,
            double scoreStdDev,
            int distinctOutputs) {

        /** Every run reached the same verdict. */
        public boolean stable() {
            return passes == 0 || passes == runs;
        }
    }

    static RunSummary of(RunResult run) {
        int passed = 0;
        int failed = 0;
        int errors = 0;
        double scoreSum = 0;
        double cost = 0;
        long tokens = 0;
        Map<String, List<TestResult>> byColumn = new LinkedHashMap<>();
        Map<String, List<TestResult>> byCell = new LinkedHashMap<>();
        for (TestResult result : run.results()) {
            switch (result.status()) {
                case PASS -> passed++;
                case FAIL -> failed++;
                case ERROR -> errors++;
            }
            scoreSum += result.score();
            cost += result.cost() == null ? 0 : result.cost();
            tokens += result.tokenUsage() == null ? 0 : result.tokenUsage().total();
            byColumn.computeIfAbsent(result.promptIndex() + "/" + result.providerIndex(), k -> new ArrayList<>())
                    .add(result);
            if (run.repeat() > 1) { // a cell's key (its variables as JSON) is costly: only for stability
                byCell.computeIfAbsent(result.key(), k -> new ArrayList<>()).add(result);
            }
        }
        int total = run.results().size();
        List<Column> columns = new ArrayList<>();
        for (List<TestResult> cells : byColumn.values()) {
            columns.add(column(cells));
        }
        List<Stability> stability = new ArrayList<>();
        if (run.repeat() > 1) {
            for (List<TestResult> cells : byCell.values()) {
                stability.add(stability(cells));
            }
        }
        return new RunSummary(
                total,
                passed,
                failed,
                errors,
                total == 0 ? 0 : (double) passed / total,
                total == 0 ? 0 : scoreSum / total,
                cost,
                tokens,
                columns,
                stability);
    }

    private static Column column(List<TestResult> cells) {
        int passed = 0;
        int failed = 0;
        int errors = 0;
        double score = 0;
        double latency = 0;
        int timed = 0;
        double cost = 0;
        for (TestResult cell : cells) {
            switch (cell.status()) {
                case PASS -> passed++;
                case FAIL -> failed++;
                case ERROR -> errors++;
            }
            score += cell.score();
            if (cell.latencyMs() != null) {
                latency += cell.latencyMs();
                timed++;
            }
            cost += cell.cost() == null ? 0 : cell.cost();
        }
        TestResult first = cells.get(0);
        return new Column(
                first.promptLabel(),
                first.providerLabel(),
                passed,
                failed,
                errors,
                score / cells.size(),
                timed == 0 ? null : latency / timed,
                cost);
    }

    private static Stability stability(List<TestResult> cells) {
        int passes = 0;
        double sum = 0;
        java.util.Set<String> outputs = new java.util.HashSet<>();
        for (TestResult cell : cells) {
            passes += cell.passed() ? 1 : 0;
            sum += cell.score();
            outputs.add(String.valueOf(cell.output()));
        }
        double mean = sum / cells.size();
        double squares = 0;
        for (TestResult cell : cells) {
            squares += (cell.score() - mean) * (cell.score() - mean);
        }
        TestResult first = cells.get(0);
        return new Stability(
                first.testName(),
                first.promptLabel(),
                first.providerLabel(),
                cells.size(),
                passes,
                mean,
                Math.sqrt(squares / cells.size()),
                outputs.size());
    }
}
