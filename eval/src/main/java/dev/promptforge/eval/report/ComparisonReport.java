package dev.promptforge.eval.report;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import dev.promptforge.eval.stats.Comparison;
import dev.promptforge.eval.stats.Comparison.Change;
import dev.promptforge.eval.stats.Comparison.Pair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** A comparison as text for the console (with a diff of each regressed answer) and as JSON. */
public final class ComparisonReport {

    private static final int MAX_DIFF_LINES = 12;
    private static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ComparisonReport() {}

    public static String text(Comparison c, String baselineName, String candidateName, boolean all) {
        StringBuilder out = new StringBuilder();
        out.append("Baseline:  ").append(baselineName).append('\n');
        out.append("Candidate: ").append(candidateName).append('\n');
        out.append(c.pairs().size()).append(" paired cells");
        if (c.onlyInBaseline() > 0 || c.onlyInCandidate() > 0) {
            out.append(" (")
                    .append(c.onlyInBaseline())
                    .append(" only in the baseline, ")
                    .append(c.onlyInCandidate())
                    .append(" only in the candidate, not compared)");
        }
        out.append("\n\n");
        for (Pair pair : c.pairs()) {
            if (pair.change() == Change.UNCHANGED && !all) {
                continue;
            }
            out.append(String.format(
                    Locale.ROOT,
                    "  %-9s %s [%s × %s]  %.2f → %.2f  %s → %s%n",
                    pair.change().name(),
                    pair.testName(),
                    pair.candidatePrompt(),
                    pair.candidateProvider(),
                    pair.baselineScore(),
                    pair.candidateScore(),
                    pair.baselinePass() ? "PASS" : "FAIL",
                    pair.candidatePass() ? "PASS" : "FAIL"));
            if (pair.change() == Change.REGRESSED) {
                if (pair.candidateReason() != null) {
                    out.append("            ")
                            .append(oneLine(pair.candidateReason()))
                            .append('\n');
                }
                out.append(diff(pair));
            }
        }
        if (c.improved() + c.regressed() > 0 || all) {
            out.append('\n');
        }
        out.append(String.format(
                Locale.ROOT,
                "Improved %d, regressed %d, unchanged %d; wins/ties/losses %d/%d/%d%n",
                c.improved(),
                c.regressed(),
                c.unchanged(),
                c.wins(),
                c.ties(),
                c.losses()));
        if (!c.pairs().isEmpty()) {
            out.append(String.format(
                    Locale.ROOT,
                    "Mean score difference %+.4f (95%% CI %+.4f to %+.4f; paired bootstrap, %d resamples, seed %d)%n",
                    c.meanDifference(),
                    c.ciLow(),
                    c.ciHigh(),
                    c.resamples(),
                    c.seed()));
            if (c.pairs().size() < Comparison.MIN_PAIRS_FOR_INTERVAL) {
                out.append("  (fewer than ")
                        .append(Comparison.MIN_PAIRS_FOR_INTERVAL)
                        .append(" pairs: the interval is too narrow to trust, so the verdict rests on McNemar)\n");
            }
        }
        out.append(String.format(
                Locale.ROOT,
                "McNemar on pass/fail: %d pass→fail, %d fail→pass, p = %.4f (%s)%n",
                c.mcnemar().regressions(),
                c.mcnemar().improvements(),
                c.mcnemar().pValue(),
                c.mcnemar().method()));
        out.append("Verdict: ").append(c.verdict().words()).append('\n');
        return out.toString();
    }

    /** A unified diff of the two answers, a few lines long. */
    static String diff(Pair pair) {
        if (pair.baselineOutput() == null || pair.candidateOutput() == null) {
            return "";
        }
        List<String> before = pair.baselineOutput().lines().toList();
        List<String> after = pair.candidateOutput().lines().toList();
        Patch<String> patch = DiffUtils.diff(before, after);
        if (patch.getDeltas().isEmpty()) {
            return "";
        }
        List<String> lines = UnifiedDiffUtils.generateUnifiedDiff("baseline", "candidate", before, patch, 1);
        StringBuilder out = new StringBuilder();
        for (String line : lines.subList(0, Math.min(MAX_DIFF_LINES, lines.size()))) {
            out.append("            ").append(line).append('\n');
        }
        if (lines.size() > MAX_DIFF_LINES) {
            out.append("            …\n");
        }
        return out.toString();
    }

    private static String oneLine(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= 200 ? flat : flat.substring(0, 199) + "…";
    }

    public static void write(Comparison comparison, Path file) {
        try {
            Files.writeString(file, JSON.writeValueAsString(comparison));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
