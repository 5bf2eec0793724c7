package dev.promptforge.eval;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A judge made of one judge per kind of call: chat, embeddings, moderation. */
final class CombinedJudge implements Judge {

    private final @Nullable Judge text;
    private final @Nullable Judge embedding;
    private final @Nullable Judge moderation;
    private final String id;

    CombinedJudge(@Nullable Judge text, @Nullable Judge embedding, @Nullable Judge moderation) {
        if (text == null && embedding == null && moderation == null) {
            throw new IllegalArgumentException("a combined judge needs at least one judge");
        }
        this.text = text;
        this.embedding = embedding;
        this.moderation = moderation;
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
        this.id = "{" + String.join(", ", parts) + "}";
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean supportsChat() {
        return text != null && text.supportsChat();
    }

    @Override
    public String complete(List<Message> messages) {
        if (text == null) {
            throw new EvaluationException("The judge " + id + " names no text provider for chat");
        }
        return text.complete(messages);
    }

    @Override
    public boolean supportsEmbeddings() {
        return embedding != null && embedding.supportsEmbeddings();
    }

    @Override
    public double[] embed(String input) {
        if (embedding == null) {
            throw new EvaluationException("The judge " + id + " names no embedding provider");
        }
        return embedding.embed(input);
    }

    @Override
    public boolean supportsModeration() {
        return moderation != null && moderation.supportsModeration();
    }

    @Override
    public Moderation moderate(String input) {
        if (moderation == null) {
            throw new EvaluationException("The judge " + id + " names no moderation provider");
        }
        return moderation.moderate(input);
    }
}
