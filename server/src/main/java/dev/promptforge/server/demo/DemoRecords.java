package dev.promptforge.server.demo;

import dev.promptforge.server.evaluation.EvaluatorConfigs;
import dev.promptforge.server.evaluation.EvaluatorSpec;
import dev.promptforge.server.gateway.ChatMessage;
import dev.promptforge.server.gateway.ChatOptions;
import dev.promptforge.server.gateway.Gateway;
import dev.promptforge.server.records.Records;
import dev.promptforge.server.registry.Project;
import dev.promptforge.server.registry.PromptRegistry;
import dev.promptforge.server.registry.PromptVersion;
import dev.promptforge.server.registry.RenderedPrompt;
import dev.promptforge.server.shared.Ids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The demo project's records: a few hundred executions of its prompts through the real gateway
 * (the offline {@code local} models, PII protection, pricing, the project's evaluators), spread over
 * the last three days, with some human feedback — so the dashboard has something to show on a first
 * start. The calls run now; their times are then set back in the order they ran, so a record's id
 * and time still grow together.
 */
@Component
class DemoRecords {

    static final int COUNT = 300;
    static final Duration SPAN = Duration.ofDays(3);
    private static final Logger log = LoggerFactory.getLogger(DemoRecords.class);

    private final Gateway gateway;
    private final PromptRegistry registry;
    private final EvaluatorConfigs evaluators;
    private final Records records;
    private final Clock clock;

    DemoRecords(Gateway gateway, PromptRegistry registry, EvaluatorConfigs evaluators, Records records, Clock clock) {
        this.gateway = gateway;
        this.registry = registry;
        this.evaluators = evaluators;
        this.records = records;
        this.clock = clock;
    }

    private static final String[] BANKS = {"Northwind Bank", "Contoso Savings", "Fabrikam Credit Union"};
    private static final String POLICY = "Wire transfers cost 5 dollars and arrive the next business day."
            + " Card replacement is free for premium accounts and costs 10 dollars otherwise."
            + " Branches open at nine and close at five on weekdays. Disputes must be filed within 60 days.";
    private static final String[] QUESTIONS = {
        "How much does a wire transfer cost?",
        "When do branches open?",
        "Is card replacement free?",
        "How long do I have to dispute a charge?",
        "Hi, I'm Maria Garcia (maria.garcia@example.com). My card was stolen, what do I do?",
        "Can you call me at +1 415 555 0132 about my transfer?",
        "When does a wire transfer arrive?",
        "Do you open on Sundays?"
    };
    private static final String[] NAMES = {"Maria Garcia", "John Smith", "Aiko Tanaka", "Lars Olsen", "Fatima Khan"};
    private static final String[] CLAIMS = {
        "My car was rear-ended at a stop light on Main Street.",
        "A pipe burst in the kitchen and flooded the ground floor.",
        "I broke my arm skiing and needed surgery abroad.",
        "My luggage was lost on a flight to Lisbon.",
        "Hail damaged the roof of my house."
    };

    void generate() {
        long started = System.nanoTime();
        Project project = registry.project(DemoData.PROJECT);
        configureEvaluators();
        RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
        List<String> ids = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            int pick = random.nextInt(100);
            try {
                if (pick < 45) {
                    ids.add(run(
                            project,
                            "customer-support",
                            pick < 15 ? 1 : 2,
                            Map.of(
                                    "bank_name", BANKS[random.nextInt(BANKS.length)],
                                    "context", POLICY,
                                    "question", QUESTIONS[random.nextInt(QUESTIONS.length)])));
                } else if (pick < 65) {
                    String name = NAMES[random.nextInt(NAMES.length)];
                    ids.add(run(
                            project,
                            "statement-summary",
                            1,
                            Map.of(
                                    "customer_name",
                                    name,
                                    "statement",
                                    "Opening balance 1,200.00. Salary +3,100.00. Rent -1,450.00. Groceries -312.40."
                                            + " Card payment to Lisbon Air -640.00. Closing balance 1,897.60.")));
                } else if (pick < 80) {
                    String name = NAMES[random.nextInt(NAMES.length)];
                    ids.add(run(
                            project,
                            "kyc-extract",
                            1,
                            Map.of(
                                    "note",
                                    "Met " + name + ", born 1984-03-" + (10 + random.nextInt(18))
                                            + ", resident of Portugal, passport checked, email "
                                            + name.toLowerCase().replace(' ', '.')
                                            + "@example.com.")));
                } else {
                    ids.add(run(
                            project,
                            "claims-triage",
                            1,
                            Map.of(
                                    "claim",
                                    CLAIMS[random.nextInt(CLAIMS.length)],
                                    "policy_number",
                                    "PN-" + (100000 + random.nextInt(900000)))));
                }
            } catch (RuntimeException e) {
                log.warn("A demo execution failed: {}", e.getMessage());
            }
        }
        spreadOverTime(project.id(), ids, random);
        annotate(ids, random);
        log.info(
                "First start: executed {} demo records through the gateway in {} ms",
                ids.size(),
                (System.nanoTime() - started) / 1_000_000);
    }

    private void configureEvaluators() {
        evaluators.put(
                DemoData.PROJECT,
                null,
                null,
                List.of(
                        new EvaluatorSpec("pii-leak", null, null, null, null),
                        new EvaluatorSpec("answer-relevance-lexical", null, 0.5, "relevance", null)));
        evaluators.put(
                DemoData.PROJECT,
                "kyc-extract",
                null,
                List.of(
                        new EvaluatorSpec("is-json", null, null, "valid-json", null),
                        new EvaluatorSpec("pii-leak", null, null, null, null)));
        evaluators.put(
                DemoData.PROJECT,
                "claims-triage",
                null,
                List.of(
                        new EvaluatorSpec(
                                "icontains-any",
                                List.of("auto", "home", "health", "travel"),
                                null,
                                "has-category",
                                null),
                        new EvaluatorSpec("word-count", Map.of("max", 40), null, "short", null)));
    }

    private String run(Project project, String prompt, int number, Map<String, Object> variables) {
        PromptVersion version = registry.version(project.name(), prompt, number);
        RenderedPrompt rendered = registry.render(version, variables);
        List<ChatMessage> messages = rendered.messages().stream()
                .map(m -> ChatMessage.of(m.role(), m.content()))
                .toList();
        Gateway.Call call = new Gateway.Call(
                Ids.newId(clock),
                project.id(),
                version.prompt(),
                version.version(),
                "execute",
                List.of(version.model()),
                messages,
                ChatOptions.DEFAULTS,
                Map.of(),
                null,
                null,
                null,
                null);
        return gateway.execute(call).recordId();
    }

    /** Sets the records' times back over the last days, oldest first, keeping their order. */
    private void spreadOverTime(String projectId, List<String> ids, RandomGenerator random) {
        long now = clock.millis();
        long start = now - SPAN.toMillis();
        long step = SPAN.toMillis() / Math.max(1, ids.size());
        // In id order (two records of one millisecond may have ids in either order), so ids and
        // times still grow together.
        List<String> ordered = ids.stream().sorted().toList();
        Map<String, Instant> times = new java.util.LinkedHashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
            times.put(ordered.get(i), Instant.ofEpochMilli(start + i * step + random.nextLong(Math.max(1, step / 2))));
        }
        records.backdate(projectId, times);
    }

    /** A reviewer's thumbs on some records, so the leaderboard shows human scores too. */
    private void annotate(List<String> ids, RandomGenerator random) {
        for (int i = 0; i < ids.size(); i += 7) {
            boolean up = random.nextInt(100) < 70;
            records.addFeedback(
                    ids.get(i),
                    "human",
                    up ? 1.0 : 0.0,
                    null,
                    up ? "Answers the question" : "Misses what the customer asked",
                    "human",
                    null,
                    "demo-reviewer");
        }
    }
}
