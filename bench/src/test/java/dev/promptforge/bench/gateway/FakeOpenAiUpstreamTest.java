package dev.promptforge.bench.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeOpenAiUpstreamTest {

    private static final String BODY =
            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private FakeOpenAiUpstream upstream;
    private URI completions;

    @BeforeEach
    void start() throws IOException {
        upstream = FakeOpenAiUpstream.start(0);
        completions = URI.create("http://127.0.0.1:" + upstream.port() + "/v1/chat/completions");
    }

    @AfterEach
    void stop() throws IOException {
        upstream.close();
    }

    @Test
    void answers_the_jdk_client_with_a_completion_and_usage_on_one_kept_alive_connection() throws Exception {
        // given: the JDK client PromptForge uses, with its default HTTP/2 upgrade attempt
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpRequest request = HttpRequest.newBuilder(completions)
                    .header("Content-Type", "application/json")
                    .POST(BodyPublishers.ofString(BODY))
                    .build();

            // when
            HttpResponse<String> first = client.send(request, BodyHandlers.ofString());
            HttpResponse<String> second = client.send(request, BodyHandlers.ofString());

            // then
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(first.body())
                    .isEqualTo(FakeOpenAiUpstream.COMPLETION)
                    .contains("\"object\":\"chat.completion\"", "\"usage\":{\"prompt_tokens\":42");
            assertThat(second.body()).isEqualTo(first.body());
            assertThat(upstream.completions()).isEqualTo(2);
        }
    }

    @Test
    void reads_a_chunked_body() throws Exception {
        // given: a body of unknown length, sent chunked
        try (HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpRequest request = HttpRequest.newBuilder(completions)
                    .POST(BodyPublishers.ofInputStream(
                            () -> new ByteArrayInputStream(BODY.getBytes(StandardCharsets.UTF_8))))
                    .build();

            // when
            HttpResponse<String> response = client.send(request, BodyHandlers.ofString());

            // then
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(FakeOpenAiUpstream.COMPLETION);
        }
    }

    @Test
    void answers_pipelined_requests_in_order_and_counts_only_completions() throws Exception {
        // given: a completion with a chunked body, a health check and an unknown path, in one write
        String requests = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;ext=1\r\nhello\r\n0\r\nTrailer: 1\r\n\r\n"
                + "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), upstream.port())) {
            OutputStream out = socket.getOutputStream();

            // when
            out.write(requests.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answers = new String(in.readAllBytes(), StandardCharsets.UTF_8);

            // then: three answers, then the server closed the connection as asked
            assertThat(answers.split("HTTP/1.1 ", -1))
                    .extracting(s -> s.isEmpty() ? "" : s.substring(0, 3))
                    .containsExactly("", "200", "200", "404");
            assertThat(answers).contains(FakeOpenAiUpstream.COMPLETION).contains("\r\n\r\nok");
            assertThat(upstream.completions()).isEqualTo(1);
        }
    }
}
