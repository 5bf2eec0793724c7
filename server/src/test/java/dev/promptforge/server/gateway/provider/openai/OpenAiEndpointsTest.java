package dev.promptforge.server.gateway.provider.openai;

import static dev.promptforge.server.gateway.provider.openai.OpenAiProviderTest.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.promptforge.server.gateway.EmbeddingsAndModeration.ModerationVerdict;
import dev.promptforge.server.gateway.ProviderException;
import dev.promptforge.server.gateway.ProviderFailure.AuthFailed;
import dev.promptforge.server.gateway.ProviderFailure.Malformed;
import dev.promptforge.server.gateway.ProviderFailure.RateLimited;
import dev.promptforge.server.gateway.fake.FakeOpenAiServer;
import dev.promptforge.server.gateway.fake.FakeReply;
import dev.promptforge.server.gateway.fake.RecordedRequest;
import dev.promptforge.server.gateway.provider.Http1Client;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The OpenAI provider's embeddings and moderation endpoints against a fake server in OpenAI's format. */
class OpenAiEndpointsTest {

    static final Http1Client HTTP = new Http1Client();

    final FakeOpenAiServer server = FakeOpenAiServer.start();
    final OpenAiProvider provider =
            new OpenAiProvider("openai", server.baseUrl(), KEY, Duration.ofSeconds(10), List.of(), HTTP);

    @AfterEach
    void stopServer() {
        server.close();
    }

    @AfterAll
    static void closeClient() {
        HTTP.close();
    }

    @Test
    void posts_model_and_input_to_embeddings_and_returns_the_vector() {
        // given
        server.enqueue(FakeOpenAiServer.embedding(0.25, -0.5, 1.0));

        // when
        double[] vector = provider.embed("text-embedding-3-small", "Your refund is on its way");

        // then
        assertThat(vector).containsExactly(0.25, -0.5, 1.0);
        RecordedRequest request = server.lastRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/embeddings");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(request.jsonBody())
                .isEqualTo(Map.of("model", "text-embedding-3-small", "input", "Your refund is on its way"));
    }

    @Test
    void posts_model_and_input_to_moderations_and_returns_flagged_categories_with_scores() {
        // given
        server.enqueue(FakeOpenAiServer.moderation("violence", "harassment"));

        // when
        ModerationVerdict verdict = provider.moderate("omni-moderation-latest", "I will hurt you");

        // then
        assertThat(verdict.flagged()).containsExactlyInAnyOrder("violence", "harassment");
        assertThat(verdict.scores()).containsEntry("violence", 0.9).containsEntry("hate", 0.01);
        RecordedRequest request = server.lastRequest();
        assertThat(request.path()).isEqualTo("/v1/moderations");
        assertThat(request.jsonBody()).isEqualTo(Map.of("model", "omni-moderation-latest", "input", "I will hurt you"));
    }

    @Test
    void the_default_fake_answers_are_deterministic_bags_of_words_and_flag_violent_words() {
        // when
        double[] a = provider.embed("text-embedding-3-small", "Refund on its way");
        double[] b = provider.embed("text-embedding-3-small", "refund, on its WAY!");
        ModerationVerdict calm = provider.moderate("omni-moderation-latest", "Have a nice day");
        ModerationVerdict violent = provider.moderate("omni-moderation-latest", "I will attack you");

        // then
        assertThat(a).hasSize(FakeOpenAiServer.DIMENSIONS).containsExactly(b);
        assertThat(calm.flagged()).isEmpty();
        assertThat(violent.flagged()).containsExactly("violence");
    }

    @Test
    void classifies_error_statuses_as_for_chat() {
        // given
        server.enqueue(FakeOpenAiServer.error(401, "Incorrect API key provided"));
        server.enqueue(FakeOpenAiServer.error(429, "Slow down").header("Retry-After", "2"));

        // then
        assertThatThrownBy(() -> provider.embed("text-embedding-3-small", "x"))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.failure()).isInstanceOf(AuthFailed.class))
                .hasMessageContaining("Incorrect API key provided");
        assertThatThrownBy(() -> provider.moderate("omni-moderation-latest", "x"))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.failure()).isInstanceOf(RateLimited.class));
    }

    @Test
    void answers_of_the_wrong_shape_are_malformed() {
        List<FakeReply> replies = List.of(
                FakeReply.json(200, "{\"data\": []}"),
                FakeReply.json(200, "{\"data\": [{\"embedding\": [0.1, \"x\"]}]}"),
                FakeReply.json(200, "{\"data\": [{\"embedding\": []}]}"),
                FakeReply.body(200, "application/json", "not json"),
                FakeReply.json(200, "[1, 2]"));
        for (FakeReply reply : replies) {
            server.enqueue(reply);
            assertThatThrownBy(() -> provider.embed("text-embedding-3-small", "x"))
                    .isInstanceOfSatisfying(
                            ProviderException.class,
                            e -> assertThat(e.failure()).isInstanceOf(Malformed.class))
                    .hasMessageContaining("answered /embeddings with");
        }
        server.enqueue(FakeReply.json(200, "{\"results\": [{\"flagged\": false}]}"));
        assertThatThrownBy(() -> provider.moderate("omni-moderation-latest", "x"))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.failure()).isInstanceOf(Malformed.class))
                .hasMessageContaining("without results[0].categories");
    }
}
