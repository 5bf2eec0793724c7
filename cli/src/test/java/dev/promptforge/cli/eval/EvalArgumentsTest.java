package dev.promptforge.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The eval command lines parsed without picocli: the same command as picocli's, or none. */
class EvalArgumentsTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "-c suite.yaml",
                "--config suite.yaml --no-cache -o out.json",
                "--config=suite.yaml -o a.json -o b.xml --output c.csv --output=d.html",
                "-c suite.yaml --no-cache -j 20 -o out.json",
                "--max-concurrency=3 --repeat 2 --delay 250 --pass-rate-threshold 87.5",
                "--pass-rate-threshold=0 --no-progress-bar --cache-dir /tmp/cache",
                "--grader openai:chat:gpt-4o-mini --server http://localhost:8080 --project demo --run-id r1",
                "-j 0 --repeat 0 --pass-rate-threshold 150",
                "--repeat 010 -j 007",
            })
    void gives_the_command_picocli_gives(String line) {
        // given
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");
        EvalCommand picocli = new EvalCommand();
        new CommandLine(picocli).parseArgs(args);

        // when
        EvalCommand fast = EvalArguments.parse(Arrays.asList(args));

        // then
        assertThat(fast).isNotNull();
        assertThat(options(fast)).isEqualTo(options(picocli));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "-h",
                "--help",
                "-V",
                "compare a.json b.json",
                "-c a.yaml -c b.yaml",
                "--config",
                "-j20",
                "-j x",
                "-j 1e3",
                "--delay -5",
                "--pass-rate-threshold 1e2",
                "--no-cache=true",
                "--nocache",
                "-c=suite.yaml",
                "-c suite.yaml extra",
                "--grader -x",
                "--config=",
                "--",
            })
    void leaves_every_other_command_line_to_picocli(String line) {
        assertThat(EvalArguments.parse(List.of(line.split(" ")))).isNull();
    }

    @Test
    void runs_the_command_and_reports_an_error_in_one_line_with_exit_code_1() {
        // given
        EvalCommand command =
                EvalArguments.parse(List.of("-c", dir.resolve("missing.yaml").toString()));
        StringWriter err = new StringWriter();
        command.err = new PrintWriter(err);

        // when
        int code = EvalArguments.execute(command);

        // then
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("promptforge: no suite at " + dir.resolve("missing.yaml") + "\n");
    }

    @Test
    void runs_a_suite() throws IOException {
        // given
        Path suite = dir.resolve("suite.yaml");
        Files.writeString(suite, """
                prompts: ['Say {{word}}']
                providers: [local/echo]
                tests:
                  - vars: {word: hello}
                    assert: [{type: contains, value: hello}]
                  - vars: {word: bye}
                    assert: [{type: contains, value: hello}]
                """);
        Path json = dir.resolve("results.json");
        EvalCommand command = EvalArguments.parse(List.of("-c", suite.toString(), "--no-cache", "-o", json.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        command.out = new PrintWriter(out);
        command.err = new PrintWriter(err);

        // when
        int code = EvalArguments.execute(command);

        // then
        assertThat(code).isEqualTo(EvalCommand.TESTS_FAILED);
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString()).contains("1 passed, 1 failed, 0 errors").contains("Wrote " + json);
        assertThat(json).exists();
    }

    private static List<Object> options(EvalCommand command) {
        return Arrays.asList(
                command.config,
                command.outputs,
                command.noCache,
                command.cacheDir,
                command.repeat,
                command.maxConcurrency,
                command.delay,
                command.passRateThreshold,
                command.noProgressBar,
                command.grader,
                command.server,
                command.project,
                command.runId);
    }
}
