package dev.promptforge.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.PromptForgeApplication;
import dev.promptforge.server.support.Http;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The first start of an empty data directory, as a user runs it: no settings at all. */
@ExtendWith(OutputCaptureExtension.class)
class FirstStartTest {

    @TempDir
    Path dataDir;

    @Test
    void generates_credentials_once_into_an_owner_only_file_and_seeds_the_demo(CapturedOutput output)
            throws IOException {
        // when the server starts on an empty data directory
        String key;
        try (ConfigurableApplicationContext first = start()) {
            Path file = dataDir.resolve("bootstrap-credentials.txt");
            // then the credentials are in an owner-only file, printed once, and they work
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            Properties credentials = new Properties();
            try (var reader = Files.newBufferedReader(file)) {
                credentials.load(reader);
            }
            key = credentials.getProperty("api_key");
            assertThat(key).startsWith("pf_").hasSizeGreaterThan(30);
            assertThat(credentials.getProperty("admin_password")).hasSizeGreaterThanOrEqualTo(16);
            assertThat(output.getOut()).contains(key).contains("shown once");
            assertThat(Files.exists(dataDir.resolve("promptforge.db"))).isTrue();

            Http api = new Http(port(first), key);
            var prompts = api.get("/api/v1/projects/demo/prompts").json().get("items");
            assertThat(prompts.size()).isGreaterThanOrEqualTo(3);
            var render = api.post(
                    "/api/v1/projects/demo/prompts/customer-support/render",
                    Http.json(java.util.Map.of(
                            "variables",
                            java.util.Map.of("bank_name", "Acme", "context", "Fees are 0.", "question", "Fees?"))));
            assertThat(render.status()).as(render.toString()).isEqualTo(200);
            assertThat(render.json().get("version").asInt()).isEqualTo(2);
        }

        // when it starts again on the same directory
        int printedBefore = count(output.getOut(), key);
        try (ConfigurableApplicationContext second = start()) {
            // then nothing is generated or seeded again, and the first key still works
            assertThat(count(output.getOut(), key)).isEqualTo(printedBefore);
            Http api = new Http(port(second), key);
            assertThat(api.get("/api/v1/projects").json().get("items").size()).isEqualTo(1);
        }
    }

    @Test
    void uses_the_key_and_password_given_by_the_environment_and_writes_no_file() {
        try (ConfigurableApplicationContext context = start(
                "--promptforge.bootstrap.api-key=pf_given-key-for-scripts-000",
                "--promptforge.bootstrap.admin-password=given-password")) {
            Http api = new Http(port(context), "pf_given-key-for-scripts-000");
            assertThat(api.get("/api/v1/projects").status()).isEqualTo(200);
            assertThat(Files.exists(dataDir.resolve("bootstrap-credentials.txt")))
                    .isFalse();
        }
    }

    @Test
    void logs_json_lines_that_carry_the_request_id(CapturedOutput output) {
        try (ConfigurableApplicationContext context = start(
                "--logging.structured.format.console=ecs",
                "--logging.level.org.springframework.web.servlet.PageNotFound=warn",
                "--promptforge.bootstrap.api-key=pf_given-key-for-scripts-000")) {
            // when a request that the server logs carries an id
            new Http(port(context), "pf_given-key-for-scripts-000")
                    .send("PATCH", "/api/v1/projects", "{}", "X-Request-Id", "corr-log-42");
            // then the log line is JSON with that id
            assertThat(output.getOut().lines().filter(line -> line.contains("corr-log-42")))
                    .isNotEmpty()
                    .allSatisfy(line ->
                            assertThat(line).startsWith("{\"@timestamp\"").contains("\"requestId\":\"corr-log-42\""));
        }
    }

    private ConfigurableApplicationContext start(String... extra) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.port", "0");
        settings.put("promptforge.data-dir", dataDir.toString());
        settings.put("logging.structured.format.console", "");
        settings.put("logging.level.root", "warn");
        for (String argument : extra) {
            int eq = argument.indexOf('=');
            settings.put(argument.substring(2, eq), argument.substring(eq + 1));
        }
        String[] args = settings.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(PromptForgeApplication.class).run(args);
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            count++;
        }
        return count;
    }
}
