package dev.promptforge.eval.suite;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A provider as a suite names it.
 *
 * @param id {@code openai:chat:gpt-4o-mini}, {@code local/echo}, {@code http}, {@code
 *     promptforge:demo/support@production} …
 * @param label what reports show instead of the id, when set
 * @param config the provider's settings (model parameters, URL, headers …)
 * @param location where it is written
 */
public record ProviderSpec(String id, @Nullable String label, Map<String, Object> config, Location location) {
    public ProviderSpec {
        requireNonNull(id, "id");
        config = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(config));
        requireNonNull(location, "location");
    }
}
