package dev.promptforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.json.JsonMapper;

class CompareCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = PromptForgeCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    /** Runs a suite of 12 tests whose prompt decides which of them pass. */
    private Path results(String name, String prompt) throws IOException {
        StringBuilder yaml = new StringBuilder("prompts: ['" + prompt + "']\nproviders: [local/echo]\ntests:\n");
        for (int i = 0; i < 12; i++) {
            yaml.append("  - vars: {n: ")
                    .append(i)
                    .append("}\n    assert: [{type: contains, value: 'ok ")
                    .append(i)
                    .append("'}]\n");
        }
        Path suite = dir.resolve(name + ".yaml");
        Files.writeString(suite, yaml.toString());
        Path json = dir.resolve(name + ".json");
        run("eval", "-c", suite.toString(), "--no-cache", "-o", json.toString());
        return json;
    }

    @Test
    void exits_100_and_names_the_regressed_tests_with_a_diff_when_the_candidate_is_worse() throws IOException {
        // given: the baseline answers "ok n" to every test, the candidate "ko n"
        Path baseline = results("baseline", "ok {{n}}");
        Path candidate = results("candidate", "ko {{n}}");
        out.getBuffer().setLength(0);

        // when
        int code = run(
                "eval",
                "compare",
                baseline.toString(),
                candidate.toString(),
                "-o",
                dir.resolve("cmp.json").toString());

        // then
        assertThat(code).isEqualTo(100);
        assertThat(out.toString())
                .contains("12 paired cells")
                .contains("REGRESSED {\"n\":0} [ko {{n}} × local/echo]  1.00 → 0.00  PASS → FAIL")
                .contains("-ok 0")
                .contains("+ko 0")
                .contains("Improved 0, regressed 12, unchanged 0; wins/ties/losses 0/0/12")
                .contains(
                        "Mean score difference -1.0000 (95% CI -1.0000 to -1.0000; paired bootstrap, 10000 resamples, seed 42)")
                .contains("McNemar on pass/fail: 12 pass→fail, 0 fail→pass, p = 0.0005 (exact binomial)")
                .contains("Verdict: regression");
        var json = JsonMapper.builder().build().readTree(dir.resolve("cmp.json").toFile());
        assertThat(json.get("verdict").asString()).isEqualTo("REGRESSION");
    }

    @Test
    void exits_0_for_an_improvement_or_no_change() throws IOException {
        Path worse = results("worse", "ko {{n}}");
        Path better = results("better", "ok {{n}}");
        assertThat(run("eval", "compare", worse.toString(), better.toString())).isZero();
        assertThat(out.toString()).contains("Verdict: improvement");
        assertThat(run("eval", "compare", better.toString(), better.toString())).isZero();
        assertThat(out.toString()).contains("Verdict: no significant change");
    }

    @Test
    void exits_1_when_a_file_is_not_promptforge_results() throws IOException {
        Path other = dir.resolve("other.json");
        Files.writeString(other, "{\"results\": []}");
        assertThat(run("eval", "compare", other.toString(), other.toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("promptforge: ").contains("is not a PromptForge results file");
    }
}
