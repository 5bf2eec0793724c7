package dev.promptforge.server.privacy;

import dev.promptforge.server.records.Records;
import dev.promptforge.server.registry.AuthorizedProjects;
import dev.promptforge.server.registry.Project;
import dev.promptforge.server.security.Permission;
import dev.promptforge.server.shared.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Erasure of an end user's data, and how long a project keeps its records. */
@RestController
@Tag(name = "Data protection", description = "Subject deletion and record retention")
class SubjectsController {

    /** The longest retention accepted, 100 years. */
    static final int MAX_DAYS = 36_500;

    record RetentionBody(@Nullable Integer days) {}

    record DeletedView(int deletedRecords, int deletedFeedback) {}

    private final Subjects subjects;
    private final Retention retention;
    private final AuthorizedProjects projects;

    SubjectsController(Subjects subjects, Retention retention, AuthorizedProjects projects) {
        this.subjects = subjects;
        this.retention = retention;
        this.projects = projects;
    }

    @DeleteMapping("/api/v1/projects/{project}/subjects/{subject}")
    @Operation(summary = "Delete an end user's records and their feedback (the audit log keeps that it happened)")
    DeletedView deleteSubject(@PathVariable String project, @PathVariable String subject) {
        Records.Deleted deleted = subjects.delete(projects.require(project, Permission.MANAGE_POLICIES), subject);
        return new DeletedView(deleted.records(), deleted.feedback());
    }

    @GetMapping("/api/v1/projects/{project}/retention")
    @Operation(summary = "How many days the project keeps records (null: forever)")
    Map<String, @Nullable Integer> retention(@PathVariable String project) {
        Map<String, @Nullable Integer> body = new HashMap<>();
        body.put(
                "days",
                retention.days(projects.require(project, Permission.READ).id()).orElse(null));
        return body;
    }

    @PutMapping("/api/v1/projects/{project}/retention")
    @Operation(summary = "Keep the project's records this many days (null: forever); older ones are purged hourly")
    Map<String, @Nullable Integer> setRetention(@PathVariable String project, @RequestBody RetentionBody body) {
        Project p = projects.require(project, Permission.MANAGE_POLICIES);
        Integer days = body == null ? null : body.days();
        if (days != null && (days < 1 || days > MAX_DAYS)) {
            throw ApiException.invalid(
                    List.of(new ApiException.FieldError("days", "must be from 1 to " + MAX_DAYS + ", or null")));
        }
        retention.save(p, days);
        Map<String, @Nullable Integer> saved = new HashMap<>();
        saved.put("days", days);
        return saved;
    }
}
