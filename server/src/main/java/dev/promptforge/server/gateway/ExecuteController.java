package dev.promptforge.server.gateway;

import dev.promptforge.server.privacy.Subjects;
import dev.promptforge.server.registry.Project;
import dev.promptforge.server.registry.PromptMessage;
import dev.promptforge.server.registry.PromptRegistry;
import dev.promptforge.server.registry.PromptVersion;
import dev.promptforge.server.registry.RenderedPrompt;
import dev.promptforge.server.security.ApiKeyPrincipal;
import dev.promptforge.server.security.Permission;
import dev.promptforge.server.security.ProjectAccess;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Ids;
import dev.promptforge.server.shared.Validation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/prompt/execute}: run a registry prompt (or inline messages) through the gateway. */
@RestController
@Tag(name = "Execution", description = "Run prompts through the gateway")
class ExecuteController {

    record ExecuteRequest(
            @Nullable String project,
            @Nullable String prompt,
            @Nullable String label,
            @Nullable Integer version,
            @Nullable Map<String, Object> variables,
            @Nullable String model,
            @Nullable Map<String, Object> parameters,
            @Nullable List<PromptMessage> messages,
            @Nullable List<String> fallbackModels,
            @Nullable String runId,
            @Nullable String subject) {}

    record UsageView(int inputTokens, int outputTokens, boolean estimated) {}

    record ExecuteResponse(
            String output,
            String recordId,
            String model,
            @Nullable String prompt,
            @Nullable Integer version,
            double latencyMs,
            UsageView usage,
            @Nullable Double cost,
            @Nullable String finishReason,
            int attempts,
            @Nullable String runId) {}

    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    private final Gateway gateway;
    private final PromptRegistry registry;
    private final ProjectAccess access;
    private final Clock clock;
    private final Subjects subjects;

    ExecuteController(Gateway gateway, PromptRegistry registry, ProjectAccess access, Clock clock, Subjects subjects) {
        this.gateway = gateway;
        this.registry = registry;
        this.access = access;
        this.clock = clock;
        this.subjects = subjects;
    }

    @PostMapping("/api/v1/prompt/execute")
    @Operation(summary = "Execute a prompt version (by label, default production, or number) or inline messages")
    ExecuteResponse execute(
            @RequestBody ExecuteRequest request,
            @RequestHeader(name = ChatCompletionsEndpoint.SUBJECT_HEADER, required = false) @Nullable
                    String subjectHeader) {
        if (request == null) {
            throw ApiException.badRequest("The request body must be a JSON object.");
        }
        if (request.project() == null || request.project().isBlank()) {
            throw ApiException.invalid(List.of(new ApiException.FieldError("project", "is required")));
        }
        String runId = runId(request.runId());
        Project project = registry.project(request.project());
        access.require(project.id(), project.name(), Permission.EXECUTE);
        ApiKeyPrincipal key = ApiKeyPrincipal.current().orElse(null);
        String subject = subjects.hash(
                project.id(),
                request.subject() != null ? request.subject() : subjectHeader,
                request.subject() != null ? "subject" : ChatCompletionsEndpoint.SUBJECT_HEADER);
        Gateway.Call call;
        if (request.prompt() != null) {
            if (request.messages() != null) {
                throw ApiException.unprocessable(
                        "Give either \"prompt\" (a registry prompt) or \"messages\", not both.");
            }
            PromptVersion version =
                    registry.resolve(project.name(), request.prompt(), request.version(), request.label());
            RenderedPrompt rendered =
                    registry.render(version, request.variables() == null ? Map.of() : request.variables());
            Map<String, Object> parameters = new LinkedHashMap<>(version.parameters());
            if (request.parameters() != null) {
                parameters.putAll(request.parameters());
            }
            call = call(
                    project,
                    version.prompt(),
                    version.version(),
                    request.model() == null ? version.model() : request.model(),
                    toChat(rendered.messages()),
                    parameters,
                    request.fallbackModels(),
                    key,
                    runId,
                    subject);
        } else {
            if (request.messages() == null || request.messages().isEmpty() || request.model() == null) {
                throw ApiException.unprocessable(
                        "Name a registry \"prompt\", or give inline \"messages\" and a \"model\".");
            }
            List<ChatMessage> messages = new ArrayList<>();
            for (int i = 0; i < request.messages().size(); i++) {
                PromptMessage m = request.messages().get(i);
                if (m == null || m.role() == null || !ChatMessage.ROLES.contains(m.role()) || m.content() == null) {
                    throw ApiException.unprocessable(
                            "messages[" + i + "]: needs a role (system, user, assistant) and content");
                }
                messages.add(ChatMessage.of(m.role(), m.content()));
            }
            call = call(
                    project,
                    null,
                    null,
                    request.model(),
                    messages,
                    request.parameters() == null ? Map.of() : request.parameters(),
                    request.fallbackModels(),
                    key,
                    runId,
                    subject);
        }
        Gateway.Outcome outcome = gateway.execute(call);
        return new ExecuteResponse(
                outcome.response().text(),
                outcome.recordId(),
                outcome.model(),
                call.promptName(),
                call.promptVersion(),
                outcome.latencyMs(),
                new UsageView(
                        outcome.usage().inputTokens(),
                        outcome.usage().outputTokens(),
                        outcome.usage().estimated()),
                outcome.cost(),
                outcome.response().finishReason(),
                outcome.attempts(),
                runId);
    }

    /** A run id tags the records of one evaluation run: 1 to 100 letters, digits, '.', '_', ':' or '-'. */
    private static @Nullable String runId(@Nullable String runId) {
        if (runId == null) {
            return null;
        }
        if (!RUN_ID.matcher(runId).matches()) {
            throw ApiException.invalid(List.of(new ApiException.FieldError(
                    "runId", "must be 1 to 100 letters, digits, '.', '_', ':' or '-', e.g. \"eval-20261122-1a2b\"")));
        }
        return runId;
    }

    private Gateway.Call call(
            Project project,
            @Nullable String prompt,
            @Nullable Integer version,
            String model,
            List<ChatMessage> messages,
            Map<String, Object> parameters,
            @Nullable List<String> fallbackModels,
            @Nullable ApiKeyPrincipal key,
            @Nullable String runId,
            @Nullable String subject) {
        ExecutionOptions options = ExecutionOptions.from(parameters);
        List<String> models = new ArrayList<>();
        models.add(model);
        models.addAll(fallbackModels != null ? fallbackModels : options.fallbacks());
        for (String m : models) {
            if (m == null || m.isBlank()) {
                throw ApiException.unprocessable("model: must not be empty");
            }
            if (m.length() > 250) {
                throw ApiException.unprocessable("model: '" + Validation.abbreviate(m) + "' is too long");
            }
        }
        gateway.validateModels(models);
        return new Gateway.Call(
                Ids.newId(clock),
                project.id(),
                prompt,
                version,
                "execute",
                models,
                messages,
                options.options(),
                options.passthrough(),
                key == null ? null : key.keyId(),
                runId,
                subject,
                null);
    }

    private static List<ChatMessage> toChat(List<PromptMessage> messages) {
        return messages.stream().map(m -> ChatMessage.of(m.role(), m.content())).toList();
    }
}
