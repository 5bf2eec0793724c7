package dev.promptforge.server.gateway;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A provider whose answers a test scripts: each call takes the next step (an answer or a failure);
 * with no step left it echoes the last message. It counts the calls it received.
 */
final class ScriptedProvider implements Provider {

    private final String name;
    private final Deque<Object> steps = new ArrayDeque<>();
    final AtomicInteger calls = new AtomicInteger();

    ScriptedProvider(String name) {
        this.name = name;
    }

    synchronized ScriptedProvider thenFail(ProviderFailure failure) {
        steps.add(failure);
        return this;
    }

    synchronized ScriptedProvider thenAnswer(String text) {
        steps.add(text);
        return this;
    }

    synchronized void reset() {
        steps.clear();
        calls.set(0);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "scripted";
    }

    @Override
    public List<String> models() {
        return List.of("m");
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        calls.incrementAndGet();
        Object step;
        synchronized (this) {
            step = steps.poll();
        }
        if (step instanceof ProviderFailure failure) {
            throw new ProviderException(
                    failure, "scripted " + failure.getClass().getSimpleName());
        }
        String text =
                step instanceof String s ? s : request.messages().getLast().text();
        return new ChatResponse(text, "stop", new Usage(10, 5, false), request.model(), null);
    }

    @Override
    public void stream(ChatRequest request, Consumer<ChatChunk> onChunk) {
        ChatResponse response = chat(request);
        for (String word : response.text().split(" ")) {
            onChunk.accept(new ChatChunk(word + " ", null, null, null));
        }
        onChunk.accept(new ChatChunk("", "stop", response.usage(), null));
    }
}
