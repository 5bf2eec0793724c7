package dev.promptforge.server.lab.pipeline;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.springframework.stereotype.Component;

/**
 * Bounds the calls all pipeline runs of this instance make to one provider at once ({@code
 * promptforge.lab.provider-concurrency}), so a large run cannot starve production traffic of a
 * provider's rate limit.
 */
@Component
class ProviderLimits {

    private final int permits;
    private final Map<String, Semaphore> byProvider = new ConcurrentHashMap<>();

    ProviderLimits(LabProperties properties) {
        this.permits = properties.providerConcurrency();
    }

    Semaphore of(String model) {
        int slash = model.indexOf('/');
        String provider = slash < 0 ? model : model.substring(0, slash);
        return byProvider.computeIfAbsent(provider, p -> new Semaphore(permits, true));
    }
}
