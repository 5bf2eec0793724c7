package dev.promptforge.server.gateway.provider.anthropic;

import static dev.promptforge.server.gateway.provider.anthropic.AnthropicProviderTest.KEY;
import static dev.promptforge.server.gateway.provider.anthropic.AnthropicProviderTest.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.promptforge.server.gateway.ChatChunk;
import dev.promptforge.server.gateway.ProviderException;
import dev.promptforge.server.gateway.ProviderFailure;
import dev.promptforge.server.gateway.ProviderFailure.AuthFailed;
import dev.promptforge.server.gateway.ProviderFailure.BadRequest;
import dev.promptforge.server.gateway.ProviderFailure.Malformed;
import dev.promptforge.server.gateway.ProviderFailure.ModelNotFound;
import dev.promptforge.server.gateway.ProviderFailure.RateLimited;
import dev.promptforge.server.gateway.ProviderFailure.TimedOut;
import dev.promptforge.server.gateway.ProviderFailure.Unavailable;
import dev.promptforge.server.gateway.fake.FakeAnthropicServer;
import dev.promptforge.server.gateway.fake.FakeReply;
import dev.promptforge.server.gateway.provider.Http1Client;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How the Anthropic provider classifies and explains every way a call can fail. */
class AnthropicProviderFailureTest {

    static final Duration TIMEOUT = Duration.ofMillis(300);
    static final Duration FOREVER = Duration.ofSeconds(30);
    static final Http1Client HTTP = new Http1Client();

    final FakeAnthropicServer server = FakeAnthropicServer.start();
    final AnthropicProvider provider =
            new AnthropicProvider("anthropic", server.baseUrl(), KEY, Duration.ofSeconds(10), List.of(), HTTP);
    final List<ChatChunk> chunks = new ArrayList<>();

    @AfterEach
    void stopServer() {
        server.close();
    }

    @AfterAll
    static void closeClient() {
        HTTP.close();
    }

    static Stream<Arguments> statuses() {
        return Stream.of(
                arguments(400, new BadRequest(400)),
                arguments(401, new AuthFailed(401)),
                arguments(403, new AuthFailed(403)),
                arguments(404, new ModelNotFound()),
                arguments(408, new TimedOut(Duration.ZERO)),
                arguments(409, new Unavailable(409)),
                arguments(413, new BadRequest(413)),
                arguments(422, new BadRequest(422)),
                arguments(429, new RateLimited(null)),
                arguments(500, new Unavailable(500)),
                arguments(502, new Unavailable(502)),
                arguments(503, new Unavailable(503)),
                arguments(529, new Unavailable(529)));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("statuses")
    void classifies_an_error_status_and_quotes_the_upstream_message(int status, ProviderFailure expected) {
        // given
        server.enqueue(FakeAnthropicServer.error(status, "upstream says " + status));

        // then
        assertFailure(() -> provider.chat(ask("Hi")), expected)
                .hasMessageStartingWith("Provider 'anthropic' ")
                .hasMessageContaining("(HTTP " + status + ": upstream says " + status + ")");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("statuses")
    void classifies_an_error_status_in_answer_to_a_stream_the_same_way(int status, ProviderFailure expected) {
        // given
        server.enqueue(FakeAnthropicServer.error(status, "upstream says " + status));

        // then
        assertFailure(() -> provider.stream(ask("Hi"), chunks::add), expected)
                .hasMessageContaining("upstream says " + status);
        assertThat(chunks).isEmpty();
    }

    @Test
    void explains_that_anthropic_is_overloaded() {
        // given
        server.enqueue(FakeAnthropicServer.error(529, "Overloaded"));

        // then
        assertFailure(() -> provider.chat(ask("Hi")), new Unavailable(529))
                .hasMessage("Provider 'anthropic' is unavailable (HTTP 529: Overloaded)."
                        + " Try again later, or configure a fallback.");
    }

    @Test
    void takes_the_retry_delay_from_retry_after() {
        // given
        server.enqueue(
                FakeAnthropicServer.error(429, "Number of request tokens has exceeded your per-minute rate" + " limit")
                        .header("retry-after", "17"));

        // then
        assertFailure(() -> provider.chat(ask("Hi")), new RateLimited(Duration.ofSeconds(17)))
                .hasMessageContaining("Retry after 17s");
    }

    @Test
    void hides_the_key_when_the_upstream_repeats_it() {
        // given
        server.enqueue(FakeAnthropicServer.error(401, "invalid x-api-key " + KEY));

        // then
        assertFailure(() -> provider.chat(ask("Hi")), new AuthFailed(401))
                .hasMessage("Provider 'anthropic' refused the API key (HTTP 401: invalid x-api-key ***)."
                        + " Check its API key and what that key may access.");
    }

    @Test
    void the_fake_server_refuses_a_wrong_key_and_an_unknown_model_in_anthropic_words() {
        // given
        server.requireApiKey("sk-ant-right").serveModels("claude-3-5-haiku-latest");
        var rightKey = new AnthropicProvider(
                "anthropic", server.baseUrl(), "sk-ant-right", Duration.ofSeconds(10), List.of(), HTTP);

        // then
        assertFailure(() -> provider.chat(ask("Hi")), new AuthFailed(401))
                .hasMessageContaining("(HTTP 401: invalid x-api-key)");
        assertFailure(() -> rightKey.chat(ask("Hi").withModel("claude-9")), new ModelNotFound())
                .hasMessageContaining("(HTTP 404: model: claude-9)");
        assertThat(rightKey.chat(ask("Hi")).text()).isEqualTo("Hi");
    }

    @Test
    void an_error_body_with_a_200_status_is_classified_by_its_type() {
        // given
        server.enqueue(FakeReply.json(
                200, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));

        // then
        assertFailure(() -> provider.chat(ask("Hi")), new Unavailable(529)).hasMessageContaining("Overloaded");
    }

    static Stream<Arguments> streamErrors() {
        return Stream.of(
                arguments("overloaded_error", new Unavailable(529)),
                arguments("api_error", new Unavailable(500)),
                arguments("rate_limit_error", new RateLimited(null)),
                arguments("invalid_request_error", new BadRequest(400)));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("streamErrors")
    void an_error_event_in_a_stream_is_classified_by_its_type_after_the_chunks_before_it(
            String errorType, ProviderFailure expected) {
        // given
        String stream = FakeAnthropicServer.eventStream("m", List.of("so", " far"), "end_turn", 1, 1);
        String upToSecondDelta = stream.substring(0, stream.indexOf("event: content_block_stop"));
        server.enqueue(
                FakeReply.sse(upToSecondDelta + FakeAnthropicServer.errorEvent(errorType, "It broke: " + errorType))
                        .splitEvery(9));

        // then
        assertFailure(() -> provider.stream(ask("Hi"), chunks::add), expected)
                .hasMessageContaining("It broke: " + errorType);
        assertThat(chunks).extracting(ChatChunk::textDelta).containsExactly("so", " far");
    }

    @Test
    void a_stream_that_ends_before_message_stop_is_unavailable() {
        // given
        String stream = FakeAnthropicServer.eventStream("m", List.of("partial"), "end_turn", 1, 1);
        server.enqueue(FakeReply.sse(stream.substring(0, stream.indexOf("event: message_stop"))));

        // then
        assertFailure(() -> provider.stream(ask("Hi"), chunks::add), new Unavailable(0))
                .hasMessage("Provider 'anthropic' ended the stream before message_stop, so the answer may be"
                        + " incomplete. Try again.");
        assertThat(chunks).extracting(ChatChunk::textDelta).startsWith("partial");
    }

    @Test
    void a_stream_dropped_inside_an_event_is_unavailable() {
        // given
        String stream = FakeAnthropicServer.eventStream("m", List.of("a", "b"), "end_turn", 1, 1);
        server.enqueue(FakeReply.sse(stream).dropAfter(stream.indexOf("\"text\":\"b\"") + 3));

        // then
        assertFailure(() -> provider.stream(ask("Hi"), chunks::add), new Unavailable(0))
                .hasMessageStartingWith("Provider 'anthropic' dropped the connection in the middle of a stream.");
        assertThat(chunks).extracting(ChatChunk::textDelta).containsExactly("a");
    }

    @Test
    void a_stream_event_that_is_not_json_or_of_the_wrong_shape_is_malformed() {
        // given
        server.enqueue(FakeReply.sse("event: message_start\ndata: {not json\n\n"));
        server.enqueue(FakeReply.sse(FakeAnthropicServer.event(
                "content_block_delta", "{\"type\":\"content_block_delta\",\"delta\":\"oops\"}")));

        // then
        assertFailure(() -> provider.stream(ask("Hi"), chunks::add), new Malformed())
                .hasMessageStartingWith(
                        "Provider 'anthropic' answered with a stream event that is not JSON ({not json).")
                .hasMessageEndingWith(
                        "Check that its base URL " + server.baseUrl() + " points at the Anthropic API (without /v1).");
        assertFailure(() -> provider.stream(ask("Hi"), chunks::add), new Malformed())
                .hasMessageStartingWith("Provider 'anthropic' answered with a stream event of an unexpected shape");
    }

    static Stream<Arguments> malformedAnswers() {
        return Stream.of(
                arguments(FakeReply.body(200, "text/plain", "hello"), "answered with a body that is not JSON (hello)."),
                arguments(FakeReply.json(200, "\"message\""), "answered with a body that is not a JSON object"),
                arguments(FakeReply.json(200, "{\"type\": \"message\"}"), "answered with JSON that has no content."),
                arguments(
                        FakeReply.json(200, "{\"type\": \"message\", \"content\": \"hi\"}"),
                        "answered with a body of an unexpected shape ("));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("malformedAnswers")
    void an_answer_that_is_not_a_message_is_malformed(FakeReply answer, String problem) {
        // given
        server.enqueue(answer);

        // then
        assertFailure(() -> provider.chat(ask("Hi")), new Malformed())
                .hasMessageStartingWith("Provider 'anthropic' " + problem);
    }

    @Test
    void times_out_when_the_answer_does_not_start_in_time() {
        // given
        var impatient = new AnthropicProvider("anthropic", server.baseUrl(), KEY, TIMEOUT, List.of(), HTTP);
        server.enqueue(FakeAnthropicServer.answer("late").delay(FOREVER));

        // then
        assertFailure(() -> impatient.chat(ask("Hi")), new TimedOut(TIMEOUT))
                .hasMessage("Provider 'anthropic' did not answer within 300ms. Try again, or raise its timeout.");
    }

    @Test
    void times_out_when_a_stream_falls_silent() {
        // given
        var impatient = new AnthropicProvider("anthropic", server.baseUrl(), KEY, TIMEOUT, List.of(), HTTP);
        String stream = FakeAnthropicServer.eventStream("m", List.of("a", "b"), "end_turn", 1, 1);
        server.enqueue(
                FakeReply.sse(stream).splitAt(stream.indexOf("event: ping")).pauseBetweenPieces(FOREVER));

        // then
        assertFailure(() -> impatient.stream(ask("Hi"), chunks::add), new TimedOut(TIMEOUT))
                .hasMessageStartingWith("Provider 'anthropic' sent nothing for 300ms in the middle of a stream.");
    }

    @Test
    void a_connection_dropped_without_an_answer_is_unavailable() {
        // given
        server.enqueue(FakeReply.drop());

        // then
        assertFailure(() -> provider.chat(ask("Hi")), new Unavailable(0));
    }

    static AbstractThrowableAssert<?, ? extends Throwable> assertFailure(
            ThrowingCallable call, ProviderFailure expected) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(ProviderException.class);
        assertThat(((ProviderException) thrown).failure()).isEqualTo(expected);
        assertThat(thrown.getMessage()).doesNotContain(KEY);
        return assertThat(thrown);
    }
}
