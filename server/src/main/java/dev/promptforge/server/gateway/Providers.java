package dev.promptforge.server.gateway;

import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Validation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Every configured provider by name, and the resolution of {@code provider/model} names. */
@Component
public class Providers {

    /** A model name split into its provider and the provider's own model name. */
    public record ModelRef(Provider provider, String model) {
        public String fullName() {
            return provider.name() + "/" + model;
        }
    }

    private final Map<String, Provider> byName = new LinkedHashMap<>();

    Providers(List<Provider> providers) {
        for (Provider provider : providers) {
            Provider previous = byName.putIfAbsent(provider.name(), provider);
            if (previous != null) {
                throw new IllegalStateException("Two providers are named '" + provider.name() + "'");
            }
        }
    }

    public Collection<Provider> all() {
        return byName.values();
    }

    /** Resolves {@code provider/model}; an unknown provider or a malformed name is a 422 that lists the known ones. */
    public ModelRef resolve(String fullModel) {
        int slash = fullModel.indexOf('/');
        if (slash <= 0 || slash == fullModel.length() - 1) {
            throw ApiException.unprocessable("model: '" + Validation.abbreviate(fullModel)
                    + "' is not a model name: use provider/model, e.g. \"local/echo\" (providers: " + names() + ")");
        }
        String name = fullModel.substring(0, slash);
        Provider provider = byName.get(name);
        if (provider == null) {
            throw ApiException.unprocessable("model: no provider named '" + Validation.abbreviate(name)
                    + "' is configured (providers: " + names() + ")");
        }
        return new ModelRef(provider, fullModel.substring(slash + 1));
    }

    private String names() {
        return String.join(", ", new ArrayList<>(byName.keySet()));
    }
}
