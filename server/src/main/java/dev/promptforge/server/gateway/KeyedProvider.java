package dev.promptforge.server.gateway;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A remote provider whose API key may be changed at run time: the key stored through the API (in the
 * encrypted secrets store) wins over the configured one. The stored key is looked up at most every
 * few seconds (so every instance picks up a change), and the provider is rebuilt only when the key
 * changed; in between a call costs one volatile read.
 */
class KeyedProvider implements Provider {

    static final Duration RECHECK = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(KeyedProvider.class);

    private record State(Provider provider, @Nullable String key, long checkedAt) {}

    private final String name;
    private final String type;
    private final List<String> models;
    private final @Nullable String configuredKey;
    private final Function<@Nullable String, Provider> build;
    private final ProviderKeys keys;
    private final long recheckNanos;
    private volatile State state;

    KeyedProvider(
            Provider initial,
            @Nullable String configuredKey,
            Function<@Nullable String, Provider> build,
            ProviderKeys keys,
            Duration recheck) {
        this.name = initial.name();
        this.type = initial.type();
        this.models = initial.models();
        this.configuredKey = configuredKey;
        this.build = requireNonNull(build, "build");
        this.keys = requireNonNull(keys, "keys");
        this.recheckNanos = recheck.toNanos();
        // Checked "long ago", so the first call looks for a stored key.
        this.state = new State(initial, configuredKey, System.nanoTime() - recheckNanos - 1);
    }

    /** Wraps {@code initial}; an OpenAI-compatible provider keeps its embeddings and moderation endpoints. */
    static KeyedProvider of(
            Provider initial,
            @Nullable String configuredKey,
            Function<@Nullable String, Provider> build,
            ProviderKeys keys) {
        return initial instanceof EmbeddingsAndModeration
                ? new WithEndpoints(initial, configuredKey, build, keys, RECHECK)
                : new KeyedProvider(initial, configuredKey, build, keys, RECHECK);
    }

    /** Where the key in use comes from. */
    enum KeySource {
        SECRETS,
        CONFIGURATION,
        NONE
    }

    KeySource keySource() {
        current();
        String key = state.key();
        if (key == null || key.isBlank()) {
            return KeySource.NONE;
        }
        return key.equals(configuredKey) ? KeySource.CONFIGURATION : KeySource.SECRETS;
    }

    /** Looks for a stored key on the next call (after this instance changed it). */
    void invalidate() {
        State current = state;
        state = new State(current.provider(), current.key(), System.nanoTime() - recheckNanos - 1);
    }

    Provider current() {
        State current = state;
        long now = System.nanoTime();
        if (now - current.checkedAt() < recheckNanos) {
            return current.provider();
        }
        synchronized (this) {
            current = state;
            if (now - current.checkedAt() < recheckNanos) {
                return current.provider();
            }
            String key;
            try {
                key = keys.stored(name).orElse(configuredKey);
            } catch (RuntimeException e) {
                log.warn("Could not read the stored API key of provider '{}'; keeping the one in use", name, e);
                key = current.key();
            }
            Provider provider = Objects.equals(key, current.key()) ? current.provider() : build.apply(key);
            state = new State(provider, key, now);
            return provider;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public List<String> models() {
        return models;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        return current().chat(request);
    }

    @Override
    public void stream(ChatRequest request, Consumer<ChatChunk> onChunk) {
        current().stream(request, onChunk);
    }

    /** An OpenAI-compatible provider: also embeddings and moderation. */
    static final class WithEndpoints extends KeyedProvider implements EmbeddingsAndModeration {

        WithEndpoints(
                Provider initial,
                @Nullable String configuredKey,
                Function<@Nullable String, Provider> build,
                ProviderKeys keys,
                Duration recheck) {
            super(initial, configuredKey, build, keys, recheck);
        }

        @Override
        public double[] embed(String model, String input) {
            return ((EmbeddingsAndModeration) current()).embed(model, input);
        }

        @Override
        public ModerationVerdict moderate(String model, String input) {
            return ((EmbeddingsAndModeration) current()).moderate(model, input);
        }
    }
}
