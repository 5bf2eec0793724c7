package dev.promptforge.server.records;

import dev.promptforge.server.registry.Project;
import dev.promptforge.server.registry.PromptRegistry;
import dev.promptforge.server.security.Permission;
import dev.promptforge.server.security.ProjectAccess;
import dev.promptforge.server.shared.Actors;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/records}: every execution, newest first, and its feedback. */
@RestController
@RequestMapping("/api/v1/records")
@Tag(name = "Records", description = "Executions with latency, tokens, cost and feedback")
class RecordsController {

    private final Records records;
    private final PromptRegistry registry;
    private final ProjectAccess access;

    RecordsController(Records records, PromptRegistry registry, ProjectAccess access) {
        this.records = records;
        this.registry = registry;
        this.access = access;
    }

    private void authorize(String project, Permission permission) {
        Project p = registry.project(project);
        access.require(p.id(), p.name(), permission);
    }

    /** A record of another project is answered like one that does not exist. */
    private RecordView visible(String id, Permission permission) {
        RecordView view = records.get(id);
        Project p = registry.project(view.project());
        try {
            access.require(p.id(), p.name(), permission);
        } catch (ApiException e) {
            if (e.status().value() == 404) {
                throw ApiException.notFound(
                        "Record '" + dev.promptforge.server.shared.Validation.abbreviate(id) + "' does not exist.");
            }
            throw e;
        }
        return view;
    }

    @GetMapping
    @Operation(
            summary = "List records, newest first; filter by project, prompt, version, model, status, time, run id,"
                    + " text (q, in the anonymized input and output) and feedback score range")
    Page<RecordView> list(
            @RequestParam(required = false) @Nullable String project,
            @RequestParam(required = false) @Nullable String prompt,
            @RequestParam(required = false) @Nullable Integer version,
            @RequestParam(required = false) @Nullable String model,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to,
            @RequestParam(required = false) @Nullable String run,
            @RequestParam(required = false) @Nullable String q,
            @RequestParam(required = false) @Nullable String feedback,
            @RequestParam(required = false) @Nullable Double minScore,
            @RequestParam(required = false) @Nullable Double maxScore,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(required = false) @Nullable Integer limit) {
        if (project == null && !access.isServerWide()) {
            // A project key lists its own project's records; it cannot list across projects.
            project = access.boundProjectName()
                    .orElseThrow(() -> ApiException.badRequest(
                            "Parameter 'project' is required: name the project whose records to list."));
        }
        if (project != null) {
            authorize(project, Permission.READ);
        }
        return records.list(
                new Records.Filter(
                        project,
                        prompt,
                        version,
                        model,
                        status,
                        instant(from, "from"),
                        instant(to, "to"),
                        run,
                        q,
                        feedback,
                        minScore,
                        maxScore),
                cursor,
                limit);
    }

    @GetMapping("/{id}")
    RecordView get(@PathVariable String id) {
        return visible(id, Permission.READ);
    }

    record NewFeedback(
            @Nullable String name,
            @Nullable Double value,
            @Nullable String reason,
            @Nullable String source) {}

    @PostMapping("/{id}/feedback")
    @Operation(summary = "Add a feedback score (0..1) to a record; source defaults to human")
    ResponseEntity<RecordView.Feedback> feedback(@PathVariable String id, @RequestBody NewFeedback body) {
        visible(id, Permission.WRITE);
        if (body.name() == null || body.name().isBlank() || body.name().length() > 100) {
            throw ApiException.unprocessable("name: is required (at most 100 characters), e.g. \"helpfulness\"");
        }
        if (body.value() == null
                || body.value() < 0
                || body.value() > 1
                || body.value().isNaN()) {
            throw ApiException.unprocessable("value: must be a number from 0 to 1");
        }
        String source = body.source() == null ? "human" : body.source();
        return ResponseEntity.status(201)
                .body(records.addFeedback(
                        id, body.name(), body.value(), null, body.reason(), source, null, Actors.current()));
    }

    private static @Nullable Instant instant(@Nullable String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("Parameter '" + name + "' must be an ISO-8601 instant such as"
                    + " 2026-11-22T10:00:00Z, got '" + value + "'.");
        }
    }
}
