package dev.promptforge.server.gateway.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import dev.promptforge.server.gateway.ChatChunk;
import dev.promptforge.server.gateway.ChatMessage;
import dev.promptforge.server.gateway.ChatOptions;
import dev.promptforge.server.gateway.ChatRequest;
import dev.promptforge.server.gateway.ChatResponse;
import dev.promptforge.server.gateway.ProviderException;
import dev.promptforge.server.gateway.ProviderFailure.BadRequest;
import dev.promptforge.server.gateway.Usage;
import dev.promptforge.server.gateway.fake.FakeAnthropicServer;
import dev.promptforge.server.gateway.fake.FakeReply;
import dev.promptforge.server.gateway.fake.RecordedRequest;
import dev.promptforge.server.gateway.provider.Http1Client;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The success paths of the Anthropic provider against a fake server speaking the Messages API. */
class AnthropicProviderTest {

    static final String KEY = "sk-ant-test-9d8c7b6a";
    static final Http1Client HTTP = new Http1Client();

    final FakeAnthropicServer server = FakeAnthropicServer.start();
    final AnthropicProvider provider = new AnthropicProvider(
            "anthropic", server.baseUrl(), KEY, Duration.ofSeconds(10), List.of("claude-3-5-haiku-latest"), HTTP);

    @AfterEach
    void stopServer() {
        server.close();
    }

    @AfterAll
    static void closeClient() {
        HTTP.close();
    }

    static ChatRequest ask(String text) {
        return new ChatRequest(
                "claude-3-5-haiku-latest", List.of(ChatMessage.of("user", text)), ChatOptions.DEFAULTS, Map.of());
    }

    @Test
    void answers_with_the_text_blocks_joined_a_finish_reason_usage_and_no_raw_body() {
        // given
        server.enqueue(FakeReply.json(200, """
                {"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-3-5-haiku-20241022",
                 "content": [{"type": "thinking", "thinking": "hmm", "signature": "s"},
                             {"type": "text", "text": "Bonjour"},
                             {"type": "tool_use", "id": "t1", "name": "x", "input": {}},
                             {"type": "text", "text": " !"}],
                 "stop_reason": "end_turn", "stop_sequence": null,
                 "usage": {"input_tokens": 12, "output_tokens": 4}}"""));

        // when
        ChatResponse response = provider.chat(ask("Say hello in French"));

        // then
        assertThat(response.text()).isEqualTo("Bonjour !");
        assertThat(response.finishReason()).isEqualTo("stop");
        assertThat(response.usage()).isEqualTo(new Usage(12, 4, false));
        assertThat(response.model()).isEqualTo("claude-3-5-haiku-20241022");
        assertThat(response.raw()).isNull();
    }

    @Test
    void posts_to_v1_messages_with_its_key_version_and_the_system_prompt_at_the_top() {
        // given
        server.enqueue(FakeAnthropicServer.answer("ok"));
        var request = new ChatRequest(
                "claude-3-5-haiku-latest",
                List.of(
                        ChatMessage.of("system", "Be brief."),
                        ChatMessage.of("user", "Hi"),
                        ChatMessage.of("assistant", "Hello."),
                        ChatMessage.of("developer", "Answer in French."),
                        new ChatMessage("user", "How are you?", Map.of("name", "ana"))),
                ChatOptions.DEFAULTS,
                Map.of("response_format", Map.of("type", "json_object"), "user", "u1"));

        // when
        provider.chat(request);

        // then
        RecordedRequest seen = server.lastRequest();
        assertThat(seen.method()).isEqualTo("POST");
        assertThat(seen.path()).isEqualTo("/v1/messages");
        assertThat(seen.header("x-api-key")).isEqualTo(KEY);
        assertThat(seen.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(seen.header("Authorization")).isNull();
        assertThat(seen.jsonBody())
                .containsExactly(
                        entry("model", "claude-3-5-haiku-latest"),
                        entry("max_tokens", 1024),
                        entry("system", "Be brief.\n\nAnswer in French."),
                        entry(
                                "messages",
                                List.of(
                                        Map.of("role", "user", "content", "Hi"),
                                        Map.of("role", "assistant", "content", "Hello."),
                                        Map.of("role", "user", "content", "How are you?"))));
    }

    @Test
    void maps_the_options_to_anthropic_fields_and_leaves_out_the_seed() {
        // given
        server.enqueue(FakeAnthropicServer.answer("ok"));
        var options = new ChatOptions(0.3, 200, 0.8, List.of("END"), 7);

        // when
        provider.chat(
                new ChatRequest("claude-3-5-haiku-latest", List.of(ChatMessage.of("user", "Hi")), options, Map.of()));

        // then
        assertThat(server.lastRequest().jsonBody())
                .contains(
                        entry("max_tokens", 200),
                        entry("temperature", 0.3),
                        entry("top_p", 0.8),
                        entry("stop_sequences", List.of("END")))
                .doesNotContainKeys("seed", "stop", "stream");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "end_turn, stop",
        "stop_sequence, stop",
        "max_tokens, length",
        "tool_use, tool_calls",
        "refusal, content_filter",
        "model_context_window_exceeded, length",
        "pause_turn, pause_turn"
    })
    void maps_stop_reasons_to_openai_finish_reasons(String stopReason, String finishReason) {
        // given
        server.enqueue(FakeReply.json(200, FakeAnthropicServer.messageJson("m", List.of("x"), stopReason, 1, 1)));

        // when
        ChatResponse response = provider.chat(ask("Hi"));

        // then
        assertThat(response.finishReason()).isEqualTo(finishReason);
    }

    @Test
    void counts_prompt_cache_reads_and_writes_as_input_tokens() {
        // given
        server.enqueue(FakeReply.json(200, """
                {"type": "message", "model": "m", "content": [{"type": "text", "text": "x"}], "stop_reason": "end_turn",
                 "usage": {"input_tokens": 5, "cache_creation_input_tokens": 100, "cache_read_input_tokens": 2000,
                           "output_tokens": 3}}"""));

        // when
        ChatResponse response = provider.chat(ask("Hi"));

        // then
        assertThat(response.usage()).isEqualTo(new Usage(2105, 3, false));
    }

    @Test
    void reports_no_usage_when_the_upstream_sends_none() {
        // given
        server.enqueue(FakeReply.json(200, FakeAnthropicServer.messageJson("m", List.of("x"), "end_turn", null, null)));

        // when
        ChatResponse response = provider.chat(ask("Hi"));

        // then
        assertThat(response.usage()).isNull();
    }

    @Test
    void translates_text_and_image_content_parts_to_blocks() {
        // given
        server.enqueue(FakeAnthropicServer.answer("a cat"));
        List<Object> parts = List.of(
                Map.of("type", "text", "text", "What is this?"),
                Map.of("type", "image_url", "image_url", Map.of("url", "data:image/png;base64,iVBORw0KGgo=")),
                Map.of("type", "image_url", "image_url", Map.of("url", "https://example.com/cat.jpg")));

        // when
        provider.chat(new ChatRequest(
                "m", List.of(new ChatMessage("user", parts, Map.of())), ChatOptions.DEFAULTS, Map.of()));

        // then
        assertThat(server.lastRequest().jsonBody().get("messages"))
                .isEqualTo(List.of(Map.of(
                        "role",
                        "user",
                        "content",
                        List.of(
                                Map.of("type", "text", "text", "What is this?"),
                                Map.of(
                                        "type",
                                        "image",
                                        "source",
                                        Map.of("type", "base64", "media_type", "image/png", "data", "iVBORw0KGgo=")),
                                Map.of(
                                        "type",
                                        "image",
                                        "source",
                                        Map.of("type", "url", "url", "https://example.com/cat.jpg"))))));
    }

    @Test
    void refuses_tool_messages_and_unknown_parts_before_sending_anything() {
        // given
        var toolResult = new ChatRequest(
                "m",
                List.of(ChatMessage.of("user", "Hi"), new ChatMessage("tool", "42", Map.of("tool_call_id", "c1"))),
                ChatOptions.DEFAULTS,
                Map.of());
        var toolCall = new ChatRequest(
                "m",
                List.of(new ChatMessage("assistant", null, Map.of("tool_calls", List.of()))),
                ChatOptions.DEFAULTS,
                Map.of());
        var audio = new ChatRequest(
                "m",
                List.of(new ChatMessage("user", List.of(Map.of("type", "input_audio")), Map.of())),
                ChatOptions.DEFAULTS,
                Map.of());

        // when
        var toolResultRefusal = catchThrowableOfType(ProviderException.class, () -> provider.chat(toolResult));
        var toolCallRefusal = catchThrowableOfType(ProviderException.class, () -> provider.stream(toolCall, c -> {}));
        var audioRefusal = catchThrowableOfType(ProviderException.class, () -> provider.chat(audio));

        // then
        assertThat(toolResultRefusal.failure()).isEqualTo(new BadRequest(400));
        assertThat(toolResultRefusal)
                .hasMessage("Provider 'anthropic' cannot translate OpenAI tool calls and tool messages to Anthropic's"
                        + " tool_use blocks yet. Use an OpenAI-compatible provider for tool use.");
        assertThat(toolCallRefusal.failure()).isEqualTo(new BadRequest(400));
        assertThat(audioRefusal)
                .hasMessage("Provider 'anthropic' cannot translate a content part of type 'input_audio'."
                        + " Send text and image_url parts only.");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void knows_its_name_type_and_models() {
        assertThat(provider.name()).isEqualTo("anthropic");
        assertThat(provider.type()).isEqualTo("anthropic");
        assertThat(provider.models()).containsExactly("claude-3-5-haiku-latest");
        assertThat(provider.toString()).doesNotContain(KEY);
    }

    @Test
    void streams_text_deltas_then_a_last_chunk_with_finish_reason_and_usage() {
        // given
        server.enqueue(FakeReply.sse(
                FakeAnthropicServer.eventStream("m", List.of("Hel", "lo", " world"), "max_tokens", 25, 3)));
        List<ChatChunk> chunks = new ArrayList<>();

        // when
        provider.stream(ask("Hi"), chunks::add);

        // then
        assertThat(chunks).extracting(ChatChunk::textDelta).containsExactly("Hel", "lo", " world", "");
        assertThat(chunks).extracting(ChatChunk::finishReason).containsExactly(null, null, null, "length");
        assertThat(chunks).extracting(ChatChunk::usage).containsExactly(null, null, null, new Usage(25, 3, false));
        assertThat(chunks).extracting(ChatChunk::rawOpenAi).containsOnlyNulls();
        assertThat(server.lastRequest().jsonBody()).containsEntry("stream", true);
        assertThat(server.lastRequest().header("Accept")).isEqualTo("text/event-stream");
    }

    @ParameterizedTest(name = "pieces of {0} bytes")
    @ValueSource(ints = {1, 2, 3, 5, 7, 13, 100})
    void reassembles_an_event_stream_split_inside_lines_json_and_utf8_characters(int pieceSize) {
        // given
        List<String> deltas = List.of("Grüße", " 🌍", " \"ação\"", "\n日本");
        server.enqueue(FakeReply.sse(FakeAnthropicServer.eventStream("m", deltas, "end_turn", 30, 8))
                .splitEvery(pieceSize));
        List<ChatChunk> chunks = new ArrayList<>();

        // when
        provider.stream(ask("Hi"), chunks::add);

        // then
        assertThat(String.join("", chunks.stream().map(ChatChunk::textDelta).toList()))
                .isEqualTo("Grüße 🌍 \"ação\"\n日本");
        assertThat(chunks.get(chunks.size() - 1).usage()).isEqualTo(new Usage(30, 8, false));
        assertThat(chunks.get(chunks.size() - 1).finishReason()).isEqualTo("stop");
    }

    @Test
    void skips_pings_thinking_tool_input_and_unknown_events_in_a_stream() {
        // given
        String stream = FakeAnthropicServer.event(
                        "message_start",
                        "{\"type\":\"message_start\",\"message\":{\"model\":\"m\",\"usage\":{\"input_tokens\":4,"
                                + "\"cache_read_input_tokens\":6,\"output_tokens\":1}}}")
                + FakeAnthropicServer.event(
                        "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\","
                                + "\"thinking\":\"hmm\"}}")
                + FakeAnthropicServer.event("ping", "{\"type\": \"ping\"}")
                + FakeAnthropicServer.event(
                        "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\","
                                + "\"partial_json\":\"{\\\"a\"}}")
                + FakeAnthropicServer.event("future_event", "{\"type\":\"future_event\",\"x\":1}")
                + FakeAnthropicServer.event(
                        "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"text_delta\","
                                + "\"text\":\"done\"}}")
                + FakeAnthropicServer.event(
                        "message_delta",
                        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},"
                                + "\"usage\":{\"output_tokens\":9}}")
                + FakeAnthropicServer.event("message_stop", "{\"type\":\"message_stop\"}");
        server.enqueue(FakeReply.sse(stream));
        List<ChatChunk> chunks = new ArrayList<>();

        // when
        provider.stream(ask("Hi"), chunks::add);

        // then
        assertThat(chunks).extracting(ChatChunk::textDelta).containsExactly("done", "");
        assertThat(chunks.get(1).finishReason()).isEqualTo("tool_calls");
        assertThat(chunks.get(1).usage()).isEqualTo(new Usage(10, 9, false));
    }

    @Test
    void takes_input_tokens_from_message_delta_when_it_repeats_them() {
        // given
        String stream = FakeAnthropicServer.eventStream("m", List.of("x"), "end_turn", 5, 2)
                .replace("\"usage\":{\"output_tokens\":2}", "\"usage\":{\"input_tokens\":50,\"output_tokens\":2}");
        server.enqueue(FakeReply.sse(stream));
        List<ChatChunk> chunks = new ArrayList<>();

        // when
        provider.stream(ask("Hi"), chunks::add);

        // then
        assertThat(chunks.get(chunks.size() - 1).usage()).isEqualTo(new Usage(50, 2, false));
    }

    @Test
    void the_fake_server_echoes_the_last_user_message_when_nothing_is_scripted() {
        // given
        var request = new ChatRequest(
                "claude-3-5-haiku-latest",
                List.of(ChatMessage.of("system", "s"), ChatMessage.of("user", "echo me back")),
                ChatOptions.DEFAULTS,
                Map.of());
        List<ChatChunk> chunks = new ArrayList<>();

        // when
        ChatResponse response = provider.chat(request);
        provider.stream(request, chunks::add);

        // then
        assertThat(response.text()).isEqualTo("echo me back");
        assertThat(response.usage()).isNotNull();
        assertThat(String.join("", chunks.stream().map(ChatChunk::textDelta).toList()))
                .isEqualTo("echo me back");
        assertThat(chunks.get(chunks.size() - 1).usage()).isNotNull();
    }
}
