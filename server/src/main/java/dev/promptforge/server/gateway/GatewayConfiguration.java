package dev.promptforge.server.gateway;

import dev.promptforge.server.gateway.provider.local.LocalProvider;
import dev.promptforge.server.limits.RateLimiter;
import dev.promptforge.server.privacy.Subjects;
import dev.promptforge.server.registry.PromptRegistry;
import dev.promptforge.server.security.ApiKeyAuthenticator;
import dev.promptforge.server.shared.SecurityEvents;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;

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

    /**
     * The proxy's hot path, {@code POST /v1/chat/completions}, answered by the first filter (not in a
     * dashboard-only process).
     */
    @Bean
    @ConditionalOnProperty(name = "promptforge.dashboard.only", havingValue = "false", matchIfMissing = true)
    FilterRegistrationBean<ChatCompletionsEndpoint> chatCompletionsEndpoint(
            Gateway gateway,
            PromptRegistry registry,
            GatewayProperties properties,
            ApiKeyAuthenticator keys,
            Clock clock,
            MeterRegistry meters,
            RateLimiter limiter,
            Subjects subjects,
            SecurityEvents events,
            @Value("${promptforge.http.max-body-size:1MB}") DataSize maxBodySize) {
        var registration = new FilterRegistrationBean<>(new ChatCompletionsEndpoint(
                gateway, registry, properties, keys, clock, maxBodySize.toBytes(), meters, limiter, subjects, events));
        registration.addUrlPatterns(ChatCompletionsEndpoint.PATH);
        registration.setName("chatCompletionsEndpoint");
        // First, ahead of the HTTP server observation, the correlation filter and Spring Security's
        // chain (it does their part itself); it applies the security headers itself too, so its
        // place next to the security headers filter, also first, does not matter.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    Pricing pricing(GatewayProperties properties) {
        String file = properties.pricingFile();
        return Pricing.load(file == null || file.isBlank() ? null : Path.of(file));
    }
}
