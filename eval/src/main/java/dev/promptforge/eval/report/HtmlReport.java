package dev.promptforge.eval.report;

import dev.promptforge.eval.GradingResult;
import dev.promptforge.eval.run.RunResult;
import dev.promptforge.eval.run.RunSummary;
import dev.promptforge.eval.run.TestResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One self-contained HTML page (inline CSS and SVG, no scripts, nothing fetched): the totals, one
 * line per prompt × provider, a chart of the score distribution, the pass/fail matrix, and every
 * failing or erroring cell with its assertions' reasons.
 */
public final class HtmlReport {

    static final int BINS = 10;
    private static final int MAX_OUTPUT = 2000;

    private HtmlReport() {}

    public static String toHtml(RunResult run) {
        RunSummary summary = run.summary();
        String title = run.description() != null ? run.description() : run.configFile();
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>PromptForge eval: ")
                .append(esc(title))
                .append("</title>\n<style>\n")
                .append(CSS)
                .append("</style>\n</head>\n<body>\n");
        h.append("<header><h1>")
                .append(esc(title))
                .append("</h1>\n<p class=\"meta\">")
                .append(esc(run.configFile()))
                .append(" · started ")
                .append(esc(run.startedAt().toString()))
                .append(" · ")
                .append(String.format(Locale.ROOT, "%.1f s", run.durationMs() / 1000.0))
                .append(run.repeat() > 1 ? " · each test run " + run.repeat() + " times" : "")
                .append("</p>\n<p class=\"totals\"><span class=\"big ")
                .append(summary.failed() + summary.errors() == 0 ? "pass" : "fail")
                .append("\">")
                .append(percent(summary.passRate()))
                .append(" passed</span> ")
                .append(summary.passed())
                .append(" passed · ")
                .append(summary.failed())
                .append(" failed · ")
                .append(summary.errors())
                .append(" errors · mean score ")
                .append(two(summary.meanScore()))
                .append(
                        summary.totalCost() > 0
                                ? " · cost $" + String.format(Locale.ROOT, "%.4f", summary.totalCost())
                                : "")
                .append("</p></header>\n");

        h.append("<section><h2>Prompts × providers</h2>\n<table class=\"summary\"><thead><tr>")
                .append("<th>Prompt</th><th>Provider</th><th>Pass rate</th><th>Passed</th><th>Failed</th>")
                .append("<th>Errors</th><th>Mean score</th><th>Mean latency</th><th>Cost</th></tr></thead><tbody>\n");
        for (RunSummary.Column column : summary.columns()) {
            h.append("<tr><td>")
                    .append(esc(column.prompt()))
                    .append("</td><td>")
                    .append(esc(column.provider()))
                    .append("</td><td>")
                    .append(percent(column.passRate()))
                    .append("</td><td>")
                    .append(column.passed())
                    .append("</td><td>")
                    .append(column.failed())
                    .append("</td><td>")
                    .append(column.errors())
                    .append("</td><td>")
                    .append(two(column.meanScore()))
                    .append("</td><td>")
                    .append(
                            column.meanLatencyMs() == null
                                    ? "–"
                                    : String.format(Locale.ROOT, "%.0f ms", column.meanLatencyMs()))
                    .append("</td><td>")
                    .append(String.format(Locale.ROOT, "$%.4f", column.cost()))
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table></section>\n");

        h.append("<section><h2>Score distribution</h2>\n")
                .append(histogram(run))
                .append("</section>\n");
        h.append(matrix(run));
        h.append(failures(run));
        if (!summary.stability().isEmpty()) {
            h.append(stability(summary));
        }
        h.append("<footer>PromptForge eval · ").append(esc(JsonReport.FORMAT)).append("</footer>\n</body>\n</html>\n");
        return h.toString();
    }

    /** Scores in ten bins of 0.1 (1.0 in the last); cells that erred are counted apart. */
    static int[] bins(RunResult run) {
        int[] bins = new int[BINS];
        for (TestResult result : run.results()) {
            if (result.status() != TestResult.Status.ERROR) {
                double score = Math.max(0, Math.min(1, result.score()));
                bins[Math.min(BINS - 1, (int) Math.floor(score * BINS))]++;
            }
        }
        return bins;
    }

    private static String histogram(RunResult run) {
        int[] bins = bins(run);
        int max = 1;
        for (int count : bins) {
            max = Math.max(max, count);
        }
        int width = 560;
        int height = 220;
        int left = 40;
        int bottom = 30;
        int top = 20;
        double barWidth = (width - left - 10) / (double) BINS;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"chart\" role=\"img\" viewBox=\"0 0 ")
                .append(width)
                .append(' ')
                .append(height)
                .append("\" width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\"><title>Score distribution</title>\n");
        svg.append("<line x1=\"")
                .append(left)
                .append("\" y1=\"")
                .append(height - bottom)
                .append("\" x2=\"")
                .append(width - 10)
                .append("\" y2=\"")
                .append(height - bottom)
                .append("\" stroke=\"#999\"/>\n");
        for (int i = 0; i < BINS; i++) {
            double barHeight = (height - bottom - top) * (bins[i] / (double) max);
            double x = left + i * barWidth + 2;
            double y = height - bottom - barHeight;
            svg.append("<rect class=\"bar\" x=\"")
                    .append(fmt(x))
                    .append("\" y=\"")
                    .append(fmt(y))
                    .append("\" width=\"")
                    .append(fmt(barWidth - 4))
                    .append("\" height=\"")
                    .append(fmt(barHeight))
                    .append("\" fill=\"")
                    .append(i < 5 ? "#d9534f" : i < 8 ? "#f0ad4e" : "#3c9d5d")
                    .append("\">")
                    .append("<title>")
                    .append(String.format(Locale.ROOT, "%.1f–%.1f", i / 10.0, (i + 1) / 10.0))
                    .append(": ")
                    .append(bins[i])
                    .append("</title></rect>\n");
            if (bins[i] > 0) {
                svg.append("<text x=\"")
                        .append(fmt(x + (barWidth - 4) / 2))
                        .append("\" y=\"")
                        .append(fmt(y - 4))
                        .append("\" text-anchor=\"middle\" font-size=\"11\">")
                        .append(bins[i])
                        .append("</text>\n");
            }
            svg.append("<text x=\"")
                    .append(fmt(left + i * barWidth))
                    .append("\" y=\"")
                    .append(height - bottom + 15)
                    .append("\" font-size=\"10\" text-anchor=\"middle\">")
                    .append(String.format(Locale.ROOT, "%.1f", i / 10.0))
                    .append("</text>\n");
        }
        svg.append("<text x=\"")
                .append(width - 10)
                .append("\" y=\"")
                .append(height - bottom + 15)
                .append("\" font-size=\"10\" text-anchor=\"end\">1.0</text>\n");
        svg.append("<text x=\"")
                .append(left + (width - left) / 2)
                .append("\" y=\"")
                .append(height - 2)
                .append("\" font-size=\"11\" text-anchor=\"middle\">score</text>\n</svg>\n");
        long errors = run.results().stream()
                .filter(r -> r.status() == TestResult.Status.ERROR)
                .count();
        if (errors > 0) {
            svg.append("<p class=\"note\">").append(errors).append(" cells erred and have no score.</p>\n");
        }
        return svg.toString();
    }

    private static String matrix(RunResult run) {
        List<String> columns = new ArrayList<>();
        Map<String, Map<String, TestResult>> rows = new LinkedHashMap<>();
        for (TestResult r : run.results()) {
            String column = r.promptIndex() + "/" + r.providerIndex();
            if (!columns.contains(column)) {
                columns.add(column);
            }
            String row = r.testIndex() + "/" + r.repeatIndex();
            rows.computeIfAbsent(row, k -> new LinkedHashMap<>()).put(column, r);
        }
        StringBuilder h =
                new StringBuilder("<section><h2>Results</h2>\n<table class=\"matrix\"><thead><tr><th>Test</th>");
        for (String column : columns) {
            String[] parts = column.split("/");
            h.append("<th>")
                    .append(esc(run.prompts().get(Integer.parseInt(parts[0]))))
                    .append("<br><small>")
                    .append(esc(run.providers().get(Integer.parseInt(parts[1]))))
                    .append("</small></th>");
        }
        h.append("</tr></thead><tbody>\n");
        for (Map<String, TestResult> row : rows.values()) {
            TestResult first = row.values().iterator().next();
            h.append("<tr><th class=\"test\">").append(esc(first.testName()));
            if (run.repeat() > 1) {
                h.append(" <small>run ").append(first.repeatIndex() + 1).append("</small>");
            }
            h.append("</th>");
            for (String column : columns) {
                TestResult cell = row.get(column);
                if (cell == null) {
                    h.append("<td></td>");
                    continue;
                }
                String status = cell.status().name().toLowerCase(Locale.ROOT);
                String reason =
                        cell.error() != null ? cell.error() : cell.grading().reason();
                h.append("<td class=\"")
                        .append(status)
                        .append("\" title=\"")
                        .append(esc(reason))
                        .append("\"><b>")
                        .append(cell.status().name())
                        .append("</b> ")
                        .append(cell.status() == TestResult.Status.ERROR ? "" : two(cell.score()));
                if (cell.output() != null) {
                    h.append("<details><summary>output</summary><pre>")
                            .append(esc(truncate(cell.output())))
                            .append("</pre></details>");
                }
                h.append("</td>");
            }
            h.append("</tr>\n");
        }
        return h.append("</tbody></table></section>\n").toString();
    }

    private static String failures(RunResult run) {
        List<TestResult> failing =
                run.results().stream().filter(r -> !r.passed()).toList();
        StringBuilder h = new StringBuilder("<section><h2>Failing assertions</h2>\n");
        if (failing.isEmpty()) {
            return h.append("<p>None: every test passed.</p></section>\n").toString();
        }
        for (TestResult r : failing) {
            h.append("<div class=\"failure ")
                    .append(r.status().name().toLowerCase(Locale.ROOT))
                    .append("\"><h3>")
                    .append(esc(r.testName()))
                    .append(" <small>")
                    .append(esc(r.promptLabel()))
                    .append(" × ")
                    .append(esc(r.providerLabel()))
                    .append(run.repeat() > 1 ? " · run " + (r.repeatIndex() + 1) : "")
                    .append("</small></h3>\n");
            if (r.error() != null) {
                h.append("<p class=\"reason\">Error: ").append(esc(r.error())).append("</p>\n");
            } else {
                h.append("<p class=\"reason\">")
                        .append(esc(r.grading().reason()))
                        .append("</p>\n<ul>\n");
                appendFailed(h, r.grading());
                h.append("</ul>\n");
            }
            if (r.output() != null) {
                h.append("<details><summary>output</summary><pre>")
                        .append(esc(truncate(r.output())))
                        .append("</pre></details>\n");
            }
            h.append("</div>\n");
        }
        return h.append("</section>\n").toString();
    }

    private static void appendFailed(StringBuilder h, GradingResult grading) {
        for (GradingResult component : grading.components()) {
            if (!component.pass()) {
                h.append("<li><code>")
                        .append(esc(String.valueOf(component.type())))
                        .append("</code> ")
                        .append(esc(component.reason()));
                if (!component.components().isEmpty()) {
                    h.append("<ul>");
                    appendFailed(h, component);
                    h.append("</ul>");
                }
                h.append("</li>\n");
            }
        }
    }

    private static String stability(RunSummary summary) {
        StringBuilder h = new StringBuilder("<section><h2>Stability across repetitions</h2>\n<table class=\"summary\">"
                + "<thead><tr><th>Test</th><th>Prompt</th><th>Provider</th><th>Passed</th><th>Mean score</th>"
                + "<th>Std. dev.</th><th>Distinct answers</th><th></th></tr></thead><tbody>\n");
        for (RunSummary.Stability s : summary.stability()) {
            h.append("<tr><td>")
                    .append(esc(s.testName()))
                    .append("</td><td>")
                    .append(esc(s.prompt()))
                    .append("</td><td>")
                    .append(esc(s.provider()))
                    .append("</td><td>")
                    .append(s.passes())
                    .append(" / ")
                    .append(s.runs())
                    .append("</td><td>")
                    .append(two(s.meanScore()))
                    .append("</td><td>")
                    .append(two(s.scoreStdDev()))
                    .append("</td><td>")
                    .append(s.distinctOutputs())
                    .append("</td><td class=\"")
                    .append(s.stable() ? "pass" : "fail")
                    .append("\">")
                    .append(s.stable() ? "stable" : "flaky")
                    .append("</td></tr>\n");
        }
        return h.append("</tbody></table></section>\n").toString();
    }

    private static String truncate(String text) {
        return text.length() <= MAX_OUTPUT ? text : text.substring(0, MAX_OUTPUT) + " …";
    }

    static String esc(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String percent(double rate) {
        return String.format(Locale.ROOT, "%.1f%%", rate * 100);
    }

    private static String two(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    public static void write(RunResult run, Path file) {
        try {
            Files.writeString(file, toHtml(run));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#222;max-width:1400px}
            h1{margin:0 0 .3rem}h2{margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
            .meta{color:#666;margin:0}.totals{font-size:1.05rem}.big{font-size:1.6rem;font-weight:700;margin-right:.5rem}
            .big.pass{color:#2e7d4f}.big.fail{color:#c0392b}
            table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ddd;padding:.35rem .6rem;text-align:left;vertical-align:top}
            thead th{background:#f5f5f5}th.test{font-weight:500;max-width:28rem}
            td.pass{background:#e8f5ec}td.fail{background:#fdecea}td.error{background:#fff4e0}
            td.pass b{color:#2e7d4f}td.fail b{color:#c0392b}td.error b{color:#b26a00}
            details summary{cursor:pointer;color:#555;font-size:.85rem}pre{white-space:pre-wrap;max-width:40rem;font-size:.85rem;background:#fafafa;padding:.4rem}
            .failure{border-left:4px solid #c0392b;padding:.2rem .8rem;margin:.8rem 0;background:#fffafa}
            .failure.error{border-color:#b26a00;background:#fffcf5}.failure h3{margin:.3rem 0;font-size:1rem}
            .reason{margin:.2rem 0}.note{color:#666;font-size:.9rem}.chart{max-width:100%;height:auto}
            footer{margin-top:3rem;color:#999;font-size:.8rem}
            """;
}
