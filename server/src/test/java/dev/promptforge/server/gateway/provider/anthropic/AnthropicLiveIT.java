package dev.promptforge.server.gateway.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.promptforge.server.gateway.ChatChunk;
import dev.promptforge.server.gateway.ChatMessage;
import dev.promptforge.server.gateway.ChatOptions;
import dev.promptforge.server.gateway.ChatRequest;
import dev.promptforge.server.gateway.ChatResponse;
import dev.promptforge.server.gateway.ProviderException;
import dev.promptforge.server.gateway.ProviderFailure;
import dev.promptforge.server.gateway.provider.Http1Client;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The Anthropic provider against the real Messages API (or {@code ANTHROPIC_BASE_URL}), only when
 * {@code ANTHROPIC_API_KEY} is set. {@code ANTHROPIC_TEST_MODEL} picks the model (default {@code
 * claude-3-5-haiku-latest}). Each test spends a few tokens.
 */
@EnabledIfEnvironmentVariable(named = "ANTHROPIC_API_KEY", matches = ".+")
class AnthropicLiveIT {

    static final String KEY = System.getenv("ANTHROPIC_API_KEY");
    static final URI BASE_URL = URI.create(env("ANTHROPIC_BASE_URL", "https://api.anthropic.com"));
    static final String MODEL = env("ANTHROPIC_TEST_MODEL", "claude-3-5-haiku-latest");
    static final Http1Client HTTP = new Http1Client();

    final AnthropicProvider provider =
            new AnthropicProvider("anthropic", BASE_URL, KEY, Duration.ofSeconds(60), List.of(), HTTP);

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    @AfterAll
    static void closeClient() {
        HTTP.close();
    }

    static ChatRequest pong(String model) {
        return new ChatRequest(
                model,
                List.of(
                        ChatMessage.of("system", "You answer with one word."),
                        ChatMessage.of("user", "Reply with the single word pong, in lower case.")),
                new ChatOptions(0.0, 20, null, null, null),
                Map.of());
    }

    @Test
    void answers_a_short_prompt_with_usage() {
        // when
        ChatResponse response = provider.chat(pong(MODEL));

        // then
        assertThat(response.text().toLowerCase()).contains("pong");
        assertThat(response.finishReason()).isEqualTo("stop");
        assertThat(response.usage()).isNotNull();
        assertThat(response.usage().inputTokens()).isPositive();
    }

    @Test
    void streams_a_short_prompt_with_finish_reason_and_usage_on_the_last_chunk() {
        // given
        List<ChatChunk> chunks = new ArrayList<>();

        // when
        provider.stream(pong(MODEL), chunks::add);

        // then
        assertThat(String.join("", chunks.stream().map(ChatChunk::textDelta).toList())
                        .toLowerCase())
                .contains("pong");
        ChatChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.finishReason()).isEqualTo("stop");
        assertThat(last.usage()).isNotNull();
        assertThat(last.usage().inputTokens()).isPositive();
    }

    @Test
    void a_wrong_key_is_an_auth_failure_whose_message_hides_it() {
        // given
        String wrongKey = "sk-ant-promptforge-live-test-not-a-key";
        var wrong = new AnthropicProvider("anthropic", BASE_URL, wrongKey, Duration.ofSeconds(60), List.of(), HTTP);

        // when
        var thrown = catchThrowableOfType(ProviderException.class, () -> wrong.chat(pong(MODEL)));

        // then
        assertThat(thrown.failure()).isEqualTo(new ProviderFailure.AuthFailed(401));
        assertThat(thrown.getMessage()).doesNotContain(wrongKey);
    }

    @Test
    void an_unknown_model_is_model_not_found() {
        // when
        var thrown = catchThrowableOfType(
                ProviderException.class, () -> provider.chat(pong("claude-promptforge-no-such-model")));

        // then
        assertThat(thrown.failure()).isEqualTo(new ProviderFailure.ModelNotFound());
        assertThat(thrown.getMessage()).contains("claude-promptforge-no-such-model");
    }
}
