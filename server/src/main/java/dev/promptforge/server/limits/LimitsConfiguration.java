package dev.promptforge.server.limits;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The injection detector (compiled once) and the scheduler that refreshes budgets and policies. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class LimitsConfiguration {

    @Bean
    InjectionDetector injectionDetector(@Value("${promptforge.injection.threshold:0.8}") double threshold) {
        return new InjectionDetector(threshold);
    }
}
