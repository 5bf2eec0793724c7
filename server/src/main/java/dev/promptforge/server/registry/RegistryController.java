package dev.promptforge.server.registry;

import dev.promptforge.server.registry.RegistryRequests.MoveLabel;
import dev.promptforge.server.registry.RegistryRequests.NewProject;
import dev.promptforge.server.registry.RegistryRequests.NewPrompt;
import dev.promptforge.server.registry.RegistryRequests.NewVersion;
import dev.promptforge.server.registry.RegistryRequests.Render;
import dev.promptforge.server.security.Permission;
import dev.promptforge.server.security.ProjectAccess;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The registry's REST API under {@code /api/v1/projects}. */
@RestController
@RequestMapping("/api/v1/projects")
@Tag(name = "Registry", description = "Projects, prompts, versions and labels")
class RegistryController {

    private static final String PROMPT = "/{project}/prompts/{prompt}";
    private static final String PRODUCTION = "production";

    private final PromptRegistry registry;
    private final ProjectAccess access;
    private final AuthorizedProjects projects;

    RegistryController(PromptRegistry registry, ProjectAccess access, AuthorizedProjects projects) {
        this.registry = registry;
        this.access = access;
        this.projects = projects;
    }

    @PostMapping
    @Operation(summary = "Create a project (its name is a slug used in URLs)")
    ResponseEntity<Project> createProject(@RequestBody NewProject request) {
        access.requireServerAdmin();
        Project project = registry.createProject(request);
        return ResponseEntity.created(URI.create("/api/v1/projects/" + project.name()))
                .body(project);
    }

    @GetMapping
    @Operation(summary = "List projects by name")
    Page<Project> projects(
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(required = false) @Nullable Integer limit) {
        if (access.isServerWide()) {
            return registry.projects(cursor, limit);
        }
        // A project key sees its own project only.
        return new Page<>(
                access.boundProjectName().map(registry::project).filter(p -> access.canRead(p.id())).stream()
                        .toList(),
                null);
    }

    @GetMapping("/{project}")
    Project project(@PathVariable String project) {
        return projects.require(project, Permission.READ);
    }

    @DeleteMapping("/{project}")
    @Operation(summary = "Delete a project with its prompts, records, policies, members and keys (owners)")
    ResponseEntity<Void> deleteProject(@PathVariable String project) {
        Project p = projects.require(project, Permission.DELETE_PROJECT);
        registry.deleteProject(p);
        access.projectDeleted(p.id());
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{project}/prompts")
    @Operation(summary = "Create a prompt in a project")
    ResponseEntity<Prompt> createPrompt(@PathVariable String project, @RequestBody NewPrompt request) {
        projects.require(project, Permission.WRITE);
        Prompt prompt = registry.createPrompt(project, request);
        return ResponseEntity.created(URI.create("/api/v1/projects/" + project + "/prompts/" + prompt.name()))
                .body(prompt);
    }

    @GetMapping("/{project}/prompts")
    @Operation(summary = "List prompts, optionally by tag or text; archived ones only with archived=true")
    Page<Prompt> prompts(
            @PathVariable String project,
            @RequestParam(required = false) @Nullable String tag,
            @RequestParam(required = false) @Nullable String q,
            @RequestParam(defaultValue = "false") boolean archived,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(required = false) @Nullable Integer limit) {
        projects.require(project, Permission.READ);
        return registry.prompts(project, tag, q, archived, cursor, limit);
    }

    @GetMapping(PROMPT)
    Prompt prompt(@PathVariable String project, @PathVariable String prompt) {
        projects.require(project, Permission.READ);
        return registry.prompt(project, prompt);
    }

    @PostMapping(PROMPT + "/archive")
    @Operation(summary = "Archive a prompt: it leaves listings and its versions and labels become read-only")
    Prompt archive(@PathVariable String project, @PathVariable String prompt) {
        projects.require(project, Permission.WRITE);
        return registry.archivePrompt(project, prompt);
    }

    @PostMapping(PROMPT + "/versions")
    @Operation(summary = "Create an immutable version (201), or get the latest back (200) when identical")
    ResponseEntity<PromptVersion> createVersion(
            @PathVariable String project, @PathVariable String prompt, @RequestBody NewVersion request) {
        projects.require(project, Permission.WRITE);
        PromptRegistry.VersionResult result = registry.createVersion(project, prompt, request);
        URI location = URI.create("/api/v1/projects/" + project + "/prompts/" + prompt + "/versions/"
                + result.version().version());
        return result.created()
                ? ResponseEntity.created(location).body(result.version())
                : ResponseEntity.ok().location(location).body(result.version());
    }

    @GetMapping(PROMPT + "/versions")
    @Operation(summary = "List versions, newest first")
    Page<PromptVersion> versions(
            @PathVariable String project,
            @PathVariable String prompt,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(required = false) @Nullable Integer limit) {
        projects.require(project, Permission.READ);
        return registry.versions(project, prompt, cursor, limit);
    }

    @GetMapping(PROMPT + "/versions/{version}")
    PromptVersion version(@PathVariable String project, @PathVariable String prompt, @PathVariable int version) {
        projects.require(project, Permission.READ);
        return registry.version(project, prompt, version);
    }

    @GetMapping(PROMPT + "/diff")
    @Operation(summary = "Line diff of the content and the changed model, parameters and variables")
    VersionDiff diff(
            @PathVariable String project, @PathVariable String prompt, @RequestParam int from, @RequestParam int to) {
        projects.require(project, Permission.READ);
        return registry.diff(project, prompt, from, to);
    }

    @PutMapping(PROMPT + "/labels/{label}")
    @Operation(summary = "Point a label (production, staging, any slug) at a version")
    Label moveLabel(
            @PathVariable String project,
            @PathVariable String prompt,
            @PathVariable String label,
            @RequestBody MoveLabel request) {
        projects.require(project, PRODUCTION.equals(label) ? Permission.MOVE_PRODUCTION : Permission.WRITE);
        return registry.moveLabel(project, prompt, label, request.version());
    }

    @GetMapping(PROMPT + "/labels")
    List<Label> labels(@PathVariable String project, @PathVariable String prompt) {
        projects.require(project, Permission.READ);
        return registry.labels(project, prompt);
    }

    @GetMapping(PROMPT + "/labels/{label}/history")
    @Operation(summary = "Every move of a label, newest first, with who and when")
    List<LabelMove> labelHistory(
            @PathVariable String project, @PathVariable String prompt, @PathVariable String label) {
        projects.require(project, Permission.READ);
        return registry.labelHistory(project, prompt, label);
    }

    @PostMapping(PROMPT + "/render")
    @Operation(summary = "Render a version (by number, or by label, default production) with variables")
    RenderedPrompt render(@PathVariable String project, @PathVariable String prompt, @RequestBody Render request) {
        projects.require(project, Permission.READ);
        Map<String, Object> variables = request.variables() == null ? Map.of() : request.variables();
        if (variables.size() > 1000) {
            throw ApiException.unprocessable("variables: at most 1000 variables");
        }
        PromptVersion version = registry.resolve(project, prompt, request.version(), request.label());
        return registry.render(version, variables);
    }
}
