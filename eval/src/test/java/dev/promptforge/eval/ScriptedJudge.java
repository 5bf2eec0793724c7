package dev.promptforge.eval;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A judge for tests: answers chats from a queue, embeds known texts to given vectors, moderates
 * with given categories, and records what it was asked.
 */
final class ScriptedJudge implements Judge {

    private final Deque<String> answers = new ArrayDeque<>();
    private final Map<String, double[]> embeddings;
    private final Set<String> flagged;
    final List<List<Message>> chats = new ArrayList<>();

    ScriptedJudge(Map<String, double[]> embeddings, Set<String> flagged) {
        this.embeddings = embeddings;
        this.flagged = flagged;
    }

    static ScriptedJudge answering(String... answers) {
        ScriptedJudge judge = new ScriptedJudge(Map.of(), Set.of());
        judge.answers.addAll(List.of(answers));
        return judge;
    }

    ScriptedJudge then(String... more) {
        answers.addAll(List.of(more));
        return this;
    }

    @Override
    public String id() {
        return "scripted";
    }

    @Override
    public synchronized String complete(List<Message> messages) {
        chats.add(messages);
        if (answers.isEmpty()) {
            throw new EvaluationException("the scripted judge has no answer left");
        }
        return answers.removeFirst();
    }

    @Override
    public boolean supportsEmbeddings() {
        return !embeddings.isEmpty();
    }

    @Override
    public double[] embed(String text) {
        double[] vector = embeddings.get(text);
        if (vector == null) {
            throw new EvaluationException("the scripted judge cannot embed '" + text + "'");
        }
        return vector;
    }

    @Override
    public boolean supportsModeration() {
        return true;
    }

    @Override
    public Moderation moderate(String text) {
        return new Moderation(flagged, Map.of());
    }
}
