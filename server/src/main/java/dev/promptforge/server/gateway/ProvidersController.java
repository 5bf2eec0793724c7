package dev.promptforge.server.gateway;

import dev.promptforge.server.security.ProjectAccess;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Validation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The model providers, and their API keys entered through the API into the encrypted secrets store
 * (server admins). A key is accepted, stored and used; it is never shown again — listings say only
 * where the key in use comes from.
 */
@RestController
@Tag(name = "Providers", description = "Model providers and their API keys (server admins)")
class ProvidersController {

    static final int MAX_KEY = 4_096;

    private final Providers providers;
    private final ProviderKeys keys;
    private final ProjectAccess access;

    ProvidersController(Providers providers, ProviderKeys keys, ProjectAccess access) {
        this.providers = providers;
        this.keys = keys;
        this.access = access;
    }

    record ProviderView(String name, String type, List<String> models, String apiKey) {}

    record NewKey(@Nullable String apiKey) {}

    @GetMapping("/api/v1/providers")
    @Operation(summary = "The providers, their models and where each one's API key comes from (never the key)")
    List<ProviderView> list() {
        access.requireServerAdmin();
        return providers.all().stream()
                .map(p -> new ProviderView(
                        p.name(),
                        p.type(),
                        p.models(),
                        p instanceof KeyedProvider keyed
                                ? keyed.keySource().name().toLowerCase(java.util.Locale.ROOT)
                                : "none"))
                .toList();
    }

    @PutMapping("/api/v1/providers/{name}/api-key")
    @Operation(summary = "Store a provider's API key, encrypted; it replaces the configured one on every instance")
    ResponseEntity<Void> store(@PathVariable String name, @RequestBody NewKey request) {
        access.requireServerAdmin();
        KeyedProvider provider = remote(name);
        String apiKey = request.apiKey();
        if (apiKey == null || apiKey.isBlank()) {
            throw ApiException.invalid(
                    List.of(new ApiException.FieldError("apiKey", "is required: the provider's API key")));
        }
        if (apiKey.length() > MAX_KEY || apiKey.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw ApiException.invalid(List.of(new ApiException.FieldError(
                    "apiKey", "must be at most " + MAX_KEY + " printable ASCII characters without spaces")));
        }
        keys.store(provider.name(), apiKey.strip());
        provider.invalidate();
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/api/v1/providers/{name}/api-key")
    @Operation(summary = "Remove a provider's stored API key (the configured one, if any, is used again)")
    ResponseEntity<Void> remove(@PathVariable String name) {
        access.requireServerAdmin();
        KeyedProvider provider = remote(name);
        if (!keys.remove(provider.name())) {
            throw ApiException.notFound("Provider '" + provider.name() + "' has no stored API key.");
        }
        provider.invalidate();
        return ResponseEntity.noContent().build();
    }

    private KeyedProvider remote(String name) {
        for (Provider provider : providers.all()) {
            if (provider.name().equals(name)) {
                if (provider instanceof KeyedProvider keyed) {
                    return keyed;
                }
                throw ApiException.unprocessable(
                        "Provider '" + name + "' takes no API key: it runs inside PromptForge.");
            }
        }
        throw ApiException.notFound("There is no provider '" + Validation.abbreviate(name)
                + "': configure it under promptforge.gateway.providers first.");
    }
}
