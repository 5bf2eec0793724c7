package dev.promptforge.eval.report;

import dev.promptforge.eval.run.RunResult;
import dev.promptforge.eval.run.TestResult;
import dev.promptforge.eval.template.Values;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One CSV row per cell (RFC 4180 quoting). A cell that a spreadsheet would run as a formula (it
 * starts with {@code = + @}, a tab, or {@code -} not followed by a digit) gets a leading {@code '},
 * since answers are model text.
 */
public final class CsvReport {

    private static final List<String> HEADER = List.of(
            "test_index",
            "test",
            "vars",
            "prompt",
            "provider",
            "repeat",
            "status",
            "score",
            "reason",
            "output",
            "error",
            "latency_ms",
            "cached",
            "cost",
            "prompt_tokens",
            "completion_tokens");

    private CsvReport() {}

    public static String toCsv(RunResult run) {
        StringBuilder out = new StringBuilder();
        row(out, HEADER);
        for (TestResult r : run.results()) {
            row(
                    out,
                    List.of(
                            Integer.toString(r.testIndex()),
                            r.testName(),
                            Values.toJson(r.vars()),
                            r.promptLabel(),
                            r.providerLabel(),
                            Integer.toString(r.repeatIndex()),
                            r.status().name().toLowerCase(Locale.ROOT),
                            String.format(Locale.ROOT, "%.4f", r.score()),
                            r.grading() == null ? "" : r.grading().reason(),
                            r.output() == null ? "" : r.output(),
                            r.error() == null ? "" : r.error(),
                            r.latencyMs() == null ? "" : String.format(Locale.ROOT, "%.1f", r.latencyMs()),
                            Boolean.toString(r.cached()),
                            r.cost() == null ? "" : Values.numberToString(r.cost()),
                            r.tokenUsage() == null
                                    ? ""
                                    : Integer.toString(r.tokenUsage().prompt()),
                            r.tokenUsage() == null
                                    ? ""
                                    : Integer.toString(r.tokenUsage().completion())));
        }
        return out.toString();
    }

    private static void row(StringBuilder out, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(quote(defuse(fields.get(i))));
        }
        out.append("\r\n");
    }

    static String defuse(String field) {
        if (field.isEmpty()) {
            return field;
        }
        char c = field.charAt(0);
        boolean formula = c == '='
                || c == '+'
                || c == '@'
                || c == '\t'
                || c == '\r'
                || (c == '-' && (field.length() == 1 || !Character.isDigit(field.charAt(1))));
        return formula ? "'" + field : field;
    }

    private static String quote(String field) {
        if (field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")) {
            return "\"" + field.replace("\"", "\"\"") + "\"";
        }
        return field;
    }

    public static void write(RunResult run, Path file) {
        try {
            Files.writeString(file, toCsv(run));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
