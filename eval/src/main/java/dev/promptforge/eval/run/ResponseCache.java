package dev.promptforge.eval.run;

import dev.promptforge.eval.ProviderResponse;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Provider answers by request key; implementations are thread-safe. */
public interface ResponseCache {

    /** A cached answer and the latency of the call that produced it. */
    record Entry(ProviderResponse response, @Nullable Double latencyMs) {}

    Optional<Entry> get(String key);

    void put(String key, Entry entry);

    /** A cache that keeps nothing ({@code --no-cache}). */
    ResponseCache NONE = new ResponseCache() {
        @Override
        public Optional<Entry> get(String key) {
            return Optional.empty();
        }

        @Override
        public void put(String key, Entry entry) {}
    };
}
