package dev.promptforge.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.promptforge.server.support.ApiTestBase;
import dev.promptforge.server.support.Http;
import dev.promptforge.server.support.SqliteTestDatabase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Traces go to an OTLP collector when one is configured (a fake one on loopback here), and prompt
 * text is logged only when {@code promptforge.gateway.log-content} is on — which it is in this test,
 * while {@link GatewayApiTests} runs with it off.
 */
@ContextConfiguration(initializers = SqliteTestDatabase.class)
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(
        properties = {"promptforge.gateway.log-content=true", "logging.level.dev.promptforge.server.gateway=info"})
class ObservabilityTest extends ApiTestBase {

    static final List<String> received = new CopyOnWriteArrayList<>();
    static final HttpServer collector = collector();

    static HttpServer collector() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/v1/traces", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                received.add(exchange.getRequestHeaders().getFirst("Content-Type") + " " + body.length);
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void otlp(DynamicPropertyRegistry registry) {
        registry.add(
                "management.opentelemetry.tracing.export.otlp.endpoint",
                () -> "http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces");
        registry.add("management.tracing.sampling.probability", () -> "1.0");
    }

    @AfterAll
    static void stop() {
        collector.stop(0);
    }

    @Test
    void exports_traces_over_otlp_and_logs_content_when_asked(CapturedOutput output) {
        // given
        api.post("/api/v1/projects", Http.json(Map.of("name", "observed")));
        // when
        var response = api.post(
                "/api/v1/prompt/execute",
                Http.json(Map.of(
                        "project",
                        "observed",
                        "model",
                        "local/echo",
                        "messages",
                        List.of(Map.of("role", "user", "content", "distinctive-observability-text")))));
        // then
        assertThat(response.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
        assertThat(received.getFirst()).startsWith("application/x-protobuf");
        assertThat(output.getOut()).contains("distinctive-observability-text");
    }
}
