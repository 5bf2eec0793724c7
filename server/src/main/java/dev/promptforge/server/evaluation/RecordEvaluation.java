package dev.promptforge.server.evaluation;

import dev.promptforge.eval.AssertionContext;
import dev.promptforge.eval.EvaluationException;
import dev.promptforge.eval.GradingResult;
import dev.promptforge.eval.ProviderResponse;
import dev.promptforge.eval.TokenUsage;
import dev.promptforge.server.records.ExecutionRecord;
import dev.promptforge.server.records.RecordScorer;
import dev.promptforge.server.records.Records;
import dev.promptforge.server.shared.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;

/**
 * Scores each successful record with the evaluators configured for its project or prompt:
 * deterministic ones inline (source {@code auto}, committed with the record), model-graded ones
 * after the commit on virtual threads, at most {@value #JUDGES_IN_FLIGHT} judge calls at once
 * (source {@code judge}). An evaluator that cannot grade a record (say, {@code perplexity} without
 * log probabilities, or a judge that fails) leaves no score and logs why; it never fails the
 * execution.
 *
 * <p>What the evaluators see: the output as stored (after PII anonymization), the input messages'
 * text as the prompt, latency, tokens, cost and finish reason; a record keeps no test variables.
 */
@Component
class RecordEvaluation implements RecordScorer, DisposableBean {

    static final int JUDGES_IN_FLIGHT = 8;
    static final int MAX_WAITING = 10_000;

    private static final Logger log = LoggerFactory.getLogger(RecordEvaluation.class);

    private final EvaluatorConfigs configs;
    private final Records records;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore judges = new Semaphore(JUDGES_IN_FLIGHT);
    private final AtomicInteger waiting = new AtomicInteger();

    RecordEvaluation(EvaluatorConfigs configs, Records records) {
        this.configs = configs;
        this.records = records;
    }

    @Override
    public List<Score> inline(ExecutionRecord record) {
        EvaluatorConfigs.Compiled compiled = scorable(record);
        if (compiled == null || compiled.inline().isEmpty()) {
            return List.of();
        }
        AssertionContext context = context(record);
        List<Score> scores = new ArrayList<>(compiled.inline().size());
        for (EvaluatorConfigs.Entry entry : compiled.inline()) {
            GradingResult result = grade(entry, context, record);
            if (result != null) {
                scores.add(new Score(
                        entry.name(),
                        clamp(result.score()),
                        result.pass(),
                        result.reason(),
                        "auto",
                        compiled.version()));
            }
        }
        return scores;
    }

    @Override
    public void committed(ExecutionRecord record) {
        EvaluatorConfigs.Compiled compiled = scorable(record);
        if (compiled == null || compiled.judged().isEmpty()) {
            return;
        }
        if (waiting.incrementAndGet() > MAX_WAITING) {
            waiting.decrementAndGet();
            log.warn(
                    "Record {} is not judged: {} records are already waiting for their judge",
                    record.id(),
                    MAX_WAITING);
            return;
        }
        executor.execute(() -> {
            try {
                judges.acquire();
                try {
                    judge(record, compiled);
                } finally {
                    judges.release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                waiting.decrementAndGet();
            }
        });
    }

    private void judge(ExecutionRecord record, EvaluatorConfigs.Compiled compiled) {
        AssertionContext context = context(record);
        for (EvaluatorConfigs.Entry entry : compiled.judged()) {
            GradingResult result = grade(entry, context, record);
            if (result != null) {
                records.addFeedback(
                        record.id(),
                        entry.name(),
                        clamp(result.score()),
                        result.pass(),
                        result.reason(),
                        "judge",
                        compiled.version(),
                        Records.EVALUATOR);
            }
        }
    }

    private EvaluatorConfigs.@Nullable Compiled scorable(ExecutionRecord record) {
        if (!ExecutionRecord.OK.equals(record.status()) || record.output() == null) {
            return null;
        }
        return configs.forRecord(record.projectId(), record.promptName());
    }

    private static @Nullable GradingResult grade(
            EvaluatorConfigs.Entry entry, AssertionContext context, ExecutionRecord record) {
        try {
            return entry.assertion().grade(context);
        } catch (EvaluationException e) {
            log.warn("Evaluator '{}' could not grade record {}: {}", entry.name(), record.id(), e.getMessage());
            return null;
        } catch (RuntimeException e) {
            log.warn("Evaluator '{}' failed on record {}", entry.name(), record.id(), e);
            return null;
        }
    }

    static AssertionContext context(ExecutionRecord record) {
        TokenUsage tokens = record.inputTokens() != null && record.outputTokens() != null
                ? new TokenUsage(record.inputTokens(), record.outputTokens(), record.tokensEstimated())
                : null;
        ProviderResponse response =
                new ProviderResponse(record.output(), record.finishReason(), tokens, record.cost(), null);
        return new AssertionContext(response, promptText(record.inputJson()), Map.of(), record.latencyMs(), false);
    }

    /** The input messages' contents, one after another. */
    private static String promptText(String inputJson) {
        try {
            List<Map<String, Object>> messages = Json.read(inputJson, new TypeReference<>() {});
            List<String> contents = new ArrayList<>();
            for (Map<String, Object> message : messages) {
                if (message.get("content") instanceof String content) {
                    contents.add(content);
                }
            }
            return String.join("\n\n", contents);
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static double clamp(double score) {
        return Double.isNaN(score) ? 0 : Math.max(0, Math.min(1, score));
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
