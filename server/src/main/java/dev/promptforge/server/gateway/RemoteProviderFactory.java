package dev.promptforge.server.gateway;

import dev.promptforge.server.gateway.provider.Http1Client;
import dev.promptforge.server.gateway.provider.anthropic.AnthropicProvider;
import dev.promptforge.server.gateway.provider.openai.OpenAiProvider;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Builds the remote providers of {@code promptforge.gateway.providers} on one shared HTTP client
 * (its pool of keep-alive connections), and closes that client when closed. A provider without its own timeout
 * gets the gateway's. Configuration mistakes fail with the property to fix.
 */
final class RemoteProviderFactory implements AutoCloseable {

    static final String PREFIX = "promptforge.gateway.providers";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final GatewayProperties properties;
    private final @Nullable ProviderKeys keys;
    private final Http1Client http = new Http1Client();

    /** @param keys the keys stored through the API; null where there is no secrets store (keys from configuration only) */
    RemoteProviderFactory(GatewayProperties properties, @Nullable ProviderKeys keys) {
        this.properties = properties;
        this.keys = keys;
    }

    Provider create(String name) {
        String property = PREFIX + "." + name;
        if (!NAME.matcher(name).matches()) {
            throw new IllegalStateException(property + ": '" + name + "' cannot name a provider: use lower-case"
                    + " letters, digits and dashes (it prefixes model names, as in groq/llama-3.1-8b-instant)");
        }
        if (name.equals("local")) {
            throw new IllegalStateException(property + ": 'local' is the offline provider's name; configure it"
                    + " under promptforge.gateway.local and give a remote provider another name");
        }
        GatewayProperties.ProviderSettings settings = properties.providers().get(name);
        if (settings == null) {
            throw new IllegalStateException(property + " is not configured");
        }
        if (settings.type() == null || settings.type().isBlank()) {
            throw new IllegalStateException(
                    property + ".type is missing: use openai (any OpenAI-compatible server) or anthropic");
        }
        if (settings.baseUrl() == null || settings.baseUrl().toString().isBlank()) {
            throw new IllegalStateException(property + ".base-url is missing, e.g. https://api.groq.com/openai/v1"
                    + " or http://localhost:11434/v1");
        }
        Duration timeout = settings.timeout() != null ? settings.timeout() : properties.timeout();
        String type = settings.type().strip().toLowerCase(Locale.ROOT);
        if (!type.equals("openai") && !type.equals("anthropic")) {
            throw new IllegalStateException(property + ".type is '" + settings.type()
                    + "': use openai (any OpenAI-compatible server) or anthropic");
        }
        java.util.function.Function<@Nullable String, Provider> build = apiKey -> type.equals("openai")
                ? new OpenAiProvider(name, settings.baseUrl(), apiKey, timeout, settings.models(), http)
                : new AnthropicProvider(name, settings.baseUrl(), apiKey, timeout, settings.models(), http);
        try {
            // Built now with the configured key, so a configuration mistake stops the start.
            Provider configured = build.apply(settings.apiKey());
            return keys == null ? configured : KeyedProvider.of(configured, settings.apiKey(), build, keys);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(property + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
