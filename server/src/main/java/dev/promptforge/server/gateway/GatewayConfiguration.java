package dev.promptforge.server.gateway;

import dev.promptforge.server.gateway.provider.local.LocalProvider;
import dev.promptforge.server.registry.PromptRegistry;
import dev.promptforge.server.security.ApiKeyAuthenticator;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
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

    /** The proxy's hot path, {@code POST /v1/chat/completions}, as a servlet of its own. */
    @Bean
    ServletRegistrationBean<ChatCompletionsServlet> chatCompletionsServlet(
            Gateway gateway,
            PromptRegistry registry,
            GatewayProperties properties,
            ApiKeyAuthenticator keys,
            Clock clock) {
        var registration = new ServletRegistrationBean<>(
                new ChatCompletionsServlet(gateway, registry, properties, keys, clock), ChatCompletionsServlet.PATH);
        registration.setName("chatCompletions");
        registration.setLoadOnStartup(1);
        return registration;
    }

    @Bean
    Pricing pricing(GatewayProperties properties) {
        String file = properties.pricingFile();
        return Pricing.load(file == null || file.isBlank() ? null : Path.of(file));
    }
}
