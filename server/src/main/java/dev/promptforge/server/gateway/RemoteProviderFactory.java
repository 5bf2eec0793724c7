package dev.promptforge.server.gateway;

import dev.promptforge.server.gateway.provider.Http1Client;
import dev.promptforge.server.gateway.provider.anthropic.AnthropicProvider;
import dev.promptforge.server.gateway.provider.openai.OpenAiProvider;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Builds the remote providers of {@code promptforge.gateway.providers} on one shared HTTP client
 * (its pool of keep-alive connections), and closes that client when closed. A provider without its own timeout
 * gets the gateway's. Configuration mistakes fail with the property to fix.
 */
final class RemoteProviderFactory implements AutoCloseable {

    static final String PREFIX = "promptforge.gateway.providers";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final GatewayProperties properties;
    private final Http1Client http = new Http1Client();

    RemoteProviderFactory(GatewayProperties properties) {
        this.properties = properties;
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
        try {
            return switch (settings.type().strip().toLowerCase(Locale.ROOT)) {
                case "openai" ->
                    new OpenAiProvider(name, settings.baseUrl(), settings.apiKey(), timeout, settings.models(), http);
                case "anthropic" ->
                    new AnthropicProvider(
                            name, settings.baseUrl(), settings.apiKey(), timeout, settings.models(), http);
                default ->
                    throw new IllegalStateException(property + ".type is '" + settings.type()
                            + "': use openai (any OpenAI-compatible server) or anthropic");
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(property + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
