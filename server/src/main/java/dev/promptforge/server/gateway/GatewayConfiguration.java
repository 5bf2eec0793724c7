package dev.promptforge.server.gateway;

import dev.promptforge.server.gateway.provider.local.LocalProvider;
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

    @Bean
    Pricing pricing(GatewayProperties properties) {
        String file = properties.pricingFile();
        return Pricing.load(file == null || file.isBlank() ? null : Path.of(file));
    }
}
