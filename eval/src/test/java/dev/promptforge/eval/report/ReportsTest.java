package dev.promptforge.eval.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.promptforge.eval.GradingResult;
import dev.promptforge.eval.TokenUsage;
import dev.promptforge.eval.run.RunResult;
import dev.promptforge.eval.run.TestResult;
import dev.promptforge.eval.run.TestResult.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class ReportsTest {

    @TempDir
    Path dir;

    private static GradingResult verdict(boolean pass, double score, String reason, GradingResult... components) {
        return new GradingResult(pass, score, reason, null, null, List.of(components), Map.of("quality", score));
    }

    private static GradingResult component(String type, boolean pass, String reason) {
        return new GradingResult(pass, pass ? 1 : 0, reason, type, null, List.of(), Map.of());
    }

    private static TestResult cell(
            int test, String name, int provider, Status status, String output, GradingResult grading, String error) {
        return new TestResult(
                test,
                name,
                Map.of("q", name),
                0,
                "Q: {{q}}",
                provider,
                "p" + provider,
                "Provider " + provider,
                0,
                status,
                "Q: " + name,
                output,
                grading,
                error,
                status == Status.ERROR ? null : 12.5,
                false,
                status == Status.ERROR ? null : 0.0015,
                status == Status.ERROR ? null : new TokenUsage(10, 5, false),
                status == Status.ERROR ? null : "stop");
    }

    /** Two tests on two providers: pass, fail, pass, error. */
    static RunResult sampleRun() {
        List<TestResult> cells = new ArrayList<>();
        cells.add(cell(
                0,
                "wire fee",
                0,
                Status.PASS,
                "Wire transfers cost 5 dollars.",
                verdict(true, 1, "All 1 assertions passed", component("contains", true, "Output contains \"5\"")),
                null));
        cells.add(cell(
                0,
                "wire fee",
                1,
                Status.FAIL,
                "I <b>cannot</b> say\u0000.",
                verdict(
                        false,
                        0.25,
                        "1 of 2 assertions failed: contains: Output does not contain \"5\"",
                        component("contains", false, "Output does not contain \"5\""),
                        component("not-contains", true, "Output does not contain \"password\"")),
                null));
        cells.add(cell(
                1,
                "=cmd|' /C calc'!A0",
                0,
                Status.PASS,
                "-5 is negative",
                verdict(true, 0.95, "All 1 assertions passed"),
                null));
        cells.add(cell(
                1, "=cmd|' /C calc'!A0", 1, Status.ERROR, null, null, "p1: HTTP 503 from POST http://x: overloaded"));
        return new RunResult(
                "Support answers",
                "suite.yaml",
                Map.of("team", "support"),
                Instant.parse("2026-11-22T10:00:00Z"),
                1500,
                List.of("Q: {{q}}"),
                List.of("Provider 0", "Provider 1"),
                1,
                cells);
    }

    @Test
    void json_round_trips_and_carries_the_summary() throws IOException {
        // given
        var run = sampleRun();
        var file = dir.resolve("results.json");

        // when
        JsonReport.write(run, file);
        var back = JsonReport.read(file);

        // then
        assertThat(back.results()).isEqualTo(run.results());
        assertThat(back.description()).isEqualTo("Support answers");
        assertThat(back.startedAt()).isEqualTo(run.startedAt());
        assertThat(back.providers()).containsExactly("Provider 0", "Provider 1");
        assertThat(Files.readString(file))
                .contains("\"format\" : \"promptforge-eval/1\"")
                .contains("\"passRate\" : 0.5");
    }

    @Test
    void json_file_is_the_text_jackson_writes_for_the_run() throws IOException {
        // given a run as the tests make it, and one repeated, with null fields and nested variables
        var run = sampleRun();
        List<TestResult> repeated = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            for (TestResult cell : run.results()) {
                repeated.add(new TestResult(
                        cell.testIndex(),
                        cell.testName() + " \"quoted\" ünïcode\n",
                        Map.of("q", cell.testName(), "n", List.of(1L, 2.5, true), "m", Map.of("k", "v")),
                        cell.promptIndex(),
                        cell.promptLabel(),
                        cell.providerIndex(),
                        cell.providerId(),
                        cell.providerLabel(),
                        r,
                        cell.status(),
                        cell.prompt(),
                        cell.output(),
                        cell.grading(),
                        cell.error(),
                        r == 0 ? cell.latencyMs() : Double.valueOf(1e-7),
                        r == 1,
                        r == 0 ? cell.cost() : Double.valueOf(12345678.9),
                        r == 0 ? cell.tokenUsage() : new TokenUsage(1, 2, true),
                        cell.finishReason()));
            }
        }
        var repeatedRun = new RunResult(
                null, "suite.yaml", Map.of(), run.startedAt(), 0, run.prompts(), run.providers(), 2, repeated);
        for (RunResult each : List.of(run, repeatedRun)) {
            var file = dir.resolve("results.json");

            // when
            JsonReport.write(each, file);

            // then
            assertThat(Files.readString(file)).isEqualTo(JsonReport.toJson(each));
        }
    }

    @Test
    void reading_a_file_that_is_not_promptforge_results_says_so() throws IOException {
        var other = dir.resolve("other.json");
        Files.writeString(other, "{\"results\": {\"version\": 3}}");
        assertThatThrownBy(() -> JsonReport.read(other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a PromptForge results file");
        var broken = dir.resolve("broken.json");
        Files.writeString(broken, "{");
        assertThatThrownBy(() -> JsonReport.read(broken)).hasMessageContaining("is not JSON");
    }

    @Test
    void junit_xml_parses_back_with_one_suite_per_prompt_and_provider() throws Exception {
        // given
        String xml = JUnitXmlReport.toXml(sampleRun());

        // when
        Document doc = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));

        // then
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        assertThat(root.getAttribute("tests")).isEqualTo("4");
        assertThat(root.getAttribute("failures")).isEqualTo("1");
        assertThat(root.getAttribute("errors")).isEqualTo("1");
        var suites = doc.getElementsByTagName("testsuite");
        assertThat(suites.getLength()).isEqualTo(2);
        var second = (Element) suites.item(1);
        assertThat(second.getAttribute("name")).isEqualTo("Q: {{q}} × Provider 1");
        assertThat(second.getAttribute("failures")).isEqualTo("1");
        assertThat(second.getAttribute("errors")).isEqualTo("1");
        var failure = (Element) second.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message"))
                .isEqualTo("1 of 2 assertions failed: contains: Output does not contain \"5\"");
        assertThat(failure.getTextContent())
                .contains("FAIL contains (score 0.00): Output does not contain \"5\"")
                .contains("PASS not-contains");
        var error = (Element) second.getElementsByTagName("error").item(0);
        assertThat(error.getAttribute("message")).isEqualTo("p1: HTTP 503 from POST http://x: overloaded");
        var testcase = (Element) second.getElementsByTagName("testcase").item(0);
        assertThat(testcase.getAttribute("name")).isEqualTo("wire fee");
        assertThat(testcase.getAttribute("classname")).isEqualTo("Support answers");
        assertThat(testcase.getElementsByTagName("system-out").item(0).getTextContent())
                .isEqualTo("I <b>cannot</b> say\uFFFD.");
    }

    @Test
    void csv_has_a_row_per_cell_quoted_and_defused() {
        // when
        List<List<String>> rows = parseCsv(CsvReport.toCsv(sampleRun()));

        // then
        assertThat(rows).hasSize(5);
        assertThat(rows.get(0))
                .startsWith("test_index", "test", "vars", "prompt", "provider", "repeat", "status", "score");
        assertThat(rows.get(2).get(6)).isEqualTo("fail");
        assertThat(rows.get(2).get(8)).isEqualTo("1 of 2 assertions failed: contains: Output does not contain \"5\"");
        assertThat(rows.get(3).get(1)).isEqualTo("'=cmd|' /C calc'!A0");
        assertThat(rows.get(3).get(9)).isEqualTo("-5 is negative");
        assertThat(rows.get(4).get(10)).isEqualTo("p1: HTTP 503 from POST http://x: overloaded");
        assertThat(rows.get(1).get(2)).isEqualTo("{\"q\":\"wire fee\"}");
    }

    @Test
    void html_is_one_self_contained_page_with_the_matrix_chart_and_reasons() {
        // when
        String html = HtmlReport.toHtml(sampleRun());

        // then
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").contains("</html>");
        assertThat(html.toLowerCase())
                .doesNotContain("<script")
                .doesNotContain(" src=")
                .doesNotContain("<link")
                .doesNotContain("href=");
        assertThat(html).contains("I &lt;b&gt;cannot&lt;/b&gt; say").doesNotContain("<b>cannot</b>");
        assertThat(html).contains("Output does not contain &quot;5&quot;");
        assertThat(html).contains("p1: HTTP 503 from POST http://x: overloaded");
        assertThat(html).contains("50.0% passed");
        assertThat(html).contains("1 cells erred and have no score.");
    }

    @Test
    void the_chart_bins_scores_by_tenths_without_errors() {
        int[] bins = HtmlReport.bins(sampleRun());
        assertThat(bins).containsExactly(0, 0, 1, 0, 0, 0, 0, 0, 0, 2);
    }

    @Test
    void the_console_summary_lists_failures_with_reasons_and_the_totals() {
        String text = TextReport.summary(sampleRun());
        assertThat(text)
                .contains("FAIL  wire fee [Q: {{q}} × Provider 1]")
                .contains("contains: Output does not contain \"5\"")
                .contains("ERROR =cmd|' /C calc'!A0")
                .contains("p1: HTTP 503 from POST http://x: overloaded")
                .contains("Q: {{q}}  Provider 0")
                .contains("2 passed, 1 failed, 1 errors (50.0% pass rate) in 1.5 s");
    }

    /** A small RFC 4180 reader for the test. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r') {
                continue;
            } else if (c == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        return rows;
    }
}
