package dev.promptforge.eval.provider;

import static java.util.Objects.requireNonNull;

import dev.promptforge.eval.EvalProvider;
import dev.promptforge.eval.EvaluationException;
import dev.promptforge.eval.Judge;
import dev.promptforge.eval.Message;
import dev.promptforge.eval.ProviderCallException;
import dev.promptforge.eval.ProviderRequest;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A suite provider as the judge of model-graded assertions: chat completions only (no embeddings or
 * moderation). The judge's messages go out as chat messages, and as text ({@code role: content}
 * blocks) for providers that only take text.
 */
public final class ProviderJudge implements Judge {

    private final EvalProvider provider;

    public ProviderJudge(EvalProvider provider) {
        this.provider = requireNonNull(provider, "provider");
        if (provider.rendersItsOwnPrompt()) {
            throw new IllegalArgumentException(provider.id() + " renders its own prompt, so it cannot be a judge");
        }
    }

    @Override
    public String id() {
        return provider.id();
    }

    @Override
    public String complete(List<Message> messages) {
        String text = messages.stream().map(m -> m.role() + ": " + m.content()).collect(Collectors.joining("\n\n"));
        try {
            return provider.call(new ProviderRequest(text, messages, Map.of())).output();
        } catch (ProviderCallException e) {
            throw new EvaluationException("the judge " + provider.id() + " failed: " + e.getMessage(), e);
        }
    }
}
