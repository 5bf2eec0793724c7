package dev.promptforge.server.demo;

import dev.promptforge.server.registry.PromptMessage;
import dev.promptforge.server.registry.PromptRegistry;
import dev.promptforge.server.registry.RegistryRequests.NewProject;
import dev.promptforge.server.registry.RegistryRequests.NewPrompt;
import dev.promptforge.server.registry.RegistryRequests.NewVersion;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * On the first start of an empty installation, creates the project {@code demo} with a few banking
 * and insurance prompts, several versions and labels, through the registry's own API, and then
 * (unless {@code promptforge.demo.records} is false) a few hundred records ({@link DemoRecords}).
 */
@Component
class DemoData implements SmartInitializingSingleton {

    static final String PROJECT = "demo";
    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    private final PromptRegistry registry;
    private final DemoProperties properties;
    private final DemoRecords records;
    private volatile boolean seeded;

    DemoData(PromptRegistry registry, DemoProperties properties, DemoRecords records) {
        this.registry = registry;
        this.properties = properties;
        this.records = records;
    }

    /**
     * Once the server is up (the gateway and the record writer running), executes the demo records
     * in the background, so the first start is not slower for them.
     */
    @EventListener(ApplicationReadyEvent.class)
    void executeDemoRecords() {
        if (seeded && properties.records()) {
            Thread.ofVirtual().name("demo-records").start(() -> {
                try {
                    records.generate();
                } catch (RuntimeException e) {
                    log.warn("Could not execute the demo records", e);
                }
            });
        }
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (!properties.enabled() || !registry.projects(null, 1).items().isEmpty()) {
            return;
        }
        registry.createProject(new NewProject(PROJECT, "Demo project: banking and insurance assistants"));
        seedSupport();
        seedStatementSummary();
        seedKyc();
        seedClaims();
        seeded = true;
        log.info("First start: seeded the demo project '{}'", PROJECT);
    }

    private void seedSupport() {
        prompt("customer-support", "Answers customer questions from the bank's policy excerpts", "support", "banking");
        version(
                "customer-support",
                null,
                List.of(
                        new PromptMessage("system", "You are a support assistant for {{bank_name}}."),
                        new PromptMessage("user", "Policy:\n{{context}}\n\nQuestion: {{question}}")),
                "local/extractive",
                Map.of("temperature", 0.2),
                List.of("bank_name", "context", "question"),
                "First version");
        version(
                "customer-support",
                null,
                List.of(
                        new PromptMessage(
                                "system",
                                "You are a support assistant for {{bank_name}}. Answer only from the policy"
                                        + " excerpt; if it does not say, answer that you do not know."),
                        new PromptMessage("user", "Policy:\n{{context}}\n\nQuestion: {{question}}")),
                "local/extractive",
                Map.of("temperature", 0.0, "max_tokens", 300),
                List.of("bank_name", "context", "question"),
                "Ground answers in the policy and lower the temperature");
        registry.moveLabel(PROJECT, "customer-support", "production", 1);
        registry.moveLabel(PROJECT, "customer-support", "staging", 2);
        registry.moveLabel(PROJECT, "customer-support", "production", 2);
    }

    private void seedStatementSummary() {
        prompt("statement-summary", "Summarizes an account statement for the customer", "summarization", "banking");
        version(
                "statement-summary",
                "Summarize this account statement for {{customer_name}} in three short bullet points:\n\n{{statement}}",
                null,
                "local/echo",
                Map.of("max_tokens", 200),
                List.of("customer_name", "statement"),
                "First version");
        registry.moveLabel(PROJECT, "statement-summary", "production", 1);
    }

    private void seedKyc() {
        prompt("kyc-extract", "Extracts identity fields from a KYC note as JSON", "compliance", "extraction");
        version(
                "kyc-extract",
                "Extract the customer's full name, date of birth and country from this KYC note."
                        + " Answer as JSON with the keys name, dob and country.\n\nNote: {{note}}",
                null,
                "local/extractive",
                Map.of("temperature", 0),
                List.of("note"),
                "First version");
        registry.moveLabel(PROJECT, "kyc-extract", "production", 1);
    }

    private void seedClaims() {
        prompt("claims-triage", "Routes an insurance claim to the right team", "insurance", "classification");
        version(
                "claims-triage",
                "Classify this insurance claim as one of: auto, home, health, travel.\n"
                        + "{{#policy_number}}Policy: {{policy_number}}\n{{/policy_number}}Claim: {{claim}}",
                null,
                "local/extractive",
                Map.of("temperature", 0),
                List.of("claim", "policy_number"),
                "First version");
        registry.moveLabel(PROJECT, "claims-triage", "staging", 1);
    }

    private void prompt(String name, String description, String... tags) {
        registry.createPrompt(PROJECT, new NewPrompt(name, description, List.of(tags)));
    }

    private void version(
            String prompt,
            String template,
            List<PromptMessage> messages,
            String model,
            Map<String, Object> parameters,
            List<String> variables,
            String message) {
        registry.createVersion(
                PROJECT, prompt, new NewVersion(template, messages, model, parameters, variables, message));
    }
}
