package dev.promptforge.server.lab.pipeline;

import dev.promptforge.eval.EvaluationException;
import dev.promptforge.eval.Judge;
import dev.promptforge.eval.Message;
import dev.promptforge.server.gateway.ChatMessage;
import dev.promptforge.server.gateway.Gateway;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Ids;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The judge of a pipeline's model-graded evaluators ({@code llm-rubric}, {@code factuality} …): a
 * gateway model at temperature 0, called through the one execution path, so its calls are records
 * tagged with the run like the rest.
 */
final class LabJudge implements Judge {

    private final Gateway gateway;
    private final String model;
    private final String projectId;
    private final @Nullable String apiKeyId;
    private final String runId;
    private final Clock clock;

    LabJudge(Gateway gateway, String model, String projectId, @Nullable String apiKeyId, String runId, Clock clock) {
        this.gateway = gateway;
        this.model = model;
        this.projectId = projectId;
        this.apiKeyId = apiKeyId;
        this.runId = runId;
        this.clock = clock;
    }

    @Override
    public String id() {
        return model;
    }

    @Override
    public String complete(List<Message> messages) {
        List<ChatMessage> chat = messages.stream()
                .map(m -> ChatMessage.of(m.role(), m.content()))
                .toList();
        try {
            return gateway.execute(Gateway.Call.of(
                            Ids.newId(clock),
                            projectId,
                            null,
                            null,
                            "pipeline",
                            model,
                            chat,
                            Map.of("temperature", 0.0),
                            apiKeyId,
                            runId))
                    .response()
                    .text();
        } catch (ApiException e) {
            throw new EvaluationException("The judge " + model + " failed: " + e.getMessage(), e);
        }
    }

    /** A judge for compiling (checking) assertions only; it is never asked. */
    static Judge placeholder(String model) {
        return new Judge() {
            @Override
            public String id() {
                return model;
            }

            @Override
            public String complete(List<Message> messages) {
                throw new EvaluationException("not a judge to ask");
            }
        };
    }
}
