package dev.promptforge.eval.provider;

import static java.util.Objects.requireNonNull;

import dev.promptforge.eval.EvalProvider;
import dev.promptforge.eval.Message;
import dev.promptforge.eval.ProviderRequest;
import dev.promptforge.eval.ProviderResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A suite provider run by a PromptForge server's gateway: the suite's rendered messages go to {@code
 * POST /api/v1/prompt/execute} as inline messages for one of the server's models, tagged with the run
 * id, so each call becomes one of the server's records. Never cached: a cached answer would leave no
 * record.
 */
final class ServerModelProvider implements EvalProvider {

    private final String id;
    private final String model;
    private final Map<String, Object> parameters;
    private final String project;
    private final String runId;
    private final ExecuteApi api;

    ServerModelProvider(
            String id, String model, Map<String, Object> parameters, String project, String runId, ExecuteApi api) {
        this.id = requireNonNull(id, "id");
        this.model = requireNonNull(model, "model");
        this.parameters = new LinkedHashMap<>(parameters);
        this.project = requireNonNull(project, "project");
        this.runId = requireNonNull(runId, "runId");
        this.api = requireNonNull(api, "api");
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean cacheable() {
        return false;
    }

    @Override
    public Map<String, Object> cacheIdentity() {
        return Map.of("id", id, "url", api.endpoint().toString(), "model", model, "parameters", parameters);
    }

    @Override
    public ProviderResponse call(ProviderRequest request) {
        List<Map<String, String>> messages = new ArrayList<>();
        for (Message message : request.messages()) {
            messages.add(Map.of("role", message.role(), "content", message.content()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("project", project);
        body.put("model", model);
        body.put("messages", messages);
        if (!parameters.isEmpty()) {
            body.put("parameters", parameters);
        }
        body.put("runId", runId);
        return api.execute(body);
    }
}
