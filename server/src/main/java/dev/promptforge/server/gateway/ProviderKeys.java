package dev.promptforge.server.gateway;

import dev.promptforge.server.secrets.SecretValue;
import dev.promptforge.server.secrets.Secrets;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Provider API keys entered through the API ({@code PUT /api/v1/providers/{name}/api-key}), kept in
 * the encrypted secrets store under {@code provider/<name>/api-key}. A stored key takes precedence
 * over the one in the configuration (an environment variable); it is never shown again.
 */
@Component
class ProviderKeys {

    private final Secrets secrets;

    ProviderKeys(Secrets secrets) {
        this.secrets = secrets;
    }

    static String secretName(String provider) {
        return "provider/" + provider + "/api-key";
    }

    Optional<String> stored(String provider) {
        return secrets.get(secretName(provider)).map(SecretValue::reveal);
    }

    void store(String provider, String apiKey) {
        secrets.put(secretName(provider), apiKey);
    }

    boolean remove(String provider) {
        return secrets.delete(secretName(provider));
    }
}
