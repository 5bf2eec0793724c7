package dev.promptforge.eval.suite;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The judge of model-graded assertions as a suite names it, promptfoo's way: in {@code
 * defaultTest.options.provider} or an assertion's {@code provider}, either one provider for every
 * kind of call, or one per kind under {@code text} (chat), {@code embedding} ({@code similar},
 * {@code answer-relevance}) and {@code moderation}.
 *
 * <pre>{@code
 * defaultTest:
 *   options:
 *     provider:
 *       text: openai:chat:gpt-4o-mini
 *       embedding: {id: openai:embedding:text-embedding-3-small, config: {apiBaseUrl: ...}}
 *       moderation: openai:moderation:omni-moderation-latest
 * }</pre>
 *
 * @param provider the one provider for every kind; null when the kinds are named one by one
 * @param text the chat judge, when named by kind
 * @param embedding the embeddings provider, when named by kind
 * @param moderation the moderation provider, when named by kind
 * @param location where it is written
 */
public record JudgeSpec(
        @Nullable ProviderSpec provider,
        @Nullable ProviderSpec text,
        @Nullable ProviderSpec embedding,
        @Nullable ProviderSpec moderation,
        Location location) {

    /** The keys of the by-kind form. */
    public static final List<String> KINDS = List.of("text", "embedding", "moderation");

    public JudgeSpec {
        requireNonNull(location, "location");
        if (provider != null && (text != null || embedding != null || moderation != null)) {
            throw new IllegalArgumentException("a judge is either one provider or one provider per kind");
        }
        if (provider == null && text == null && embedding == null && moderation == null) {
            throw new IllegalArgumentException("a judge needs a provider");
        }
    }

    /** One provider for every kind of call. */
    public static JudgeSpec of(ProviderSpec provider) {
        return new JudgeSpec(provider, null, null, null, provider.location());
    }

    @Override
    public String toString() {
        if (provider != null) {
            return provider.id();
        }
        List<String> parts = new ArrayList<>();
        if (text != null) {
            parts.add("text: " + text.id());
        }
        if (embedding != null) {
            parts.add("embedding: " + embedding.id());
        }
        if (moderation != null) {
            parts.add("moderation: " + moderation.id());
        }
        return "{" + String.join(", ", parts) + "}";
    }
}
