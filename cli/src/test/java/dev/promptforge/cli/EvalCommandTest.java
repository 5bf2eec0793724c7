package dev.promptforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.cli.eval.EvalCommand;
import dev.promptforge.eval.report.JsonReport;
import dev.promptforge.eval.run.TestResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvalCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = PromptForgeCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(
                List.of("eval", "--cache-dir", dir.resolve("cache").toString()));
        all.addAll(List.of(args));
        return cli.execute(all.toArray(String[]::new));
    }

    private Path suite(String yaml) throws IOException {
        Path file = dir.resolve("suite.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static final String PASSING = """
            description: echo checks
            prompts: ['Say {{word}}']
            providers: [local/echo]
            tests:
              - vars: {word: hello}
                assert: [{type: contains, value: hello}]
              - vars: {word: bye}
                assert: [{type: icontains, value: SAY BYE}]
            """;

    @Test
    void exits_0_when_every_test_passes_and_writes_the_reports() throws Exception {
        // given
        Path json = dir.resolve("out/results.json");
        Path junit = dir.resolve("out/results.junit.xml");

        // when
        int code = run(
                "-c",
                suite(PASSING).toString(),
                "-o",
                json.toString(),
                "-o",
                junit.toString(),
                "-o",
                dir.resolve("report.html").toString(),
                "-o",
                dir.resolve("results.csv").toString());

        // then
        assertThat(code).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString())
                .contains("2 passed, 0 failed, 0 errors (100.0% pass rate)")
                .contains("Wrote " + json);
        var results = JsonReport.read(json);
        assertThat(results.description()).isEqualTo("echo checks");
        assertThat(results.results()).extracting(TestResult::output).containsExactly("Say hello", "Say bye");
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
        assertThat(doc.getDocumentElement().getAttribute("tests")).isEqualTo("2");
        assertThat(doc.getDocumentElement().getAttribute("failures")).isEqualTo("0");
        assertThat(Files.readString(dir.resolve("report.html"))).contains("<svg");
        assertThat(Files.readAllLines(dir.resolve("results.csv"))).hasSize(3);
    }

    @Test
    void runs_openai_chat_suites_through_the_gateways_wire_client() throws Exception {
        // given an OpenAI-compatible upstream on loopback that answers with a fixed completion
        var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        List<String> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();
        server.createContext("/v1/chat/completions", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            byte[] answer = ("{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\","
                            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Paris\"},"
                            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":1}}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        try {
            String yaml = """
                    prompts: ['Capital of {{country}}?']
                    providers:
                      - id: openai:chat:gpt-4o-mini
                        config: {apiBaseUrl: 'http://127.0.0.1:%d/v1', apiKey: sk-test, temperature: 0}
                    tests:
                      - vars: {country: France}
                        assert: [{type: equals, value: Paris}, {type: cost, threshold: 0.01}]
                    """.formatted(server.getAddress().getPort());
            // when
            int code = run("-c", suite(yaml).toString(), "--no-cache");
            // then
            assertThat(code).as(err.toString()).isZero();
            assertThat(out.toString()).contains("1 passed, 0 failed");
            assertThat(bodies).hasSize(1);
            assertThat(bodies.getFirst()).contains("\"model\":\"gpt-4o-mini\"").contains("Capital of France?");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void rejects_a_malformed_remote_provider_id() throws IOException {
        String yaml = """
                prompts: ['x']
                providers: ['openai:gpt-4o-mini']
                tests: [{assert: [{type: contains, value: x}]}]
                """;
        assertThat(run("-c", suite(yaml).toString())).isEqualTo(1);
        assertThat(err.toString()).contains("openai:chat:<model>");
    }

    @Test
    void exits_100_on_failures_unless_the_pass_rate_threshold_is_met() throws IOException {
        Path file = suite(PASSING.replace("value: hello", "value: goodbye"));
        assertThat(run("-c", file.toString(), "--no-cache")).isEqualTo(100);
        assertThat(out.toString())
                .contains("FAIL  {\"word\":\"hello\"} [Say {{word}} × local/echo]")
                .contains("contains: Output does not contain \"goodbye\"")
                .contains("1 passed, 1 failed");
        assertThat(run("-c", file.toString(), "--no-cache", "--pass-rate-threshold", "50"))
                .isZero();
    }

    @Test
    void exits_1_with_one_line_naming_the_place_of_a_configuration_error() throws IOException {
        // when
        int code = run(
                "-c",
                suite("prompts: [hi]\nproviders: [local/echo]\ntests:\n  - vars: {}\n    asert: []\n")
                        .toString());

        // then
        assertThat(code).isEqualTo(1);
        assertThat(err.toString().strip().lines()).hasSize(1);
        assertThat(err.toString())
                .startsWith("promptforge: " + dir.resolve("suite.yaml") + ":5:5: unknown key 'asert'");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void exits_1_for_a_missing_suite_an_unknown_provider_or_an_unknown_output_format() throws IOException {
        assertThat(run("-c", dir.resolve("nope.yaml").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("promptforge: no suite at");

        Path file = suite("prompts: [hi]\nproviders: [local/shakespeare]\n");
        assertThat(run("-c", file.toString())).isEqualTo(1);
        assertThat(err.toString()).contains(":2:13: the local provider has no model 'shakespeare'");

        assertThat(run(
                        "-c",
                        suite(PASSING).toString(),
                        "-o",
                        dir.resolve("results.pdf").toString()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("cannot tell the format of");
    }

    @Test
    void runs_tests_repeatedly_and_reports_their_stability() throws IOException {
        int code = run("-c", suite(PASSING).toString(), "--repeat", "3", "--no-cache");
        assertThat(code).isZero();
        assertThat(out.toString())
                .contains("Stability over 3 runs: 2 stable, 0 flaky")
                .contains("6 passed, 0 failed");
    }

    @Test
    void answers_come_from_the_cache_on_a_second_run_unless_no_cache_is_given() throws IOException {
        Path file = suite(PASSING);
        Path first = dir.resolve("first.json");
        Path second = dir.resolve("second.json");
        Path third = dir.resolve("third.json");
        run("-c", file.toString(), "-o", first.toString());
        run("-c", file.toString(), "-o", second.toString());
        run("-c", file.toString(), "-o", third.toString(), "--no-cache");
        assertThat(JsonReport.read(first).results())
                .extracting(TestResult::cached)
                .containsOnly(false);
        assertThat(JsonReport.read(second).results())
                .extracting(TestResult::cached)
                .containsOnly(true);
        assertThat(JsonReport.read(third).results())
                .extracting(TestResult::cached)
                .containsOnly(false);
    }

    @Test
    void writes_to_the_suites_output_path_when_no_output_is_given() throws IOException {
        Path target = dir.resolve("from-config.json");
        Path file = suite(PASSING + "outputPath: " + target + "\n");
        assertThat(run("-c", file.toString(), "--no-cache")).isZero();
        assertThat(JsonReport.read(target).results()).hasSize(2);
    }

    @Test
    void grades_model_graded_assertions_with_the_suites_judge() throws Exception {
        // given: a judge behind an HTTP endpoint that approves everything
        var server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        var asked = new java.util.concurrent.CopyOnWriteArrayList<String>();
        server.createContext("/judge", exchange -> {
            asked.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            byte[] body =
                    "{\"answer\": \"{\\\"pass\\\": true, \\\"score\\\": 1, \\\"reason\\\": \\\"Friendly enough.\\\"}\"}"
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/judge";
            Path file = suite("""
                    prompts: ['Say hello to {{name}}']
                    providers: [local/echo]
                    defaultTest:
                      options:
                        provider:
                          id: http
                          config: {url: "%s", body: {input: "{{prompt}}"}, transformResponse: json.answer}
                    tests:
                      - vars: {name: Ana}
                        assert: [{type: llm-rubric, value: greets the person by name}]
                    """.formatted(url));
            Path json = dir.resolve("judged.json");

            // when
            int code = run("-c", file.toString(), "--no-cache", "-o", json.toString());

            // then
            assertThat(code).isZero();
            var grading = JsonReport.read(json).results().get(0).grading();
            assertThat(grading.components().get(0).reason()).isEqualTo("Judge http: Friendly enough.");
            assertThat(asked).hasSize(1);
            assertThat(asked.get(0)).contains("Say hello to Ana").contains("greets the person by name");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void a_model_graded_assertion_without_a_judge_stops_the_run_before_any_call() throws IOException {
        Path file =
                suite("prompts: [hi]\nproviders: [local/echo]\ntests: [{assert: [{type: factuality, value: hi}]}]\n");
        assertThat(run("-c", file.toString())).isEqualTo(1);
        assertThat(err.toString()).contains(":3:19: 'factuality' is model-graded and needs a judge");
        assertThat(run("-c", file.toString(), "--grader", "promptforge:demo/faq"))
                .isEqualTo(1);
    }

    @Test
    void pii_leak_finds_personal_data_in_answers_with_the_pii_engine() throws IOException {
        // given: local/echo repeats the prompt, so an address in the variables leaks into the answer
        Path file = suite("""
                prompts: ['Reply to {{who}}']
                providers: [local/echo]
                tests:
                  - description: leaks an e-mail address
                    vars: {who: jane.doe@example.com}
                    assert: [{type: pii-leak}]
                  - description: nothing personal
                    vars: {who: the support team}
                    assert: [{type: pii-leak}]
                  - description: only SSNs count here
                    vars: {who: jane.doe@example.com}
                    assert: [{type: pii-leak, value: [US_SSN]}]
                  - description: negated
                    vars: {who: 'SSN 078-05-1120'}
                    assert: [{type: not-pii-leak, value: [US_SSN]}]
                """);
        Path json = dir.resolve("pii.json");

        // when
        int code = run("-c", file.toString(), "--no-cache", "-o", json.toString());

        // then
        assertThat(code).as(err.toString()).isEqualTo(EvalCommand.TESTS_FAILED);
        var results = JsonReport.read(json).results();
        assertThat(results).extracting(TestResult::passed).containsExactly(false, true, true, true);
        assertThat(results.get(0).grading().components().get(0).reason())
                .isEqualTo("Output leaks personal data: {EMAIL_ADDRESS=[9-29]} (type: character positions)");
        assertThat(results.get(2).grading().components().get(0).reason())
                .isEqualTo("Output contains no personal data of the types [US_SSN]");
        assertThat(out.toString()).contains("3 passed, 1 failed");
    }

    @Test
    void server_options_go_together() throws IOException {
        assertThat(run("-c", suite(PASSING).toString(), "--server", "http://127.0.0.1:9"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("promptforge: --server needs --project");
        assertThat(run("-c", suite(PASSING).toString(), "--run-id", "x")).isEqualTo(1);
        assertThat(err.toString()).contains("promptforge: --project and --run-id go with --server");
    }

    @Test
    void rejects_impossible_options() throws IOException {
        assertThat(run("-c", suite(PASSING).toString(), "--pass-rate-threshold", "120"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("--pass-rate-threshold must be from 0 to 100");
        assertThat(run("-c", suite(PASSING).toString(), "--repeat", "0")).isEqualTo(1);
    }
}
