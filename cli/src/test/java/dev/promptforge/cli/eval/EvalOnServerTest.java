package dev.promptforge.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.eval.report.JsonReport;
import dev.promptforge.eval.run.TestResult;
import dev.promptforge.server.PromptForgeApplication;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * {@code ./promptforge eval --server} end to end: a real PromptForge server (embedded SQLite) started
 * in the test, the CLI running a suite through it, and the server's records of the run found by its
 * run id.
 */
class EvalOnServerTest {

    private static final String KEY = "pf_cli-e2e-key-0123456789abcdef";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dataDir;

    @TempDir
    Path dir;

    private static ConfigurableApplicationContext server;
    private static String base;
    private static final String PROJECT = "eval-e2e";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void startServer() throws Exception {
        // command-line arguments, since they take precedence over the application.yml defaults
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
        assertThat(send("POST", "/api/v1/projects", Map.of("name", PROJECT)).statusCode())
                .isEqualTo(201);
        send("POST", "/api/v1/projects/" + PROJECT + "/prompts", Map.of("name", "greet"));
        send(
                "POST",
                "/api/v1/projects/" + PROJECT + "/prompts/greet/versions",
                Map.of("template", "Greet {{word}}", "variables", List.of("word"), "model", "local/echo"));
        send("PUT", "/api/v1/projects/" + PROJECT + "/prompts/greet/labels/production", Map.of("version", 1));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<String> send(String method, String path, Object body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json");
        request.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonNode> records(String runId) throws IOException, InterruptedException {
        HttpResponse<String> response = send("GET", "/api/v1/records?limit=200&run=" + runId, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        JSON.readTree(response.body()).get("items").forEach(items::add);
        return items;
    }

    private int eval(String... args) {
        EvalCommand command = new EvalCommand();
        command.env = Map.of("PROMPTFORGE_API_KEY", KEY);
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        List<String> all =
                new ArrayList<>(List.of("--cache-dir", dir.resolve("cache").toString()));
        all.addAll(List.of(args));
        return cli.execute(all.toArray(String[]::new));
    }

    private Path suite() throws IOException {
        Path file = dir.resolve("suite.yaml");
        Files.writeString(file, """
                prompts: ['Say {{word}}']
                providers:
                  - local/echo
                  - promptforge:%s/greet
                tests:
                  - vars: {word: hello}
                    assert: [{type: icontains, value: hello}]
                  - vars: {word: bye}
                    assert: [{type: icontains, value: bye}]
                """.formatted(PROJECT));
        return file;
    }

    @Test
    void runs_every_call_through_the_server_and_tags_its_records_with_the_run_id() throws Exception {
        // given
        Path results = dir.resolve("results.json");

        // when
        int code = eval(
                "-c",
                suite().toString(),
                "--server",
                base,
                "--project",
                PROJECT,
                "--run-id",
                "ci-1234",
                "-o",
                results.toString());

        // then: the run passes, and each of its four calls is a record of the run
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("4 passed, 0 failed")
                .contains("Run ci-1234: its records are at " + base + "/api/v1/records?run=ci-1234");
        List<JsonNode> records = records("ci-1234");
        assertThat(records).hasSize(4);
        assertThat(records).allSatisfy(r -> {
            assertThat(r.get("runId").asString()).isEqualTo("ci-1234");
            assertThat(r.get("project").asString()).isEqualTo(PROJECT);
            assertThat(r.get("status").asString()).isEqualTo("ok");
            assertThat(r.get("model").asString()).isEqualTo("local/echo");
        });
        assertThat(records)
                .extracting(r -> r.get("output").asString())
                .containsExactlyInAnyOrder("Say hello", "Say bye", "Greet hello", "Greet bye");
        assertThat(records)
                .filteredOn(r -> r.has("prompt"))
                .extracting(r -> r.get("prompt").asString())
                .containsExactly("greet", "greet");
        assertThat(JsonReport.read(results).results())
                .extracting(TestResult::output)
                .containsExactlyInAnyOrder("Say hello", "Say bye", "Greet hello", "Greet bye");
    }

    @Test
    void uploads_the_runs_summary_and_matrix_to_the_server() throws Exception {
        // when
        int code = eval("-c", suite().toString(), "--server", base, "--project", PROJECT, "--run-id", "ci-upload-1");

        // then: the run's results are stored on the server, one cell per test × provider
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains(
                        "Sent the run's results to " + base + "/api/v1/projects/" + PROJECT + "/eval-runs/ci-upload-1");
        HttpResponse<String> response = send("GET", "/api/v1/projects/" + PROJECT + "/eval-runs/ci-upload-1", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode run = JSON.readTree(response.body());
        assertThat(run.get("suite").asString()).isEqualTo("suite.yaml");
        assertThat(run.get("passRate").asDouble()).isEqualTo(1.0);
        assertThat(run.get("passed").asInt()).isEqualTo(4);
        assertThat(run.get("cells")).hasSize(4);
        List<String> providers = new ArrayList<>();
        run.get("cells").forEach(cell -> {
            assertThat(cell.get("status").asString()).isEqualTo("PASS");
            assertThat(cell.get("score").asDouble()).isEqualTo(1.0);
            providers.add(cell.get("provider").asString());
        });
        assertThat(providers).containsOnly("local/echo", "promptforge:" + PROJECT + "/greet");
        assertThat(Instant.parse(run.get("finishedAt").asString()))
                .isAfterOrEqualTo(Instant.parse(run.get("startedAt").asString()));
    }

    @Test
    void a_second_run_gets_its_own_id_and_is_never_answered_from_the_cache() throws Exception {
        // when: the same suite twice, with generated run ids
        assertThat(eval("-c", suite().toString(), "--server", base, "--project", PROJECT))
                .as(err.toString())
                .isZero();
        assertThat(eval("-c", suite().toString(), "--server", base, "--project", PROJECT))
                .as(err.toString())
                .isZero();

        // then
        Matcher ids = Pattern.compile("Run (eval-\\d{8}-\\d{6}-[0-9a-f]{8}):").matcher(out.toString());
        List<String> runIds = new ArrayList<>();
        while (ids.find()) {
            runIds.add(ids.group(1));
        }
        assertThat(runIds).hasSize(2).doesNotHaveDuplicates();
        for (String runId : runIds) {
            assertThat(records(runId)).hasSize(4);
        }
    }

    @Test
    void refuses_providers_the_servers_gateway_does_not_run() throws IOException {
        Path file = dir.resolve("http.yaml");
        Files.writeString(file, """
                prompts: [hi]
                providers: [{id: http, config: {url: 'http://127.0.0.1:9/x'}}]
                tests: [{assert: [{type: contains, value: hi}]}]
                """);
        assertThat(eval("-c", file.toString(), "--server", base, "--project", PROJECT))
                .isEqualTo(1);
        assertThat(err.toString()).contains("with --server every call runs on the server's gateway");
    }
}
