package dev.promptforge.server.gateway.provider.openai;

import static dev.promptforge.server.gateway.provider.openai.OpenAiProviderTest.KEY;
import static dev.promptforge.server.gateway.provider.openai.OpenAiProviderTest.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import dev.promptforge.server.gateway.fake.FakeOpenAiServer;
import dev.promptforge.server.gateway.fake.FakeReply;
import dev.promptforge.server.gateway.provider.Http1Client;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How the OpenAI provider classifies and explains every way a call can fail. */
class OpenAiProviderFailureTest {

    static final Duration TIMEOUT = Duration.ofMillis(300);
    static final Duration FOREVER = Duration.ofSeconds(30);
    static final Http1Client HTTP = new Http1Client();

    final FakeOpenAiServer server = FakeOpenAiServer.start();
    final OpenAiProvider provider =
            new OpenAiProvider("openai", server.baseUrl(), KEY, Duration.ofSeconds(10), List.of(), HTTP);
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
        server.enqueue(FakeOpenAiServer.error(status, "upstream says " + status));

        // then
        assertFailure(() -> provider.chat(ask("Hi")), expected)
                .hasMessageStartingWith("Provider 'openai' ")
                .hasMessageContaining("(HTTP " + status + ": upstream says " + status + ")");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("statuses")
    void classifies_an_error_status_in_answer_to_a_stream_the_same_way(int status, ProviderFailure expected) {
        // given
        server.enqueue(FakeOpenAiServer.error(status, "upstream says " + status));

        // then
        assertFailure(() -> provider.stream(ask("Hi"), chunks::add), expected)
                .hasMessageContaining("upstream says " + status);
        assertThat(chunks).isEmpty();
    }

    @Test
    void says_what_to_do_about_a_refused_key_without_repeating_it() {
        // given: OpenAI quotes (part of) the key it refuses
        server.enqueue(FakeOpenAiServer.error(401, "Incorrect API key provided: " + KEY + "."));

        // then
        assertFailure(() -> provider.chat(ask("Hi")), new AuthFailed(401))
                .hasMessage("Provider 'openai' refused the API key (HTTP 401: Incorrect API key provided: ***.)."
                        + " Check its API key and what that key may access.");
    }

    @Test
    void says_that_no_key_is_configured_when_a_keyless_call_is_refused() {
        // given
        var keyless = new OpenAiProvider("openai", server.baseUrl(), null, Duration.ofSeconds(10), List.of(), HTTP);
        server.enqueue(FakeOpenAiServer.error(401, "You didn't provide an API key."));

        // then
        assertFailure(() -> keyless.chat(ask("Hi")), new AuthFailed(401))
                .hasMessage("Provider 'openai' refused a request without an API key"
                        + " (HTTP 401: You didn't provide an API key.). Configure an API key for it.");
    }

    @Test
    void names_the_unknown_model() {
        // given
        server.enqueue(
                FakeOpenAiServer.error(404, "The model `gpt-9` does not exist or you do not have access to it."));

        // then
        assertFailure(() -> provider.chat(ask("Hi").withModel("gpt-9")), new ModelNotFound())
                .hasMessageStartingWith("Provider 'openai' does not know model 'gpt-9' (HTTP 404: The model `gpt-9`")
                .hasMessageEndingWith(
                        "Use a model it serves, and check that its base URL " + server.baseUrl() + " is right.");
    }

    @Test
    void the_fake_server_refuses_a_wrong_key_and_an_unknown_model_in_openai_words() {
        // given
        server.requireApiKey("sk-the-right-key-0000").serveModels("gpt-4o-mini");
        var rightKey = new OpenAiProvider(
                "openai", server.baseUrl(), "sk-the-right-key-0000", Duration.ofSeconds(10), List.of(), HTTP);

        // then
        assertFailure(() -> provider.chat(ask("Hi")), new AuthFailed(401))
                .hasMessageContaining("(HTTP 401: Incorrect API key provided: sk-*************6d5e.");
        assertFailure(() -> rightKey.chat(ask("Hi").withModel("gpt-9")), new ModelNotFound())
                .hasMessageContaining("(HTTP 404: The model `gpt-9` does not exist");
        assertThat(rightKey.chat(ask("Hi")).text()).isEqualTo("Hi");
    }

    @Test
    void takes_the_retry_delay_in_seconds_from_retry_after() {
        // given
        server.enqueue(FakeOpenAiServer.error(429, "Rate limit reached for gpt-4o-mini")
                .header("Retry-After", "2"));

        // then
        assertFailure(() -> provider.chat(ask("Hi")), new RateLimited(Duration.ofSeconds(2)))
                .hasMessage(
                        "Provider 'openai' is rate limiting requests (HTTP 429: Rate limit reached for gpt-4o-mini)."
                                + " Retry after 2s, or lower the request rate.");
    }

    @Test
    void takes_the_retry_delay_from_an_http_date_in_retry_after() {
        // given
        String inAnHour = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(ZoneOffset.UTC).plusHours(1));
        server.enqueue(FakeOpenAiServer.error(429, "Slow down").header("Retry-After", inAnHour));

        // when
        ProviderException thrown = catchProviderException(() -> provider.chat(ask("Hi")));

        // then
        assertThat(thrown.failure())
                .isInstanceOfSatisfying(
                        RateLimited.class,
                        limited -> assertThat(limited.retryAfter())
                                .isBetween(Duration.ofMinutes(58), Duration.ofMinutes(60)));
    }

    @Test
    void prefers_retry_after_ms_to_retry_after() {
        // given
        server.enqueue(FakeOpenAiServer.error(429, "Slow down")
                .header("Retry-After", "3")
                .header("retry-after-ms", "1500"));

        // then
        assertFailure(() -> provider.stream(ask("Hi"), chunks::add), new RateLimited(Duration.ofMillis(1500)))
                .hasMessageContaining("Retry after 1.5s");
    }

    @Test
    void keeps_a_rate_limit_without_usable_retry_headers_undated() {
        // given
        server.enqueue(FakeOpenAiServer.error(429, "Slow down").header("Retry-After", "soon"));

        // then
        assertFailure(() -> provider.chat(ask("Hi")), new RateLimited(null))
                .hasMessageEndingWith("Retry later, or lower the request rate.");
    }

    @Test
    void quotes_the_text_of_an_error_page_that_is_not_json() {
        // given
        server.enqueue(FakeReply.body(
                502,
                "text/html",
                "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad"
                        + " Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"));

        // then
        assertFailure(() -> provider.chat(ask("Hi")), new Unavailable(502))
                .hasMessage("Provider 'openai' is unavailable (HTTP 502: 502 Bad Gateway 502 Bad Gateway nginx)."
                        + " Try again later, or configure a fallback.");
    }

    @Test
    void quotes_a_plain_string_error_and_an_error_without_a_body() {
        // given
        server.enqueue(FakeReply.json(400, "{\"error\": \"model is required\"}"));
        server.enqueue(FakeReply.body(503, "", ""));

        // then
        assertFailure(() -> provider.chat(ask("Hi")), new BadRequest(400))
                .hasMessageContaining("(HTTP 400: model is required)");
        assertFailure(() -> provider.chat(ask("Hi")), new Unavailable(503))
                .hasMessageStartingWith("Provider 'openai' is unavailable (HTTP 503).");
    }

    @Test
    void cuts_a_long_upstream_message_short() {
        // given
        server.enqueue(FakeOpenAiServer.error(400, "x".repeat(5000)));

        // when
        ProviderException thrown = catchProviderException(() -> provider.chat(ask("Hi")));

        // then
        assertThat(thrown.getMessage()).hasSizeLessThan(500).contains("x".repeat(300) + "…");
    }

    @Test
    void a_refused_connection_is_unavailable_and_names_the_base_url() throws IOException {
        // given
        URI nothingListening;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nothingListening = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/v1");
        }
        var unreachable = new OpenAiProvider("openai", nothingListening, KEY, Duration.ofSeconds(5), List.of(), HTTP);

        // then
        assertFailure(() -> unreachable.chat(ask("Hi")), new Unavailable(0))
                .hasMessage("Cannot connect to provider 'openai' at " + nothingListening
                        + " (connection refused). Check its base URL and that the server is running.");
        assertFailure(() -> unreachable.stream(ask("Hi"), chunks::add), new Unavailable(0));
    }

    @Test
    void a_connection_dropped_without_an_answer_is_unavailable() {
        // given
        server.enqueue(FakeReply.drop(), FakeReply.drop());

        // then
        assertFailure(() -> provider.chat(ask("Hi")), new Unavailable(0))
                .hasMessageStartingWith("Provider 'openai' closed the connection before answering.");
        assertFailure(() -> provider.stream(ask("Hi"), chunks::add), new Unavailable(0));
    }

    @Test
    void times_out_when_the_answer_does_not_start_in_time() {
        // given
        var impatient = new OpenAiProvider("openai", server.baseUrl(), KEY, TIMEOUT, List.of(), HTTP);
        server.enqueue(FakeOpenAiServer.answer("late").delay(FOREVER));
        server.enqueue(FakeOpenAiServer.streamedAnswer("late").delay(FOREVER));

        // then
        assertFailure(() -> impatient.chat(ask("Hi")), new TimedOut(TIMEOUT))
                .hasMessage("Provider 'openai' did not answer within 300ms. Try again, or raise its timeout.");
        assertFailure(() -> impatient.stream(ask("Hi"), chunks::add), new TimedOut(TIMEOUT));
    }

    @Test
    void times_out_when_a_whole_answer_stalls_after_its_headers() {
        // given
        var impatient = new OpenAiProvider("openai", server.baseUrl(), KEY, TIMEOUT, List.of(), HTTP);
        server.enqueue(FakeOpenAiServer.answer("stalls").splitAt(20).pauseBetweenPieces(FOREVER));

        // then
        assertFailure(() -> impatient.chat(ask("Hi")), new TimedOut(TIMEOUT))
                .hasMessageStartingWith("Provider 'openai' did not finish its answer within 300ms.");
    }

    @Test
    void times_out_when_a_stream_falls_silent_after_delivering_chunks() {
        // given: the first two events arrive, then nothing
        var impatient = new OpenAiProvider("openai", server.baseUrl(), KEY, TIMEOUT, List.of(), HTTP);
        String stream = FakeOpenAiServer.eventStream("m", List.of("a", "b"), "stop", 1, 1);
        int afterTwoEvents = stream.indexOf("\n\n", stream.indexOf("\n\n") + 2) + 2;
        server.enqueue(FakeReply.sse(stream).splitAt(afterTwoEvents).pauseBetweenPieces(FOREVER));

        // then
        assertFailure(() -> impatient.stream(ask("Hi"), chunks::add), new TimedOut(TIMEOUT))
                .hasMessageStartingWith("Provider 'openai' sent nothing for 300ms in the middle of a stream.");
        assertThat(chunks).extracting(ChatChunk::textDelta).containsExactly("", "a");
    }

    static Stream<Arguments> malformedAnswers() {
        return Stream.of(
                arguments(
                        FakeReply.body(200, "text/html", "<html><body>Welcome to nginx!</body></html>"),
                        "answered with a body that is not JSON (Welcome to nginx!)."),
                arguments(FakeReply.json(200, "[1, 2]"), "answered with a body that is not a JSON object ([1, 2])."),
                arguments(FakeReply.json(200, ""), "answered with a body that is empty."),
                arguments(FakeReply.json(200, "{\"id\": \"x\"}"), "answered with JSON that has no choices."),
                arguments(FakeReply.json(200, "{\"choices\": []}"), "answered with JSON that has no choices."),
                arguments(
                        FakeReply.json(200, "{\"choices\": \"none\"}"),
                        "answered with a body of an unexpected shape ("),
                arguments(
                        FakeReply.json(200, "{\"choices\": [{\"index\": 0, \"finish_reason\": \"stop\"}]}"),
                        "answered with a choice that has no message."));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("malformedAnswers")
    void an_answer_that_is_not_a_chat_completion_is_malformed(FakeReply answer, String problem) {
        // given
        server.enqueue(answer);

        // then
        assertFailure(() -> provider.chat(ask("Hi")), new Malformed())
                .hasMessageStartingWith("Provider 'openai' " + problem)
                .hasMessageEndingWith(
                        "Check that its base URL " + server.baseUrl() + " points at an OpenAI-compatible API.");
    }

    @Test
    void an_answer_cut_short_by_a_dropped_connection_is_unavailable() {
        // given
        server.enqueue(
                FakeOpenAiServer.answer("this answer will not arrive whole").dropAfter(40));

        // then
        assertFailure(() -> provider.chat(ask("Hi")), new Unavailable(0))
                .hasMessageStartingWith("Provider 'openai' closed the connection before its answer was complete.");
    }

    @Test
    void an_error_object_in_a_200_answer_is_classified_by_its_code_or_type() {
        // given
        server.enqueue(
                FakeReply.json(200, "{\"error\": {\"message\": \"Model is overloaded\", \"type\": \"server_error\"}}"));
        server.enqueue(
                FakeReply.json(200, "{\"object\": \"error\", \"error\": {\"message\": \"bad\", \"code\": 400}}"));

        // then
        assertFailure(() -> provider.chat(ask("Hi")), new Unavailable(500)).hasMessageContaining("Model is overloaded");
        assertFailure(() -> provider.chat(ask("Hi")), new BadRequest(400));
    }

    @Test
    void a_stream_that_ends_before_done_is_unavailable_after_its_chunks() {
        // given
        String stream = FakeOpenAiServer.eventStream("m", List.of("partial"), "stop", 1, 1);
        server.enqueue(FakeReply.sse(stream.substring(0, stream.indexOf("data: [DONE]"))));

        // then
        assertFailure(() -> provider.stream(ask("Hi"), chunks::add), new Unavailable(0))
                .hasMessage("Provider 'openai' ended the stream before data: [DONE], so the answer may be incomplete."
                        + " Try again.");
        assertThat(chunks).extracting(ChatChunk::textDelta).contains("partial");
    }

    @Test
    void a_stream_cut_inside_an_event_is_unavailable() {
        // given
        String stream = FakeOpenAiServer.eventStream("m", List.of("a", "b", "c"), "stop", 1, 1);
        server.enqueue(FakeReply.sse(stream).splitEvery(16).dropAfter(stream.indexOf("\"b\"") + 1));

        // then
        assertFailure(() -> provider.stream(ask("Hi"), chunks::add), new Unavailable(0))
                .hasMessageStartingWith("Provider 'openai' dropped the connection in the middle of a stream.");
        assertThat(chunks).extracting(ChatChunk::textDelta).containsExactly("", "a");
    }

    @Test
    void a_stream_event_that_is_not_json_is_malformed() {
        // given
        server.enqueue(FakeReply.sse("data: {\"choices\": [\n\ndata: [DONE]\n\n"));

        // then
        assertFailure(() -> provider.stream(ask("Hi"), chunks::add), new Malformed())
                .hasMessageStartingWith(
                        "Provider 'openai' answered with a stream event that is not JSON ({\"choices\": [).");
    }

    @Test
    void a_stream_event_without_choices_or_usage_is_malformed() {
        // given
        server.enqueue(FakeReply.sse("data: {\"id\": \"x\"}\n\ndata: [DONE]\n\n"));

        // then
        assertFailure(() -> provider.stream(ask("Hi"), chunks::add), new Malformed())
                .hasMessageStartingWith(
                        "Provider 'openai' answered with a stream event that has neither choices" + " nor usage");
    }

    @Test
    void an_error_event_in_a_stream_is_classified_by_its_type() {
        // given
        String first = FakeOpenAiServer.chunkJson("m", null, "so far", null);
        server.enqueue(FakeReply.sse(FakeOpenAiServer.data(first)
                + FakeOpenAiServer.data("{\"error\": {\"message\": \"The server had an error while processing your"
                        + " request.\", \"type\": \"server_error\"}}")));

        // then
        assertFailure(() -> provider.stream(ask("Hi"), chunks::add), new Unavailable(500))
                .hasMessageContaining("The server had an error while processing your request.");
        assertThat(chunks).extracting(ChatChunk::textDelta).containsExactly("so far");
    }

    @Test
    void a_json_answer_to_a_stream_request_is_malformed() {
        // given: a server that ignores "stream": true
        server.enqueue(FakeOpenAiServer.answer("not streamed"));

        // then
        assertFailure(() -> provider.stream(ask("Hi"), chunks::add), new Malformed())
                .hasMessageStartingWith(
                        "Provider 'openai' answered with a JSON body where an event stream was asked" + " for.");
    }

    @Test
    void a_failing_consumer_stops_the_stream_with_its_own_exception() {
        // given
        server.enqueue(FakeOpenAiServer.streamedAnswer("a", "b", "c"));
        var consumerFailure = new IllegalStateException("client went away");

        // then
        assertThatThrownBy(() -> provider.stream(ask("Hi"), chunk -> {
                    throw consumerFailure;
                }))
                .isSameAs(consumerFailure);
    }

    @Test
    void an_interrupted_call_is_cancelled_and_keeps_the_interrupt() throws InterruptedException {
        // given
        server.enqueue(FakeOpenAiServer.answer("late").delay(FOREVER));
        var thrown = new AtomicReference<Throwable>();
        var stillInterrupted = new AtomicBoolean();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                provider.chat(ask("Hi"));
            } catch (RuntimeException e) {
                thrown.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        while (server.requests().isEmpty() && caller.isAlive()) {
            Thread.onSpinWait();
        }

        // when
        caller.interrupt();
        caller.join();

        // then
        assertThat(thrown.get())
                .isInstanceOf(CancellationException.class)
                .hasMessage("The call to provider 'openai' was interrupted.");
        assertThat(stillInterrupted).isTrue();
    }

    static ProviderException catchProviderException(ThrowingCallable call) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(thrown).isInstanceOf(ProviderException.class);
        return (ProviderException) thrown;
    }

    static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertFailure(
            ThrowingCallable call, ProviderFailure expected) {
        ProviderException thrown = catchProviderException(call);
        assertThat(thrown.failure()).isEqualTo(expected);
        assertThat(thrown.getMessage()).doesNotContain(KEY);
        return assertThat((Throwable) thrown);
    }
}
