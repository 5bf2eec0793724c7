package dev.promptforge.server.evaluation;

import dev.promptforge.server.registry.Project;
import dev.promptforge.server.registry.PromptRegistry;
import dev.promptforge.server.security.Permission;
import dev.promptforge.server.security.ProjectAccess;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The evaluators that score a project's records, or one prompt's. */
@RestController
@Tag(name = "Evaluators", description = "Evaluators that score records into feedback")
class EvaluatorsController {

    record EvaluatorsRequest(
            @Nullable String judge, @Nullable List<EvaluatorSpec> evaluators) {}

    private final EvaluatorConfigs configs;
    private final PromptRegistry registry;
    private final ProjectAccess access;

    EvaluatorsController(EvaluatorConfigs configs, PromptRegistry registry, ProjectAccess access) {
        this.configs = configs;
        this.registry = registry;
        this.access = access;
    }

    private void authorize(String project, Permission permission) {
        Project p = registry.project(project);
        access.require(p.id(), p.name(), permission);
    }

    @GetMapping("/api/v1/projects/{project}/evaluators")
    @Operation(summary = "The evaluators that score the project's records (revision 0: none set)")
    EvaluatorConfig projectEvaluators(@PathVariable String project) {
        authorize(project, Permission.READ);
        return configs.get(project, null);
    }

    @PutMapping("/api/v1/projects/{project}/evaluators")
    @Operation(summary = "Set the evaluators of the project's records: promptfoo assertions, and a judge model")
    EvaluatorConfig setProjectEvaluators(@PathVariable String project, @RequestBody EvaluatorsRequest request) {
        authorize(project, Permission.MANAGE_POLICIES);
        return configs.put(project, null, request.judge(), request.evaluators());
    }

    @GetMapping("/api/v1/projects/{project}/prompts/{prompt}/evaluators")
    @Operation(summary = "The evaluators of one prompt's records (they replace the project's)")
    EvaluatorConfig promptEvaluators(@PathVariable String project, @PathVariable String prompt) {
        authorize(project, Permission.READ);
        return configs.get(project, prompt);
    }

    @PutMapping("/api/v1/projects/{project}/prompts/{prompt}/evaluators")
    @Operation(summary = "Set the evaluators of one prompt's records, replacing the project's for them")
    EvaluatorConfig setPromptEvaluators(
            @PathVariable String project, @PathVariable String prompt, @RequestBody EvaluatorsRequest request) {
        authorize(project, Permission.MANAGE_POLICIES);
        return configs.put(project, prompt, request.judge(), request.evaluators());
    }
}
