package dev.promptforge.server.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.promptforge.server.PromptForgeApplication;
import dev.promptforge.server.support.ApiTestBase;
import dev.promptforge.server.support.Http;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Runs survive the server: a real server JVM is killed ({@code SIGKILL}) in the middle of a pipeline
 * run, and a new one started on the same data directory resumes the run without executing its
 * finished items again — or, with {@code promptforge.lab.resume=false}, fails it with the reason.
 */
class LabCrashResumeTest {

    private static final int ITEMS = 24;

    private final List<Process> servers = new ArrayList<>();
    private Path dataDir;

    @AfterEach
    void stopServers() {
        servers.forEach(Process::destroyForcibly);
    }

    @Test
    void resumes_a_run_interrupted_by_a_killed_server_without_executing_finished_items_again() throws Exception {
        // given: a run of 24 slow items, two at a time, on a server that is then killed mid-run
        dataDir = Files.createTempDirectory("promptforge-crash-");
        Server first = start(true);
        Http api = first.api();
        String pipelineId = fixtures(api);
        String runId = api.post(execute(pipelineId), Http.json(Map.of("promptId", "slow@1")))
                .json()
                .get("id")
                .asString();
        String runPath = "/api/integration/testing/pipelines/" + pipelineId + "/runs/" + runId;
        await().atMost(Duration.ofSeconds(60))
                .until(() -> api.get(runPath).json().get("itemsDone").asInt() >= 4);
        Map<String, String> before = recordIds(api, runPath);
        assertThat(api.get(runPath).json().get("status").asString()).isEqualTo("RUNNING");
        first.process().destroyForcibly().waitFor();
        assertThat(before).isNotEmpty().hasSizeLessThan(ITEMS);

        // when: a new server starts on the same database
        Server second = start(true);

        // then: it resumes the run and finishes it; items done before the kill keep their executions
        JsonNode finished = await().atMost(Duration.ofSeconds(90))
                .until(
                        () -> second.api().get(runPath).json(),
                        run -> !run.get("status").asString().equals("RUNNING"));
        assertThat(finished.get("status").asString()).as(finished.toString()).isEqualTo("PASSED");
        assertThat(finished.get("resumes").asInt()).isEqualTo(1);
        assertThat(finished.get("stages").get(0).get("status").asString()).isEqualTo("PASSED");
        assertThat(finished.get("stages").get(0).get("metrics").get("calls").asInt())
                .isEqualTo(ITEMS);
        Map<String, String> after = recordIds(second.api(), runPath);
        assertThat(after).hasSize(ITEMS);
        before.forEach((item, record) -> assertThat(after.get(item)).as(item).isEqualTo(record));
        second.process().destroyForcibly().waitFor();
    }

    @Test
    void fails_an_interrupted_run_with_the_reason_when_resuming_is_off() throws Exception {
        // given
        dataDir = Files.createTempDirectory("promptforge-crash-");
        Server first = start(true);
        String pipelineId = fixtures(first.api());
        String runId = first.api()
                .post(execute(pipelineId), Http.json(Map.of("promptId", "slow@1")))
                .json()
                .get("id")
                .asString();
        String runPath = "/api/integration/testing/pipelines/" + pipelineId + "/runs/" + runId;
        await().atMost(Duration.ofSeconds(60))
                .until(() -> first.api().get(runPath).json().get("itemsDone").asInt() >= 2);
        first.process().destroyForcibly().waitFor();

        // when
        Server second = start(false);

        // then
        JsonNode failed = await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> second.api().get(runPath).json(),
                        run -> !run.get("status").asString().equals("RUNNING"));
        assertThat(failed.get("status").asString()).isEqualTo("FAILED");
        assertThat(failed.get("reason").asString()).contains("interrupted");
        assertThat(failed.get("stages").get(0).get("status").asString()).isEqualTo("SKIPPED");
        second.process().destroyForcibly().waitFor();
    }

    // --- plumbing

    private record Server(Process process, Http api) {}

    private static String execute(String pipelineId) {
        return "/api/integration/testing/pipelines/" + pipelineId + "/execute";
    }

    private static String fixtures(Http api) {
        api.post("/api/v1/projects", Http.json(Map.of("name", "crash")));
        String base = "/api/v1/projects/crash";
        api.post(base + "/prompts", Http.json(Map.of("name", "slow")));
        api.post(
                base + "/prompts/slow/versions",
                Http.json(Map.of("template", "Echo {{n}}", "model", "local/echo", "variables", List.of("n"))));
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            items.add(Map.of("vars", Map.of("n", "item" + i), "expected", "contains:item" + i));
        }
        assertThat(api.post(base + "/datasets", Http.json(Map.of("name", "many", "items", items)))
                        .status())
                .isEqualTo(201);
        var created = api.post(
                base + "/pipelines",
                Http.json(Map.of(
                        "name",
                        "gate",
                        "config",
                        Map.of("dataset", "many", "concurrency", 2),
                        "stages",
                        List.of(Map.of("type", "performance", "config", Map.of())))));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    /** The record id of each item the run executed. */
    private static Map<String, String> recordIds(Http api, String runPath) {
        Map<String, String> ids = new HashMap<>();
        JsonNode items = api.get(runPath + "/items").json();
        for (JsonNode item : items) {
            ids.put(item.get("itemId").asString(), item.get("recordId").asString());
        }
        return ids;
    }

    private static boolean healthy(Http api) {
        try {
            return api.get("/api/v1/health").status() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Server start(boolean resume, String... extra) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx512m",
                "-cp",
                classpath,
                PromptForgeApplication.class.getName(),
                "--server.port=" + port,
                "--promptforge.data-dir=" + dataDir,
                "--promptforge.db.url=",
                "--promptforge.bootstrap.api-key=" + ApiTestBase.KEY,
                "--promptforge.bootstrap.admin-password=" + ApiTestBase.ADMIN_PASSWORD,
                "--promptforge.demo.enabled=false",
                "--promptforge.ratelimit.enabled=false",
                "--promptforge.gateway.local.latency=250ms",
                "--promptforge.lab.stale-after=1s",
                "--promptforge.lab.resume=" + resume,
                "--logging.structured.format.console=",
                "--logging.level.root=warn",
                "--logging.level.dev.promptforge.server.lab=info"));
        command.addAll(List.of(extra));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dataDir.resolve("server.log").toFile()))
                .start();
        servers.add(process);
        Http api = new Http(port, ApiTestBase.KEY);
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> !process.isAlive() || healthy(api));
        if (!process.isAlive()) {
            throw new IllegalStateException("the server exited: " + Files.readString(dataDir.resolve("server.log")));
        }
        return new Server(process, api);
    }
}
