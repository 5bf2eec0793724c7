package dev.promptforge.server.gateway;

import dev.promptforge.server.gateway.provider.local.LocalProvider;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.nio.file.Path;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the offline provider and the pricing table from the configuration. */
@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

    @Bean
    LocalProvider localProvider(GatewayProperties properties) {
        GatewayProperties.Local local = properties.local();
        return new LocalProvider(local.latency(), local.failureRate(), local.seed());
    }

    /** One circuit breaker per provider, created by the gateway on first use. */
    @Bean
    CircuitBreakerRegistry circuitBreakers() {
        return CircuitBreakerRegistry.ofDefaults();
    }

    @Bean
    Pricing pricing(GatewayProperties properties) {
        String file = properties.pricingFile();
        return Pricing.load(file == null || file.isBlank() ? null : Path.of(file));
    }
}
