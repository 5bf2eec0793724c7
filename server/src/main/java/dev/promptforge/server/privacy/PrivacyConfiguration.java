package dev.promptforge.server.privacy;

import dev.promptforge.pii.PiiAnalyzer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One shared analyzer with every built-in recognizer (it is immutable and thread-safe). */
@Configuration(proxyBeanMethods = false)
class PrivacyConfiguration {

    @Bean
    PiiAnalyzer piiAnalyzer() {
        return PiiAnalyzer.withDefaults();
    }
}
