package dev.promptforge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.promptforge.cli.eval.EvalCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A promptfoo config with CSV tests ({@code file://}), a scenario and {@code defaultTest} runs
 * unchanged (only the fake server's port is filled in) and grades every test and every assertion as
 * promptfoo 0.123.1 does. The fake OpenAI server answers by the same rule as the speed harness's
 * ({@code bench/eval/run.sh}, {@code TicketChatServer}).
 *
 * <p>When the harness has installed promptfoo ({@code bench/eval/.tools}), a second test runs it on
 * the same config and the same server and compares the two results; otherwise that test is skipped.
 */
class PromptfooParityTest {

    /**
     * promptfoo 0.123.1's verdicts on {@code promptfoo-parity/promptfooconfig.yaml}: per test (id and
     * city), pass or fail, then each assertion in order ({@code +} passed, {@code -} failed).
     */
    private static final Map<String, String> PROMPTFOO = new TreeMap<>(Map.ofEntries(
            Map.entry("0 Lisbon", "pass contains+ icontains+ is-json+ contains-any+"),
            Map.entry("1 Porto", "pass contains+ contains+ regex+ levenshtein+"),
            Map.entry("2 Madrid", "pass contains+ equals+ not-contains+ starts-with+"),
            Map.entry("3 Paris", "fail contains+ contains-json+ not-is-json+ icontains-"),
            Map.entry("4 Lyon", "pass contains+ levenshtein+ icontains-any+ not-starts-with+"),
            Map.entry("5 Berlin", "fail contains+ not-starts-with- icontains- regex+"),
            Map.entry("6 Hamburg", "pass contains+ is-json+ contains+ not-icontains+"),
            // a CSV levenshtein without a threshold gets 0.75 from promptfoo: distance 1 fails
            Map.entry("7 Vienna", "fail contains+ levenshtein- starts-with+"),
            Map.entry("8 Zurich", "fail contains+ equals- icontains+"),
            Map.entry("9 Milan", "pass contains+ contains-json+ not-contains+ icontains-all+"),
            Map.entry("10 Rome", "fail contains+ starts-with+ contains-all+ levenshtein-"),
            Map.entry("11 Prague", "pass contains+ not-is-json+ icontains+ equals+"),
            Map.entry("20 Oslo", "pass contains+ icontains+"),
            Map.entry("20 Rome", "pass contains+ icontains+"),
            Map.entry("21 Oslo", "pass contains+ contains-json+ not-contains+"),
            Map.entry("21 Rome", "pass contains+ contains-json+ not-contains+"),
            Map.entry("22 Oslo", "pass contains+ levenshtein+ icontains-all+"),
            Map.entry("22 Rome", "pass contains+ levenshtein+ icontains-all+")));

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern TICKET = Pattern.compile("Ticket (\\d+) from ([^:]+):");

    @TempDir
    Path dir;

    private HttpServer server;
    private Path config;

    @BeforeEach
    void start_the_fake_server_and_copy_the_suite() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", exchange -> {
            try (exchange;
                    InputStream in = exchange.getRequestBody()) {
                JsonNode request = JSON.readTree(in.readAllBytes());
                String prompt = "";
                for (JsonNode message : request.path("messages")) {
                    if (message.path("role").asString("").equals("user")) {
                        prompt = message.path("content").asString("");
                    }
                }
                byte[] body = JSON.writeValueAsBytes(Map.of(
                        "id",
                        "chatcmpl-parity",
                        "object",
                        "chat.completion",
                        "created",
                        1767225600,
                        "model",
                        "gpt-4o-mini",
                        "choices",
                        java.util.List.of(Map.of(
                                "index",
                                0,
                                "message",
                                Map.of("role", "assistant", "content", answer(prompt)),
                                "finish_reason",
                                "stop")),
                        "usage",
                        Map.of("prompt_tokens", 10, "completion_tokens", 10, "total_tokens", 20)));
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        Path fixture = Path.of("src/test/resources/promptfoo-parity");
        config = dir.resolve("promptfooconfig.yaml");
        Files.writeString(
                config,
                Files.readString(fixture.resolve("promptfooconfig.yaml"))
                        .replace("${PORT}", Integer.toString(server.getAddress().getPort())));
        Files.copy(fixture.resolve("tests.csv"), dir.resolve("tests.csv"));
    }

    @AfterEach
    void stop_the_fake_server() {
        server.stop(0);
    }

    /** The harness's fake: one of six answer styles by the ticket's id. */
    static String answer(String prompt) {
        Matcher m = TICKET.matcher(prompt);
        if (!m.find()) {
            return "I only answer questions about tickets.";
        }
        long id = Long.parseLong(m.group(1));
        String city = m.group(2).strip();
        return switch ((int) (id % 6)) {
            case 0 -> "{\"ticket\": " + id + ", \"city\": \"" + city + "\", \"status\": \"open\"}";
            case 1 -> "Ticket " + id + " is open in " + city + ".";
            case 2 -> ("Ticket " + id + " is open in " + city + ".").toUpperCase(Locale.ROOT);
            case 3 -> "Sure! {\"ticket\": " + id + ", \"status\": \"open\"}";
            case 4 -> "Ticket " + id + " is closed in " + city + ".";
            default -> "I cannot help with ticket " + id + ".";
        };
    }

    @Test
    void runs_a_promptfoo_config_with_csv_tests_and_scenarios_unchanged_with_promptfoos_pass_and_fail()
            throws IOException {
        // given the config and the fake server

        // when
        Map<String, String> ours = promptforge();

        // then
        assertThat(ours).isEqualTo(PROMPTFOO);
    }

    @Test
    void agrees_with_the_installed_promptfoo_on_every_test_and_assertion() throws Exception {
        // given promptfoo as bench/eval/run.sh installs it
        Path tools = repositoryRoot().resolve("bench/eval/.tools/node_modules");
        Path node = tools.resolve(".bin/node");
        Path promptfoo = tools.resolve("promptfoo/dist/src/entrypoint.js");
        assumeTrue(
                Files.isExecutable(node) && Files.isRegularFile(promptfoo),
                "promptfoo is not installed: bench/eval/run.sh installs it into bench/eval/.tools");

        // when
        Path output = dir.resolve("promptfoo.json");
        ProcessBuilder builder = new ProcessBuilder(
                        node.toString(),
                        promptfoo.toString(),
                        "eval",
                        "-c",
                        config.toString(),
                        "--no-cache",
                        "--no-write",
                        "-o",
                        output.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("promptfoo.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("PROMPTFOO_DISABLE_TELEMETRY", "1");
        env.put("PROMPTFOO_DISABLE_UPDATE", "1");
        env.put("PROMPTFOO_DISABLE_SHARING", "1");
        env.put("PROMPTFOO_DISABLE_REMOTE_GENERATION", "1");
        env.put("PROMPTFOO_CONFIG_DIR", dir.resolve("promptfoo-home").toString());
        Process process = builder.start();
        assertThat(process.waitFor(180, TimeUnit.SECONDS))
                .as("promptfoo finished within 180 s")
                .isTrue();
        assertThat(output)
                .as("promptfoo's results; its log: %s", Files.readString(dir.resolve("promptfoo.log")))
                .isRegularFile();
        Map<String, String> theirs = new TreeMap<>();
        for (JsonNode result :
                JSON.readTree(Files.readString(output)).path("results").path("results")) {
            StringBuilder outcome = new StringBuilder(result.path("success").asBoolean() ? "pass" : "fail");
            for (JsonNode component : result.path("gradingResult").path("componentResults")) {
                outcome.append(' ')
                        .append(component.path("assertion").path("type").asString())
                        .append(component.path("pass").asBoolean() ? '+' : '-');
            }
            theirs.put(key(result.path("vars")), outcome.toString());
        }

        // then
        assertThat(promptforge()).isEqualTo(theirs);
    }

    /** Runs {@code promptforge eval} on the config; each test's outcome, as in {@link #PROMPTFOO}. */
    private Map<String, String> promptforge() throws IOException {
        Path output = dir.resolve("promptforge.json");
        StringWriter err = new StringWriter();
        CommandLine cli = PromptForgeCli.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("eval", "-c", config.toString(), "--no-cache", "-o", output.toString());
        assertThat(code).as("exit code; stderr: %s", err).isEqualTo(EvalCommand.TESTS_FAILED);
        Map<String, String> outcomes = new TreeMap<>();
        for (JsonNode result : JSON.readTree(Files.readString(output)).path("results")) {
            StringBuilder outcome =
                    new StringBuilder(result.path("status").asString().toLowerCase(Locale.ROOT));
            for (JsonNode component : result.path("grading").path("components")) {
                outcome.append(' ')
                        .append(component.path("type").asString())
                        .append(component.path("pass").asBoolean() ? '+' : '-');
            }
            outcomes.put(key(result.path("vars")), outcome.toString());
        }
        return outcomes;
    }

    private static String key(JsonNode vars) {
        return vars.path("id").asString() + " " + vars.path("city").asString();
    }

    private static Path repositoryRoot() throws IOException {
        Path at = Path.of("").toAbsolutePath();
        while (at != null && !Files.isRegularFile(at.resolve("promptforge"))) {
            at = at.getParent();
        }
        if (at == null) {
            throw new IOException(
                    "the repository root is not above " + Path.of("").toAbsolutePath());
        }
        return at;
    }
}
