package dev.promptforge.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.support.ApiTestBase;
import dev.promptforge.server.support.SqliteTestDatabase;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The official {@code openai} npm package, unmodified, drives PromptForge with only its base URL
 * changed: a plain call, a streamed call and an error. Needs node and npm (the package is installed
 * from the npm registry into {@code target/openai-sdk} once); skipped without them outside CI, and
 * failing under CI.
 */
@ContextConfiguration(initializers = SqliteTestDatabase.class)
class OpenAiSdkCompatibilityTest extends ApiTestBase {

    static final String SDK = "openai@6.30.1";
    static final Path INSTALL = Path.of("target", "openai-sdk");
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @BeforeAll
    static void installSdk() throws Exception {
        boolean available = onPath("node") && onPath("npm");
        if (!"true".equalsIgnoreCase(System.getenv("CI"))) {
            Assumptions.assumeTrue(available, "node and npm are not on the PATH");
        }
        if (Files.isDirectory(INSTALL.resolve("node_modules/openai"))) {
            return;
        }
        Files.createDirectories(INSTALL);
        Process npm = new ProcessBuilder(
                        "npm", "install", "--prefix", INSTALL.toString(), "--no-audit", "--no-fund", "--silent", SDK)
                .redirectErrorStream(true)
                .start();
        String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(npm.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(npm.exitValue()).as("npm install %s: %s", SDK, output).isZero();
    }

    @Test
    void the_official_sdk_works_plain_streaming_and_with_errors() throws Exception {
        // given the SDK's script next to its installed package
        Path script = INSTALL.resolve("check.mjs");
        try (var in = getClass().getResourceAsStream("/openai-sdk/check.mjs")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        // when
        ProcessBuilder builder = new ProcessBuilder("node", script.getFileName().toString())
                .directory(INSTALL.toFile())
                .redirectErrorStream(true);
        builder.environment().put("PROMPTFORGE_BASE_URL", "http://127.0.0.1:" + port + "/v1");
        builder.environment().put("PROMPTFORGE_KEY", KEY);
        Process node = builder.start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        Map<String, JsonNode> results = new HashMap<>();
        for (String line : output.lines().filter(l -> l.startsWith("{")).toList()) {
            JsonNode json = MAPPER.readTree(line);
            results.put(json.get("kind").asString(), json);
        }
        // then
        JsonNode plain = results.get("plain");
        assertThat(plain.get("text").asString()).isEqualTo("Hello from the OpenAI SDK");
        assertThat(plain.get("finish").asString()).isEqualTo("stop");
        assertThat(plain.get("usage").get("total_tokens").asInt()).isPositive();
        JsonNode stream = results.get("stream");
        assertThat(stream.get("text").asString()).isEqualTo("Streaming through PromptForge works");
        assertThat(stream.get("chunks").asInt()).isGreaterThan(3);
        assertThat(stream.get("usage").get("completion_tokens").asInt()).isPositive();
        JsonNode error = results.get("error");
        assertThat(error.get("status").asInt()).isEqualTo(422);
        assertThat(error.get("message").asString()).contains("no provider named 'nope'");
        // and both calls are records
        JsonNode plainRecord =
                api.get("/api/v1/records/" + plain.get("recordId").asString()).json();
        assertThat(plainRecord.get("output").asString()).isEqualTo("Hello from the OpenAI SDK");
        assertThat(plainRecord.get("streamed").asBoolean()).isFalse();
        JsonNode streamRecord =
                api.get("/api/v1/records/" + stream.get("recordId").asString()).json();
        assertThat(streamRecord.get("output").asString()).isEqualTo("Streaming through PromptForge works");
        assertThat(streamRecord.get("streamed").asBoolean()).isTrue();
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : List.of(path.split(File.pathSeparator))) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
