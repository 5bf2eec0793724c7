package dev.promptforge.server.gateway.provider.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.promptforge.server.gateway.ChatChunk;
import dev.promptforge.server.gateway.ChatMessage;
import dev.promptforge.server.gateway.ChatOptions;
import dev.promptforge.server.gateway.ChatRequest;
import dev.promptforge.server.gateway.ProviderException;
import dev.promptforge.server.gateway.ProviderFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalProviderTest {

    private final LocalProvider provider = new LocalProvider(Duration.ZERO, 0, 1);

    private static ChatRequest request(String model, ChatMessage... messages) {
        return new ChatRequest(model, List.of(messages), ChatOptions.DEFAULTS, Map.of());
    }

    @Test
    void echo_returns_the_prompt() {
        var answer = provider.chat(request("echo", ChatMessage.of("system", "S"), ChatMessage.of("user", "U")));
        assertThat(answer.text()).isEqualTo("S\n\nU");
        assertThat(answer.usage()).isNull();
    }

    @Test
    void extractive_answers_with_the_sentences_most_related_to_the_question() {
        var answer = provider.chat(request(
                "extractive",
                ChatMessage.of(
                        "user",
                        "Policy: Savings accounts pay 2% interest. Overdraft fees are 30 dollars per day."
                                + " Branches close at 5 pm.\nQuestion: What are the overdraft fees?")));
        assertThat(answer.text()).isEqualTo("Overdraft fees are 30 dollars per day.");
    }

    @Test
    void extractive_says_it_does_not_know_without_related_context() {
        var answer = provider.chat(request(
                "extractive", ChatMessage.of("user", "Context: The sky is blue.\nQuestion: Who won the match?")));
        assertThat(answer.text()).isEqualTo(Extractor.UNKNOWN);
    }

    @Test
    void extractive_is_deterministic() {
        var request = request("extractive", ChatMessage.of("user", "A cat sat. A dog ran. Where did the cat sit?"));
        assertThat(provider.chat(request).text())
                .isEqualTo(provider.chat(request).text())
                .isEqualTo("A cat sat.");
    }

    @Test
    void streams_the_answer_in_word_pieces_and_ends_with_a_finish_reason() {
        List<ChatChunk> chunks = new ArrayList<>();
        provider.stream(request("echo", ChatMessage.of("user", "one two  three")), chunks::add);
        assertThat(chunks).extracting(ChatChunk::textDelta).containsExactly("one ", "two  ", "three", "");
        assertThat(chunks.getLast().finishReason()).isEqualTo("stop");
    }

    @Test
    void injects_failures_at_the_configured_rate_repeatably() {
        var always = new LocalProvider(Duration.ZERO, 1.0, 7);
        assertThatThrownBy(() -> always.chat(request("echo", ChatMessage.of("user", "x"))))
                .isInstanceOf(ProviderException.class)
                .satisfies(e ->
                        assertThat(((ProviderException) e).failure()).isInstanceOf(ProviderFailure.Unavailable.class));
        var half = new LocalProvider(Duration.ZERO, 0.5, 7);
        var twin = new LocalProvider(Duration.ZERO, 0.5, 7);
        assertThat(outcomes(half)).isEqualTo(outcomes(twin)).contains(true, false);
    }

    @Test
    void an_unknown_local_model_is_not_found() {
        assertThatThrownBy(() -> provider.chat(request("gpt", ChatMessage.of("user", "x"))))
                .hasMessageContaining("local/echo or local/extractive");
    }

    private static List<Boolean> outcomes(LocalProvider p) {
        List<Boolean> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            try {
                p.chat(request("echo", ChatMessage.of("user", "x")));
                results.add(true);
            } catch (ProviderException e) {
                results.add(false);
            }
        }
        return results;
    }
}
