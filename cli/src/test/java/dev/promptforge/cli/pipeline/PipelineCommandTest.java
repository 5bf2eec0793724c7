package dev.promptforge.cli.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.PromptForgeApplication;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./promptforge pipeline run} end to end: a real server (embedded SQLite) with a dataset and a
 * pipeline; the CLI starts a run, follows its events, prints the report and exits 0 when the
 * pipeline passes, 100 when it fails and 1 on an error.
 */
class PipelineCommandTest {

    private static final String KEY = "pf_cli-pipeline-key-0123456789abcdef";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PROJECT = "pipeline-e2e";

    @TempDir
    static Path dataDir;

    private static ConfigurableApplicationContext server;
    private static String base;
    private static String pipeline;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void startServer() throws Exception {
        server = new SpringApplicationBuilder(PromptForgeApplication.class)
                .run(
                        "--server.port=0",
                        "--promptforge.data-dir=" + dataDir,
                        "--promptforge.db.url=",
                        "--promptforge.bootstrap.api-key=" + KEY,
                        "--promptforge.bootstrap.admin-password=e2e-admin-password",
                        "--promptforge.demo.enabled=false",
                        "--logging.structured.format.console=",
                        "--logging.level.root=warn");
        base = "http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port");
        String project = "/api/v1/projects/" + PROJECT;
        assertThat(send("POST", "/api/v1/projects", Map.of("name", PROJECT)).statusCode())
                .isEqualTo(201);
        send("POST", project + "/prompts", Map.of("name", "answer"));
        send(
                "POST",
                project + "/prompts/answer/versions",
                Map.of("template", "Please answer: {{q}}", "variables", List.of("q"), "model", "local/echo"));
        send(
                "POST",
                project + "/prompts/answer/versions",
                Map.of("template", "Answer: {{q}}", "variables", List.of("q"), "model", "local/echo"));
        send("PUT", project + "/prompts/answer/labels/production", Map.of("version", 1));
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            items.add(Map.of("name", "q" + i, "vars", Map.of("q", "topic" + i), "expected", "icontains:topic" + i));
        }
        assertThat(send("POST", project + "/datasets", Map.of("name", "faq", "items", items))
                        .statusCode())
                .isEqualTo(201);
        HttpResponse<String> created = send(
                "POST",
                project + "/pipelines",
                Map.of(
                        "name",
                        "release-gate",
                        "config",
                        Map.of("dataset", "faq", "assert", List.of(Map.of("type", "icontains", "value", "please"))),
                        "stages",
                        List.of(
                                Map.of("type", "validation"),
                                Map.of("type", "quality", "config", Map.of("minPassRate", 0.9)),
                                Map.of("type", "comparison", "config", Map.of("resamples", 1000)))));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        pipeline = JSON.readTree(created.body()).get("id").asString();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static HttpResponse<String> send(String method, String path, Object body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", "Bearer " + KEY)
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private int run(Map<String, String> env, boolean interactive, String... args) {
        PipelineCommand.Run command = new PipelineCommand.Run();
        command.env = env;
        command.interactive = interactive;
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("promptforge: " + e.getMessage());
            return 1;
        });
        return cli.execute(args);
    }

    @Test
    void passes_a_version_equal_to_its_baseline_and_exits_0() {
        // when
        int code = run(
                Map.of("PROMPTFORGE_API_KEY", KEY),
                true,
                "--server",
                base,
                "--pipeline",
                pipeline,
                "--prompt",
                "answer@1",
                "--baseline",
                "answer@production");

        // then
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("Pipeline run ")
                .contains(": PASSED")
                .contains("candidate answer@1, baseline answer@1, dataset faq v1, 12 items, models local/echo")
                .containsPattern("\\[pass\\] +validation")
                .contains("pass rate 100.0%")
                .contains("0 wins / 12 ties / 0 losses");
        assertThat(err.toString()).contains("Run ").contains(" started").contains("] 24/24");
    }

    @Test
    void fails_a_regressed_version_with_its_regressed_items_and_exits_100() {
        // when
        int code = run(
                Map.of("PROMPTFORGE_API_KEY", KEY),
                false,
                "--server",
                base,
                "--pipeline",
                pipeline,
                "--prompt",
                "answer@2",
                "--baseline",
                "answer@1");

        // then
        assertThat(code).as(err.toString()).isEqualTo(100);
        assertThat(out.toString())
                .contains(": FAILED")
                .containsPattern("\\[FAIL\\] +quality")
                .contains("minPassRate 0.9 not met")
                .contains("[skipped] comparison")
                .contains("stage 'quality' failed");
    }

    @Test
    void prints_the_finished_run_as_json() {
        int code = run(
                Map.of("PROMPTFORGE_API_KEY", KEY),
                false,
                "--server",
                base,
                "--pipeline",
                pipeline,
                "--prompt",
                "answer@1",
                "--test",
                "q1,q2",
                "--json");

        assertThat(code).isZero();
        JsonNode run = JSON.readTree(out.toString());
        assertThat(run.get("items").asInt()).isEqualTo(2);
        assertThat(run.get("status").asString()).isEqualTo("PASSED");
    }

    @Test
    void exits_1_without_a_key_or_when_the_server_refuses() {
        assertThat(run(Map.of(), false, "--server", base, "--pipeline", pipeline, "--prompt", "answer@1"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("PROMPTFORGE_API_KEY");
        assertThat(run(
                        Map.of("PROMPTFORGE_API_KEY", KEY),
                        false,
                        "--server",
                        base,
                        "--pipeline",
                        pipeline,
                        "--prompt",
                        "answer@9"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("the server refused the run: 404");
        assertThat(run(
                        Map.of("PROMPTFORGE_API_KEY", KEY),
                        false,
                        "--server",
                        base,
                        "--pipeline",
                        "no-such-pipeline",
                        "--prompt",
                        "answer@1"))
                .isEqualTo(1);
    }
}
