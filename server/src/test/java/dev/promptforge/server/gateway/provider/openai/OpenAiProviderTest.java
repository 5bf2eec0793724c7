package dev.promptforge.server.gateway.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.promptforge.server.gateway.ChatChunk;
import dev.promptforge.server.gateway.ChatMessage;
import dev.promptforge.server.gateway.ChatOptions;
import dev.promptforge.server.gateway.ChatRequest;
import dev.promptforge.server.gateway.ChatResponse;
import dev.promptforge.server.gateway.Usage;
import dev.promptforge.server.gateway.fake.FakeOpenAiServer;
import dev.promptforge.server.gateway.fake.FakeReply;
import dev.promptforge.server.gateway.fake.RecordedRequest;
import dev.promptforge.server.gateway.provider.Http1Client;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The success paths of the OpenAI provider against a fake server speaking OpenAI's wire format. */
class OpenAiProviderTest {

    static final String KEY = "sk-test-4f9a8b7c6d5e";
    static final Http1Client HTTP = new Http1Client();

    final FakeOpenAiServer server = FakeOpenAiServer.start();
    final OpenAiProvider provider =
            new OpenAiProvider("openai", server.baseUrl(), KEY, Duration.ofSeconds(10), List.of("gpt-4o-mini"), HTTP);

    @AfterEach
    void stopServer() {
        server.close();
    }

    @AfterAll
    static void closeClient() {
        HTTP.close();
    }

    static ChatRequest ask(String text) {
        return new ChatRequest("gpt-4o-mini", List.of(ChatMessage.of("user", text)), ChatOptions.DEFAULTS, Map.of());
    }

    @Test
    void answers_with_text_finish_reason_usage_model_and_the_raw_body() {
        // given
        server.enqueue(FakeReply.json(
                200, FakeOpenAiServer.completionJson("gpt-4o-mini-2024-07-18", "Bonjour !", "stop", 12, 4)));

        // when
        ChatResponse response = provider.chat(ask("Say hello in French"));

        // then
        assertThat(response.text()).isEqualTo("Bonjour !");
        assertThat(response.finishReason()).isEqualTo("stop");
        assertThat(response.usage()).isEqualTo(new Usage(12, 4, false));
        assertThat(response.model()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(response.raw())
                .containsEntry("id", "chatcmpl-fake")
                .containsEntry("system_fingerprint", "fp_fake")
                .containsKey("choices");
    }

    @Test
    void posts_the_model_and_messages_with_a_bearer_key_to_chat_completions() {
        // given
        server.enqueue(FakeOpenAiServer.answer("ok"));
        var request = new ChatRequest(
                "gpt-4o-mini",
                List.of(ChatMessage.of("system", "Be brief."), ChatMessage.of("user", "Hi")),
                ChatOptions.DEFAULTS,
                Map.of());

        // when
        provider.chat(request);

        // then
        RecordedRequest seen = server.lastRequest();
        assertThat(seen.method()).isEqualTo("POST");
        assertThat(seen.path()).isEqualTo("/v1/chat/completions");
        assertThat(seen.header("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(seen.header("Content-Type")).isEqualTo("application/json");
        assertThat(seen.jsonBody())
                .containsEntry("model", "gpt-4o-mini")
                .containsEntry(
                        "messages",
                        List.of(
                                Map.of("role", "system", "content", "Be brief."),
                                Map.of("role", "user", "content", "Hi")))
                .doesNotContainKeys("stream", "stream_options", "temperature", "max_tokens", "top_p", "stop", "seed");
    }

    @Test
    void maps_the_options_to_openai_fields() {
        // given
        server.enqueue(FakeOpenAiServer.answer("ok"));
        var options = new ChatOptions(0.2, 50, 0.9, List.of("\n\n", "END"), 7);

        // when
        provider.chat(new ChatRequest("gpt-4o-mini", List.of(ChatMessage.of("user", "Hi")), options, Map.of()));

        // then
        assertThat(server.lastRequest().jsonBody())
                .contains(
                        entry("temperature", 0.2),
                        entry("max_tokens", 50),
                        entry("top_p", 0.9),
                        entry("stop", List.of("\n\n", "END")),
                        entry("seed", 7));
    }

    @Test
    void forwards_passthrough_fields_and_message_extras_untouched() {
        // given
        server.enqueue(FakeOpenAiServer.answer("ok"));
        Map<String, Object> responseFormat =
                Map.of("type", "json_schema", "json_schema", Map.of("name", "x", "schema", Map.of("type", "object")));
        List<Object> tools = List.of(Map.of(
                "type", "function", "function", Map.of("name", "lookup", "parameters", Map.of("type", "object"))));
        Map<String, Object> toolCall =
                Map.of("id", "call_1", "type", "function", "function", Map.of("name", "lookup", "arguments", "{}"));
        var request = new ChatRequest(
                "gpt-4o-mini",
                List.of(
                        new ChatMessage("user", "Find it", Map.of("name", "ana")),
                        new ChatMessage("assistant", null, Map.of("tool_calls", List.of(toolCall))),
                        new ChatMessage("tool", "found", Map.of("tool_call_id", "call_1"))),
                ChatOptions.DEFAULTS,
                Map.of(
                        "response_format",
                        responseFormat,
                        "tools",
                        tools,
                        "logprobs",
                        true,
                        "user",
                        "customer-42",
                        "x_vendor_field",
                        List.of(1, 2.5, "three")));

        // when
        provider.chat(request);

        // then
        Map<String, Object> body = server.lastRequest().jsonBody();
        assertThat(body)
                .containsEntry("response_format", responseFormat)
                .containsEntry("tools", tools)
                .containsEntry("logprobs", true)
                .containsEntry("user", "customer-42")
                .containsEntry("x_vendor_field", List.of(1, 2.5, "three"));
        assertThat(body.get("messages"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .containsExactly(
                        Map.of("role", "user", "content", "Find it", "name", "ana"),
                        new java.util.HashMap<>(Map.of("role", "assistant", "tool_calls", List.of(toolCall))) {
                            {
                                put("content", null);
                            }
                        },
                        Map.of("role", "tool", "content", "found", "tool_call_id", "call_1"));
    }

    @Test
    void sends_max_completion_tokens_instead_of_max_tokens_when_the_caller_chose_it() {
        // given
        server.enqueue(FakeOpenAiServer.answer("ok"));
        var request = new ChatRequest(
                "o3-mini",
                List.of(ChatMessage.of("user", "Hi")),
                new ChatOptions(null, 100, null, null, null),
                Map.of("max_completion_tokens", 300));

        // when
        provider.chat(request);

        // then
        assertThat(server.lastRequest().jsonBody())
                .containsEntry("max_completion_tokens", 300)
                .doesNotContainKey("max_tokens");
    }

    @Test
    void keeps_its_own_model_messages_and_stream_fields_over_passthrough_ones() {
        // given
        server.enqueue(FakeOpenAiServer.answer("ok"));
        var request = new ChatRequest(
                "gpt-4o-mini",
                List.of(ChatMessage.of("user", "Hi")),
                ChatOptions.DEFAULTS,
                Map.of("model", "other", "messages", List.of(), "stream", true, "stream_options", Map.of()));

        // when
        ChatResponse response = provider.chat(request);

        // then
        assertThat(response.text()).isEqualTo("ok");
        assertThat(server.lastRequest().jsonBody())
                .containsEntry("model", "gpt-4o-mini")
                .containsEntry("messages", List.of(Map.of("role", "user", "content", "Hi")))
                .doesNotContainKeys("stream", "stream_options");
    }

    @Test
    void returns_unknown_answer_fields_in_raw() {
        // given
        server.enqueue(FakeReply.json(200, """
                {"id": "c1", "object": "chat.completion", "model": "m", "service_tier": "default",
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi",
                   "annotations": [{"type": "url_citation"}]}, "finish_reason": "stop",
                   "logprobs": {"content": [{"token": "hi", "logprob": -0.5}]}}],
                 "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4,
                   "prompt_tokens_details": {"cached_tokens": 0}}}
                """));

        // when
        ChatResponse response = provider.chat(ask("Hi"));

        // then
        assertThat(response.raw()).containsEntry("service_tier", "default");
        assertThat(response.raw().get("choices").toString()).contains("url_citation", "logprob=-0.5");
        assertThat(response.raw().get("usage").toString()).contains("cached_tokens");
    }

    @Test
    void reports_no_usage_when_the_upstream_sends_none() {
        // given
        server.enqueue(FakeReply.json(200, FakeOpenAiServer.completionJson("m", "hi", "stop", null, null)));

        // when
        ChatResponse response = provider.chat(ask("Hi"));

        // then
        assertThat(response.usage()).isNull();
    }

    @Test
    void takes_the_requested_model_when_the_answer_names_none() {
        // given
        server.enqueue(FakeReply.json(200, """
                {"choices": [{"message": {"content": "hi"}, "finish_reason": "length"}]}"""));

        // when
        ChatResponse response = provider.chat(ask("Hi"));

        // then
        assertThat(response.model()).isEqualTo("gpt-4o-mini");
        assertThat(response.finishReason()).isEqualTo("length");
        assertThat(response.usage()).isNull();
    }

    @Test
    void sends_no_authorization_header_without_a_key() {
        // given
        var ollama = new OpenAiProvider("ollama", server.baseUrl(), " ", Duration.ofSeconds(10), List.of(), HTTP);

        // when
        ollama.chat(ask("Hi"));

        // then
        assertThat(server.lastRequest().header("Authorization")).isNull();
    }

    @Test
    void keeps_the_query_of_its_base_url_after_the_path() {
        // given: Azure OpenAI-style base URLs carry the API version as a query
        URI withQuery = URI.create(server.baseUrl() + "/?api-version=2024-10-21");
        var azure = new OpenAiProvider("azure", withQuery, KEY, Duration.ofSeconds(10), List.of(), HTTP);
        server.enqueue(FakeOpenAiServer.answer("Hello"));

        // when
        azure.chat(ask("Hi"));

        // then
        assertThat(server.lastRequest().path()).isEqualTo("/v1/chat/completions?api-version=2024-10-21");
    }

    @Test
    void knows_its_name_type_and_models() {
        assertThat(provider.name()).isEqualTo("openai");
        assertThat(provider.type()).isEqualTo("openai");
        assertThat(provider.models()).containsExactly("gpt-4o-mini");
        assertThat(provider.toString()).doesNotContain(KEY);
    }

    @Test
    void streams_chunks_in_order_with_their_raw_payloads_and_usage_on_the_last() {
        // given
        server.enqueue(FakeOpenAiServer.streamedAnswer("Hel", "lo", " world"));
        List<ChatChunk> chunks = new ArrayList<>();

        // when
        provider.stream(ask("Hi"), chunks::add);

        // then
        assertThat(chunks).extracting(ChatChunk::textDelta).containsExactly("", "Hel", "lo", " world", "", "");
        assertThat(chunks).extracting(ChatChunk::finishReason).containsExactly(null, null, null, null, "stop", null);
        assertThat(chunks.get(chunks.size() - 1).usage()).isEqualTo(new Usage(10, 3, false));
        assertThat(chunks.subList(0, chunks.size() - 1))
                .allSatisfy(chunk -> assertThat(chunk.usage()).isNull());
        assertThat(chunks.get(1).rawOpenAi())
                .isEqualTo(FakeOpenAiServer.chunkJson(FakeOpenAiServer.MODEL, null, "Hel", null));
    }

    @Test
    void asks_for_a_stream_with_usage() {
        // given
        server.enqueue(FakeOpenAiServer.streamedAnswer("ok"));

        // when
        provider.stream(ask("Hi"), chunk -> {});

        // then
        RecordedRequest seen = server.lastRequest();
        assertThat(seen.header("Accept")).isEqualTo("text/event-stream");
        assertThat(seen.jsonBody())
                .containsEntry("stream", true)
                .containsEntry("stream_options", Map.of("include_usage", true));
    }

    @Test
    void keeps_the_callers_stream_options() {
        // given
        server.enqueue(FakeOpenAiServer.streamedAnswer("ok"));
        var request = new ChatRequest(
                "gpt-4o-mini",
                List.of(ChatMessage.of("user", "Hi")),
                ChatOptions.DEFAULTS,
                Map.of("stream_options", Map.of("include_usage", false), "logprobs", true));

        // when
        provider.stream(request, chunk -> {});

        // then
        assertThat(server.lastRequest().jsonBody())
                .containsEntry("stream_options", Map.of("include_usage", false))
                .containsEntry("logprobs", true);
    }

    @ParameterizedTest(name = "pieces of {0} bytes")
    @ValueSource(ints = {1, 2, 3, 5, 7, 11, 64})
    void reassembles_a_stream_split_inside_lines_json_and_utf8_characters(int pieceSize) {
        // given
        List<String> deltas = List.of("Grüße", " 🌍", " ação", "\n", "\"quoted\" {json}");
        server.enqueue(FakeReply.sse(FakeOpenAiServer.eventStream("gpt-4o-mini", deltas, "stop", 20, 9))
                .splitEvery(pieceSize));
        List<ChatChunk> chunks = new ArrayList<>();

        // when
        provider.stream(ask("Hi"), chunks::add);

        // then
        assertThat(String.join("", chunks.stream().map(ChatChunk::textDelta).toList()))
                .isEqualTo("Grüße 🌍 ação\n\"quoted\" {json}");
        assertThat(chunks.get(chunks.size() - 1).usage()).isEqualTo(new Usage(20, 9, false));
        assertThat(chunks.get(2).rawOpenAi()).isEqualTo(FakeOpenAiServer.chunkJson("gpt-4o-mini", null, " 🌍", null));
    }

    @Test
    void reassembles_a_stream_cut_at_explicit_awkward_points() {
        // given: pieces cut inside "data:", inside a JSON string, between \r and \n, and before [DONE]
        String first = FakeOpenAiServer.chunkJson("m", null, "Hello", null);
        String second = FakeOpenAiServer.chunkJson("m", null, " there", "stop");
        server.enqueue(FakeReply.ssePieces(
                "da",
                "ta: " + first.substring(0, 40),
                first.substring(40) + "\r",
                "\n\r\ndata:" + second.substring(0, second.indexOf("there") + 2),
                second.substring(second.indexOf("there") + 2) + "\r\n\r\n",
                "data: [DO",
                "NE]\r\n\r\n"));
        List<ChatChunk> chunks = new ArrayList<>();

        // when
        provider.stream(ask("Hi"), chunks::add);

        // then
        assertThat(chunks).extracting(ChatChunk::textDelta).containsExactly("Hello", " there");
        assertThat(chunks).extracting(ChatChunk::rawOpenAi).containsExactly(first, second);
        assertThat(chunks.get(1).finishReason()).isEqualTo("stop");
    }

    @Test
    void skips_comments_and_keep_alive_lines_in_a_stream() {
        // given
        String chunk = FakeOpenAiServer.chunkJson("m", null, "hi", "stop");
        server.enqueue(FakeReply.sse(
                ": OPENROUTER PROCESSING\n\nevent: message\nid: 1\ndata: " + chunk + "\n\n: ping\n\ndata: [DONE]\n\n"));
        List<ChatChunk> chunks = new ArrayList<>();

        // when
        provider.stream(ask("Hi"), chunks::add);

        // then
        assertThat(chunks).extracting(ChatChunk::textDelta).containsExactly("hi");
    }

    @Test
    void reads_groq_usage_from_x_groq() {
        // given
        String last = """
                {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
                 "x_groq": {"id": "req_1", "usage": {"prompt_tokens": 7, "completion_tokens": 2}}}""".replace("\n", "");
        server.enqueue(FakeReply.sse(FakeOpenAiServer.data(last) + FakeOpenAiServer.data("[DONE]")));
        List<ChatChunk> chunks = new ArrayList<>();

        // when
        provider.stream(ask("Hi"), chunks::add);

        // then
        assertThat(chunks).singleElement().satisfies(chunk -> {
            assertThat(chunk.usage()).isEqualTo(new Usage(7, 2, false));
            assertThat(chunk.finishReason()).isEqualTo("stop");
        });
    }

    @Test
    void streams_on_through_pauses_shorter_than_the_timeout_however_long_the_whole() {
        // given: five pieces with 600 ms pauses, 2.4 s in all, against a 2 s timeout
        var patient = new OpenAiProvider("openai", server.baseUrl(), KEY, Duration.ofSeconds(2), List.of(), HTTP);
        server.enqueue(FakeOpenAiServer.streamedAnswer("a", "b", "c", "d")
                .splitAt(400, 800, 1200, 1600)
                .pauseBetweenPieces(Duration.ofMillis(600)));
        List<ChatChunk> chunks = new ArrayList<>();

        // when
        patient.stream(ask("Hi"), chunks::add);

        // then
        assertThat(String.join("", chunks.stream().map(ChatChunk::textDelta).toList()))
                .isEqualTo("abcd");
    }

    @Test
    void the_fake_server_echoes_the_last_user_message_when_nothing_is_scripted() {
        // given
        var request = new ChatRequest(
                "gpt-4o-mini",
                List.of(
                        ChatMessage.of("user", "first"),
                        ChatMessage.of("assistant", "..."),
                        ChatMessage.of("user", "echo me back")),
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
        assertThat(server.requests()).hasSize(2);
    }
}
