package dev.promptforge.cli.eval;

import dev.promptforge.eval.EvalProvider;
import dev.promptforge.eval.provider.ProviderRegistry;
import dev.promptforge.eval.suite.ProviderSpec;
import dev.promptforge.server.gateway.ChatOptions;
import dev.promptforge.server.gateway.Pricing;
import dev.promptforge.server.gateway.Provider;
import dev.promptforge.server.gateway.provider.Http1Client;
import dev.promptforge.server.gateway.provider.anthropic.AnthropicProvider;
import dev.promptforge.server.gateway.provider.local.LocalProvider;
import dev.promptforge.server.gateway.provider.openai.OpenAiProvider;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's providers for suites: {@code local/echo} and {@code local/extractive} (offline,
 * deterministic). Suites name them as the gateway does, {@code provider/model}.
 */
final class GatewayProviders {

    /** The generation options the gateway understands, under promptfoo's config names. */
    private static final Set<String> OPTION_KEYS = Set.of("temperature", "max_tokens", "top_p", "stop", "seed");

    private GatewayProviders() {}

    /** Registers the gateway's provider types. */
    static ProviderRegistry.Builder register(ProviderRegistry.Builder registry, Pricing pricing) {
        LocalProvider local = new LocalProvider(Duration.ZERO, 0, 0);
        return registry.register(
                        "local/echo, local/extractive",
                        id -> id.startsWith(LocalProvider.NAME + "/"),
                        spec -> local(spec, local, pricing))
                .register(
                        "openai:chat:<model>", id -> id.startsWith("openai:"), spec -> remote(spec, pricing, "openai"))
                .register(
                        "anthropic:messages:<model>",
                        id -> id.startsWith("anthropic:"),
                        spec -> remote(spec, pricing, "anthropic"));
    }

    /** Config keys of the remote providers that are PromptForge's, not the upstream's. */
    static final Set<String> CONNECTION_KEYS = Set.of("apiBaseUrl", "apiKey", "apiKeyEnvar", "timeoutMs");

    private static final Http1Client HTTP = new Http1Client();

    /**
     * {@code openai:chat:<model>} and {@code anthropic:messages:<model>} through the gateway's own
     * wire clients: base URL from {@code apiBaseUrl}, else {@code OPENAI_BASE_URL} /
     * {@code ANTHROPIC_BASE_URL}; key from {@code apiKey}, the variable named by {@code apiKeyEnvar},
     * else {@code OPENAI_API_KEY} / {@code ANTHROPIC_API_KEY}, as promptfoo does.
     */
    private static EvalProvider remote(ProviderSpec spec, Pricing pricing, String type) {
        String api = type.equals("openai") ? "chat" : "messages";
        String[] parts = spec.id().split(":", 3);
        if (parts.length != 3 || !parts[1].equals(api) || parts[2].isBlank()) {
            throw new IllegalArgumentException(
                    "'" + spec.id() + "' is not a provider id: use " + type + ":" + api + ":<model>");
        }
        Map<String, Object> config = spec.config();
        Connection c = connection(spec, type);
        Provider provider = type.equals("openai")
                ? new OpenAiProvider(type, c.url(), c.key(), c.timeout(), List.of(), HTTP)
                : new AnthropicProvider(type, c.url(), c.key(), c.timeout(), List.of(), HTTP);
        return new GatewayProvider(
                spec.id(), provider, parts[2], options(config), passthrough(config, CONNECTION_KEYS), pricing);
    }

    /** Where a remote provider is, its key and its time limit. */
    record Connection(URI url, @Nullable String key, Duration timeout) {}

    /**
     * The connection of a remote provider: base URL from {@code apiBaseUrl}, else {@code
     * <TYPE>_BASE_URL}, else the vendor's; key from {@code apiKey}, the variable named by {@code
     * apiKeyEnvar}, else {@code <TYPE>_API_KEY}; time limit from {@code timeoutMs}, else 60 s.
     */
    static Connection connection(ProviderSpec spec, String type) {
        Map<String, Object> config = spec.config();
        String prefix = type.toUpperCase(java.util.Locale.ROOT);
        String base = string(config, "apiBaseUrl");
        if (base == null) {
            base = env(prefix + "_BASE_URL");
        }
        if (base == null) {
            base = type.equals("openai") ? "https://api.openai.com/v1" : "https://api.anthropic.com";
        }
        String key = string(config, "apiKey");
        if (key == null) {
            String envar = string(config, "apiKeyEnvar");
            key = env(envar != null ? envar : prefix + "_API_KEY");
        }
        Double timeoutMs = number(config, "timeoutMs");
        Duration timeout = timeoutMs == null ? Duration.ofSeconds(60) : Duration.ofMillis(timeoutMs.longValue());
        try {
            return new Connection(URI.create(base), key, timeout);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("apiBaseUrl of " + spec.id() + " is not a URL: " + base);
        }
    }

    /** The HTTP client the gateway's wire clients share here. */
    static Http1Client http() {
        return HTTP;
    }

    private static @Nullable String string(Map<String, Object> config, String key) {
        Object value = config.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof String s && !s.isBlank()) {
            return s;
        }
        throw new IllegalArgumentException("'" + key + "' must be a non-empty string");
    }

    private static @Nullable String env(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? null : value;
    }

    private static EvalProvider local(ProviderSpec spec, LocalProvider local, Pricing pricing) {
        String model = spec.id().substring(LocalProvider.NAME.length() + 1);
        if (!local.models().contains(model)) {
            throw new IllegalArgumentException("the local provider has no model '" + model + "' (it has: "
                    + String.join(
                            ", ", local.models().stream().map(m -> "local/" + m).toList()) + ")");
        }
        for (String key : spec.config().keySet()) {
            if (!OPTION_KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key '" + key + "' in the config of " + spec.id()
                        + " (allowed: "
                        + String.join(", ", OPTION_KEYS.stream().sorted().toList()) + ")");
            }
        }
        return new GatewayProvider(spec.id(), local, model, options(spec.config()), Map.of(), pricing);
    }

    /** temperature, max_tokens, top_p, stop and seed as the gateway's options. */
    static ChatOptions options(Map<String, Object> config) {
        return new ChatOptions(
                number(config, "temperature"),
                wholeNumber(config, "max_tokens"),
                number(config, "top_p"),
                stop(config.get("stop")),
                wholeNumber(config, "seed"));
    }

    /** The config without the gateway's options: what an OpenAI-compatible upstream receives as is. */
    static Map<String, Object> passthrough(Map<String, Object> config, Set<String> consumed) {
        Map<String, Object> rest = new LinkedHashMap<>(config);
        rest.keySet().removeAll(OPTION_KEYS);
        rest.keySet().removeAll(consumed);
        return rest;
    }

    private static @Nullable Double number(Map<String, Object> config, String key) {
        Object value = config.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("'" + key + "' must be a number");
    }

    private static @Nullable Integer wholeNumber(Map<String, Object> config, String key) {
        Double value = number(config, key);
        if (value == null) {
            return null;
        }
        if (value != Math.rint(value)) {
            throw new IllegalArgumentException("'" + key + "' must be a whole number");
        }
        return value.intValue();
    }

    private static @Nullable List<String> stop(@Nullable Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            for (Object item : list) {
                out.add(String.valueOf(item));
            }
            return out;
        }
        throw new IllegalArgumentException("'stop' must be a string or a list of strings");
    }
}
