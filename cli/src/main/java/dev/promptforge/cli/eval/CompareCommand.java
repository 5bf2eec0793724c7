package dev.promptforge.cli.eval;

import dev.promptforge.eval.report.ComparisonReport;
import dev.promptforge.eval.report.JsonReport;
import dev.promptforge.eval.run.RunResult;
import dev.promptforge.eval.stats.Comparison;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code promptforge eval compare baseline.json candidate.json}: per-test changes, win/tie/loss,
 * the mean score difference with a seeded paired bootstrap 95 % interval, McNemar's test on
 * pass/fail, and a verdict. Exits 100 on a regression (so CI can gate on it), 0 otherwise, 1 when a
 * file cannot be read.
 */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        description = {
            "Compare two runs (written with eval -o results.json): improved/regressed tests, a bootstrap confidence"
                    + " interval of the score difference, McNemar's test on pass/fail, and a verdict.",
            "Exit codes: 0 no regression, 100 regression, 1 a file cannot be read."
        })
final class CompareCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BASELINE", description = "The baseline's results.json")
    Path baseline;

    @Parameters(index = "1", paramLabel = "CANDIDATE", description = "The candidate's results.json")
    Path candidate;

    @Option(names = "--seed", defaultValue = "42", description = "Bootstrap seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--resamples",
            defaultValue = "10000",
            description = "Bootstrap resamples (default: ${DEFAULT-VALUE})")
    int resamples;

    @Option(names = "--all", description = "List unchanged tests too")
    boolean all;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Also write the comparison as JSON to FILE")
    Path output;

    @Override
    public Integer call() {
        EvalCommand.quietLogging();
        if (output != null && !output.toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
            throw new IllegalArgumentException("the comparison is written as JSON: name the file *.json");
        }
        RunResult base = JsonReport.read(baseline);
        RunResult cand = JsonReport.read(candidate);
        Comparison comparison = Comparison.of(base, cand, resamples, seed);
        if (comparison.pairs().isEmpty()) {
            throw new IllegalArgumentException(
                    "the two runs have no test in common (are they runs of the same suite?)");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(ComparisonReport.text(comparison, baseline.toString(), candidate.toString(), all));
        if (output != null) {
            ComparisonReport.write(comparison, output);
            out.println("Wrote " + output);
        }
        out.flush();
        return comparison.verdict() == Comparison.Verdict.REGRESSION ? EvalCommand.TESTS_FAILED : 0;
    }
}
