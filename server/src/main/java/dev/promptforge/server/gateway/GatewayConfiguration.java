package dev.promptforge.server.gateway;

import dev.promptforge.server.gateway.provider.local.LocalProvider;
import dev.promptforge.server.limits.RateLimiter;
import dev.promptforge.server.privacy.Subjects;
import dev.promptforge.server.registry.PromptRegistry;
import dev.promptforge.server.security.ApiKeyAuthenticator;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
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

    /** The proxy's hot path, {@code POST /v1/chat/completions}, answered by the first filter. */
    @Bean
    FilterRegistrationBean<ChatCompletionsEndpoint> chatCompletionsEndpoint(
            Gateway gateway,
            PromptRegistry registry,
            GatewayProperties properties,
            ApiKeyAuthenticator keys,
            Clock clock,
            MeterRegistry meters,
            RateLimiter limiter,
            Subjects subjects,
            @Value("${promptforge.http.max-body-size:1MB}") DataSize maxBodySize) {
        var registration = new FilterRegistrationBean<>(new ChatCompletionsEndpoint(
                gateway, registry, properties, keys, clock, maxBodySize.toBytes(), meters, limiter, subjects));
        registration.addUrlPatterns(ChatCompletionsEndpoint.PATH);
        registration.setName("chatCompletionsEndpoint");
        // Right after the security headers filter, which is the first.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    Pricing pricing(GatewayProperties properties) {
        String file = properties.pricingFile();
        return Pricing.load(file == null || file.isBlank() ? null : Path.of(file));
    }
}
