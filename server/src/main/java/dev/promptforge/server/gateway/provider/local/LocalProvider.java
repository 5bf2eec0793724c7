package dev.promptforge.server.gateway.provider.local;

import dev.promptforge.server.gateway.ChatChunk;
import dev.promptforge.server.gateway.ChatMessage;
import dev.promptforge.server.gateway.ChatRequest;
import dev.promptforge.server.gateway.ChatResponse;
import dev.promptforge.server.gateway.Provider;
import dev.promptforge.server.gateway.ProviderException;
import dev.promptforge.server.gateway.ProviderFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The offline, deterministic provider. {@code local/echo} answers with the prompt itself (the
 * messages' text joined by blank lines); {@code local/extractive} answers a question from the context
 * in the prompt with its most related sentences ({@link Extractor}). Latency and failures can be
 * injected for demos and resilience tests; the failure sequence is seeded, so a run repeats.
 */
public final class LocalProvider implements Provider {

    public static final String NAME = "local";
    static final List<String> MODELS = List.of("echo", "extractive");

    private final Duration latency;
    private final double failureRate;
    private final Random random;

    public LocalProvider(Duration latency, double failureRate, long seed) {
        if (failureRate < 0 || failureRate > 1) {
            throw new IllegalArgumentException("promptforge.gateway.local.failure-rate must be from 0 to 1");
        }
        this.latency = latency;
        this.failureRate = failureRate;
        this.random = new Random(seed);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String type() {
        return NAME;
    }

    @Override
    public List<String> models() {
        return MODELS;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        String text = answer(request);
        return new ChatResponse(text, "stop", null, request.model(), null);
    }

    @Override
    public void stream(ChatRequest request, Consumer<ChatChunk> onChunk) {
        String text = answer(request);
        for (String piece : pieces(text)) {
            onChunk.accept(new ChatChunk(piece, null, null, null));
        }
        onChunk.accept(new ChatChunk("", "stop", null, null));
    }

    private String answer(ChatRequest request) {
        injectLatencyAndFailures();
        return switch (request.model()) {
            case "echo" -> echo(request.messages());
            case "extractive" -> Extractor.answer(request.messages());
            default ->
                throw new ProviderException(
                        new ProviderFailure.ModelNotFound(),
                        "The local provider has no model '" + request.model()
                                + "'; use local/echo or local/extractive.");
        };
    }

    private void injectLatencyAndFailures() {
        if (!latency.isZero()) {
            try {
                Thread.sleep(latency);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderException(new ProviderFailure.Unavailable(503), "Interrupted while waiting.");
            }
        }
        boolean fail;
        synchronized (random) {
            fail = failureRate > 0 && random.nextDouble() < failureRate;
        }
        if (fail) {
            throw new ProviderException(
                    new ProviderFailure.Unavailable(503),
                    "The local provider failed on purpose (promptforge.gateway.local.failure-rate = " + failureRate
                            + ").");
        }
    }

    static String echo(List<ChatMessage> messages) {
        StringBuilder text = new StringBuilder();
        for (ChatMessage message : messages) {
            if (!text.isEmpty()) {
                text.append("\n\n");
            }
            text.append(message.text());
        }
        return text.toString();
    }

    /** Splits a text into word-sized pieces that keep their spacing, as a model streams. */
    static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length()
                    || (Character.isWhitespace(text.charAt(i - 1)) && !Character.isWhitespace(text.charAt(i)))) {
                pieces.add(text.substring(start, i));
                start = i;
            }
        }
        return pieces;
    }
}
