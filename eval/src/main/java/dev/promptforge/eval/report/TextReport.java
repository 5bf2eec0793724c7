package dev.promptforge.eval.report;

import dev.promptforge.eval.GradingResult;
import dev.promptforge.eval.run.RunResult;
import dev.promptforge.eval.run.RunSummary;
import dev.promptforge.eval.run.TestResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The console summary: failures with their reasons, one line per prompt × provider, and stability. */
public final class TextReport {

    private static final int MAX_FAILURES = 20;

    private TextReport() {}

    public static String summary(RunResult run) {
        RunSummary summary = run.summary();
        StringBuilder out = new StringBuilder();
        List<TestResult> failing =
                run.results().stream().filter(r -> !r.passed()).toList();
        if (!failing.isEmpty()) {
            out.append("Failures:\n");
            for (TestResult r : failing.subList(0, Math.min(MAX_FAILURES, failing.size()))) {
                out.append("  ")
                        .append(r.status() == TestResult.Status.ERROR ? "ERROR " : "FAIL  ")
                        .append(r.testName())
                        .append(" [")
                        .append(r.promptLabel())
                        .append(" × ")
                        .append(r.providerLabel())
                        .append(run.repeat() > 1 ? ", run " + (r.repeatIndex() + 1) : "")
                        .append("]\n");
                if (r.error() != null) {
                    out.append("        ").append(oneLine(r.error())).append('\n');
                } else {
                    for (GradingResult component : r.grading().components()) {
                        if (!component.pass()) {
                            out.append("        ")
                                    .append(component.type())
                                    .append(": ")
                                    .append(oneLine(component.reason()))
                                    .append('\n');
                        }
                    }
                    if (run.results().size() > 0 && r.grading().reason().startsWith("Weighted score")) {
                        out.append("        ")
                                .append(oneLine(r.grading().reason()))
                                .append('\n');
                    }
                }
            }
            if (failing.size() > MAX_FAILURES) {
                out.append("  … and ").append(failing.size() - MAX_FAILURES).append(" more (see the -o reports)\n");
            }
            out.append('\n');
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("prompt", "provider", "pass", "fail", "error", "pass rate", "score", "latency", "cost"));
        for (RunSummary.Column c : summary.columns()) {
            rows.add(List.of(
                    shorten(c.prompt(), 40),
                    shorten(c.provider(), 30),
                    Integer.toString(c.passed()),
                    Integer.toString(c.failed()),
                    Integer.toString(c.errors()),
                    String.format(Locale.ROOT, "%.1f%%", c.passRate() * 100),
                    String.format(Locale.ROOT, "%.2f", c.meanScore()),
                    c.meanLatencyMs() == null ? "-" : String.format(Locale.ROOT, "%.0f ms", c.meanLatencyMs()),
                    String.format(Locale.ROOT, "$%.4f", c.cost())));
        }
        table(out, rows);
        if (!summary.stability().isEmpty()) {
            long flaky = summary.stability().stream().filter(s -> !s.stable()).count();
            out.append("\nStability over ")
                    .append(run.repeat())
                    .append(" runs: ")
                    .append(summary.stability().size() - flaky)
                    .append(" stable, ")
                    .append(flaky)
                    .append(" flaky\n");
            List<List<String>> stability = new ArrayList<>();
            stability.add(List.of("test", "prompt", "provider", "passed", "score", "std dev", "answers", ""));
            for (RunSummary.Stability s : summary.stability()) {
                stability.add(List.of(
                        shorten(s.testName(), 40),
                        shorten(s.prompt(), 24),
                        shorten(s.provider(), 20),
                        s.passes() + "/" + s.runs(),
                        String.format(Locale.ROOT, "%.2f", s.meanScore()),
                        String.format(Locale.ROOT, "%.2f", s.scoreStdDev()),
                        Integer.toString(s.distinctOutputs()),
                        s.stable() ? "stable" : "FLAKY"));
            }
            table(out, stability);
        }
        out.append('\n')
                .append(String.format(
                        Locale.ROOT,
                        "%d passed, %d failed, %d errors (%.1f%% pass rate) in %.1f s",
                        summary.passed(),
                        summary.failed(),
                        summary.errors(),
                        summary.passRate() * 100,
                        run.durationMs() / 1000.0));
        if (summary.totalTokens() > 0) {
            out.append(String.format(Locale.ROOT, "; %d tokens", summary.totalTokens()));
        }
        if (summary.totalCost() > 0) {
            out.append(String.format(Locale.ROOT, "; $%.4f", summary.totalCost()));
        }
        return out.append('\n').toString();
    }

    private static void table(StringBuilder out, List<List<String>> rows) {
        int[] widths = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(String.format("%-" + widths[i] + "s", row.get(i)));
                if (i < row.size() - 1) {
                    line.append("  ");
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
            if (r == 0) {
                int total = 0;
                for (int w : widths) {
                    total += w + 2;
                }
                out.append("-".repeat(Math.max(0, total - 2))).append('\n');
            }
        }
    }

    private static String oneLine(String text) {
        return shorten(text.replaceAll("\\s+", " ").strip(), 200);
    }

    private static String shorten(String text, int max) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
    }
}
