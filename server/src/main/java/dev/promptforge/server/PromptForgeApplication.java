package dev.promptforge.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The PromptForge server: registry, gateway, records, dashboard, lab, security and audit. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PromptForgeApplication {

    public static void main(String[] args) {
        SpringApplication.run(PromptForgeApplication.class, args);
    }
}
