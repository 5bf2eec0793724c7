package dev.promptforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.promptforge.eval.report.JsonReport;
import dev.promptforge.eval.run.TestResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code similar}, {@code moderation} and {@code answer-relevance} in {@code ./promptforge eval}
 * against a fake OpenAI server on loopback that speaks the real wire format of {@code
 * /v1/embeddings}, {@code /v1/moderations} and {@code /v1/chat/completions}.
 */
class JudgeEndpointsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The fake's embedding: how often each of these words occurs, so cosine measures shared words. */
    private static final List<String> VOCABULARY = List.of("paris", "capital", "france", "london", "rain", "cheese");

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private volatile int embeddingStatus = 200;

    record Recorded(String path, String authorization, JsonNode body) {}

    @BeforeEach
    void startFakeOpenAi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/embeddings", exchange -> {
            JsonNode body = record(exchange);
            if (embeddingStatus != 200) {
                reply(exchange, embeddingStatus, """
                        {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error",
                                   "code": "invalid_api_key"}}""");
                return;
            }
            List<Integer> vector = new ArrayList<>();
            String[] words =
                    body.get("input").asString().toLowerCase(Locale.ROOT).split("\\W+");
            for (String term : VOCABULARY) {
                int count = 0;
                for (String word : words) {
                    count += word.equals(term) ? 1 : 0;
                }
                vector.add(count);
            }
            reply(exchange, 200, """
                    {"object": "list", "data": [{"object": "embedding", "index": 0, "embedding": %s}],
                     "model": "%s", "usage": {"prompt_tokens": 5, "total_tokens": 5}}""".formatted(vector, body.get("model").asString()));
        });
        server.createContext("/v1/moderations", exchange -> {
            JsonNode body = record(exchange);
            boolean violent = body.get("input").asString().contains("kill");
            reply(exchange, 200, """
                    {"id": "modr-1", "model": "%s", "results": [{"flagged": %s,
                     "categories": {"hate": false, "violence": %s, "self-harm": false},
                     "category_scores": {"hate": 0.001, "violence": %s, "self-harm": 0.0002}}]}""".formatted(
                            body.get("model").asString(), violent, violent, violent ? "0.97" : "0.01"));
        });
        server.createContext("/v1/chat/completions", exchange -> {
            record(exchange);
            reply(exchange, 200, """
                    {"id": "c1", "object": "chat.completion", "model": "gpt-4o-mini",
                     "choices": [{"index": 0, "message": {"role": "assistant",
                                  "content": "What is the capital of France?"}, "finish_reason": "stop"}],
                     "usage": {"prompt_tokens": 40, "completion_tokens": 7}}""");
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private JsonNode record(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        requests.add(new Recorded(
                exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("Authorization"), body));
        return body;
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private int run(String yaml, String... more) throws IOException {
        Path file = dir.resolve("suite.yaml");
        Files.writeString(file, yaml);
        CommandLine cli = PromptForgeCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        List<String> args = new ArrayList<>(List.of("eval", "--no-cache", "-c", file.toString()));
        args.addAll(List.of(more));
        return cli.execute(args.toArray(String[]::new));
    }

    private List<TestResult> results(Path json) throws IOException {
        return JsonReport.read(json).results();
    }

    @Test
    void similar_compares_embeddings_from_the_configured_embedding_provider() throws IOException {
        // given: local/echo answers with the prompt, here the variable 'answer'
        Path json = dir.resolve("similar.json");
        String yaml = """
                prompts: ['{{answer}}']
                providers: [local/echo]
                defaultTest:
                  options:
                    provider:
                      embedding:
                        id: openai:embedding:text-embedding-3-small
                        config: {apiBaseUrl: '%s', apiKey: sk-judge}
                tests:
                  - vars: {answer: Paris is the capital of France}
                    assert: [{type: similar, value: The capital of France is Paris, threshold: 0.9}]
                  - vars: {answer: It is rain in London}
                    assert: [{type: similar, value: The capital of France is Paris, threshold: 0.5}]
                """.formatted(base());

        // when
        int code = run(yaml, "-o", json.toString());

        // then
        assertThat(code).as(err.toString()).isEqualTo(100);
        List<TestResult> results = results(json);
        assertThat(results).extracting(TestResult::passed).containsExactly(true, false);
        assertThat(results.get(0).grading().components().get(0).reason())
                .isEqualTo("Cosine similarity 1.00 to \"The capital of France is Paris\" meets the threshold 0.9");
        assertThat(results.get(1).grading().components().get(0).reason())
                .isEqualTo("Cosine similarity 0.00 to \"The capital of France is Paris\" is below the threshold 0.5");
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.path()).isEqualTo("/v1/embeddings");
            assertThat(r.authorization()).isEqualTo("Bearer sk-judge");
            assertThat(r.body().get("model").asString()).isEqualTo("text-embedding-3-small");
        });
        assertThat(requests)
                .extracting(r -> r.body().get("input").asString())
                .contains("Paris is the capital of France", "It is rain in London", "The capital of France is Paris");
    }

    @Test
    void moderation_asks_the_moderation_endpoint_an_assertion_names() throws IOException {
        // given
        Path json = dir.resolve("moderation.json");
        String yaml = """
                prompts: ['{{answer}}']
                providers: [local/echo]
                tests:
                  - vars: {answer: Have a nice day}
                    assert: [{type: moderation, provider: {id: openai:moderation, config: {apiBaseUrl: '%1$s'}}}]
                  - vars: {answer: I will kill the process}
                    assert:
                      - type: moderation
                        provider: {moderation: {id: 'openai:moderation:text-moderation-stable', config: {apiBaseUrl: '%1$s'}}}
                  - vars: {answer: I will kill the process}
                    assert:
                      - type: moderation
                        value: [hate]
                        provider: {id: openai:moderation, config: {apiBaseUrl: '%1$s'}}
                """.formatted(base());

        // when
        int code = run(yaml, "-o", json.toString());

        // then
        assertThat(code).as(err.toString()).isEqualTo(100);
        List<TestResult> results = results(json);
        assertThat(results).extracting(TestResult::passed).containsExactly(true, false, true);
        assertThat(results.get(1).grading().components().get(0).reason()).isEqualTo("Moderation flags [violence]");
        assertThat(results.get(2).grading().components().get(0).reason())
                .isEqualTo("Moderation flags nothing among [hate]");
        assertThat(requests).extracting(Recorded::path).containsOnly("/v1/moderations");
        assertThat(requests)
                .extracting(r -> r.body().get("model").asString())
                .containsExactlyInAnyOrder(
                        "omni-moderation-latest", "text-moderation-stable", "omni-moderation-latest");
    }

    @Test
    void answer_relevance_asks_the_text_judge_for_questions_and_embeds_them() throws IOException {
        // given: the chat judge always suggests "What is the capital of France?"
        Path json = dir.resolve("relevance.json");
        String yaml = """
                prompts: ['{{answer}}']
                providers: [local/echo]
                defaultTest:
                  options:
                    provider:
                      text: {id: 'openai:chat:gpt-4o-mini', config: {apiBaseUrl: '%1$s', apiKey: sk-judge}}
                      embedding: {id: 'openai:embeddings:text-embedding-3-small', config: {apiBaseUrl: '%1$s'}}
                tests:
                  - vars: {query: What is the capital of France?, answer: Paris is the capital}
                    assert: [{type: answer-relevance, threshold: 0.8}]
                  - vars: {query: Which cheese goes with rain?, answer: Paris is the capital}
                    assert: [{type: answer-relevance, threshold: 0.8}]
                """.formatted(base());

        // when
        int code = run(yaml, "-o", json.toString());

        // then
        assertThat(code).as(err.toString()).isEqualTo(100);
        List<TestResult> results = results(json);
        assertThat(results).extracting(TestResult::passed).containsExactly(true, false);
        assertThat(results.get(0).score()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(results.get(1).score()).isEqualTo(0.0);
        assertThat(requests.stream().filter(r -> r.path().equals("/v1/chat/completions")))
                .hasSize(6)
                .allSatisfy(r -> assertThat(r.body().toString()).contains("Paris is the capital"));
        assertThat(requests.stream().filter(r -> r.path().equals("/v1/embeddings")))
                .hasSize(8);
    }

    @Test
    void without_an_embedding_or_moderation_provider_the_run_stops_with_an_error_that_says_so() throws IOException {
        // no judge at all
        String similar = """
                prompts: ['{{answer}}']
                providers: [local/echo]
                tests:
                  - vars: {answer: Paris}
                    assert: [{type: similar, value: Paris}]
                """;
        assertThat(run(similar)).isEqualTo(1);
        assertThat(err.toString()).contains("suite.yaml:5:14: 'similar' is model-graded and needs a judge");

        // a chat judge has no embeddings
        err.getBuffer().setLength(0);
        assertThat(run(similar, "--grader", "openai:chat:gpt-4o-mini")).isEqualTo(1);
        assertThat(err.toString())
                .contains("similar compares embeddings, and the judge openai:chat:gpt-4o-mini has none: name an"
                        + " embeddings provider in defaultTest.options.provider.embedding");

        // a judge named by kind without moderation
        err.getBuffer().setLength(0);
        String moderation = """
                prompts: ['{{answer}}']
                providers: [local/echo]
                defaultTest:
                  options:
                    provider: {embedding: openai:embedding:text-embedding-3-small}
                tests:
                  - vars: {answer: Paris}
                    assert: [{type: moderation}]
                """;
        assertThat(run(moderation)).isEqualTo(1);
        assertThat(err.toString())
                .contains("moderation needs a judge with a moderation endpoint, and {embedding:"
                        + " openai:embedding:text-embedding-3-small} has none");

        // an embeddings endpoint cannot grade a rubric
        err.getBuffer().setLength(0);
        assertThat(run(moderation.replace("{type: moderation}", "{type: llm-rubric, value: is short}")))
                .isEqualTo(1);
        assertThat(err.toString()).contains("llm-rubric asks a chat model, and the judge");
        assertThat(requests).isEmpty();
    }

    @Test
    void an_upstream_error_makes_the_test_an_error_with_the_upstreams_message() throws IOException {
        // given
        embeddingStatus = 401;
        Path json = dir.resolve("error.json");
        String yaml = """
                prompts: ['{{answer}}']
                providers: [local/echo]
                tests:
                  - vars: {answer: Paris}
                    assert:
                      - type: not-similar
                        value: London
                        provider: {id: 'openai:embedding:text-embedding-3-small', config: {apiBaseUrl: '%s'}}
                """.formatted(base());

        // when
        int code = run(yaml, "-o", json.toString());

        // then: an error, never a pass, even negated
        assertThat(code).isEqualTo(100);
        TestResult result = results(json).getFirst();
        assertThat(result.status()).isEqualTo(TestResult.Status.ERROR);
        assertThat(result.error())
                .startsWith("the judge openai:embedding:text-embedding-3-small failed:")
                .contains("Incorrect API key provided");
    }
}
