package dev.promptforge.server.evaluation;

import dev.promptforge.eval.EvaluationException;
import dev.promptforge.eval.Judge;
import dev.promptforge.eval.Message;
import dev.promptforge.server.gateway.ChatMessage;
import dev.promptforge.server.gateway.ChatOptions;
import dev.promptforge.server.gateway.ChatRequest;
import dev.promptforge.server.gateway.EmbeddingsAndModeration;
import dev.promptforge.server.gateway.ProviderException;
import dev.promptforge.server.gateway.Providers;
import java.util.List;
import java.util.Map;

/**
 * A gateway model ({@code local/…}, {@code openai/…}, {@code anthropic/…}) as the judge of
 * model-graded evaluators: chat at temperature 0 and, when its provider has them (OpenAI-compatible
 * ones), embeddings and moderation by the same model name. Judge calls go to the provider directly,
 * so they are not records themselves (and are never scored in turn).
 */
final class GatewayJudge implements Judge {

    private static final ChatOptions OPTIONS = new ChatOptions(0.0, null, null, null, null);

    private final String id;
    private final Providers.ModelRef model;

    /** @throws dev.promptforge.server.shared.ApiException (422) when no provider has the model */
    GatewayJudge(Providers providers, String model) {
        this.id = model;
        this.model = providers.resolve(model);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String complete(List<Message> messages) {
        List<ChatMessage> chat = messages.stream()
                .map(m -> ChatMessage.of(m.role(), m.content()))
                .toList();
        try {
            return model.provider()
                    .chat(new ChatRequest(model.model(), chat, OPTIONS, Map.of()))
                    .text();
        } catch (ProviderException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean supportsEmbeddings() {
        return model.provider() instanceof EmbeddingsAndModeration;
    }

    @Override
    public double[] embed(String text) {
        if (!(model.provider() instanceof EmbeddingsAndModeration endpoints)) {
            return Judge.super.embed(text);
        }
        try {
            return endpoints.embed(model.model(), text);
        } catch (ProviderException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean supportsModeration() {
        return model.provider() instanceof EmbeddingsAndModeration;
    }

    @Override
    public Moderation moderate(String text) {
        if (!(model.provider() instanceof EmbeddingsAndModeration endpoints)) {
            return Judge.super.moderate(text);
        }
        try {
            EmbeddingsAndModeration.ModerationVerdict verdict = endpoints.moderate(model.model(), text);
            return new Moderation(verdict.flagged(), verdict.scores());
        } catch (ProviderException e) {
            throw failed(e);
        }
    }

    private EvaluationException failed(ProviderException e) {
        return new EvaluationException("the judge " + id + " failed: " + e.getMessage(), e);
    }
}
