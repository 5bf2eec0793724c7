package dev.promptforge.server.privacy;

import dev.promptforge.pii.AnalysisOptions;
import dev.promptforge.pii.Anonymized;
import dev.promptforge.pii.AnonymizedItem;
import dev.promptforge.pii.PiiAnalyzer;
import dev.promptforge.pii.PiiEntity;
import dev.promptforge.pii.PiiException;
import dev.promptforge.pii.PiiPolicy;
import dev.promptforge.pii.PiiVault;
import dev.promptforge.server.registry.Project;
import dev.promptforge.server.registry.PromptRegistry;
import dev.promptforge.server.security.Permission;
import dev.promptforge.server.security.ProjectAccess;
import dev.promptforge.server.shared.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** PII policies per project, and the analyze / anonymize playground. */
@RestController
@Tag(name = "PII", description = "Detect and anonymize personal data; per-project policies")
class PrivacyController {

    static final int MAX_TEXT = 1_000_000;

    private final PiiAnalyzer analyzer;
    private final PiiPolicies policies;
    private final PrivacyGuard guard;
    private final PromptRegistry registry;
    private final ProjectAccess access;

    PrivacyController(
            PiiAnalyzer analyzer,
            PiiPolicies policies,
            PrivacyGuard guard,
            PromptRegistry registry,
            ProjectAccess access) {
        this.analyzer = analyzer;
        this.policies = policies;
        this.guard = guard;
        this.registry = registry;
        this.access = access;
    }

    /** The project, when the current key may do {@code permission} in it (else 404 or 403). */
    private Project authorize(String project, Permission permission) {
        Project p = registry.project(project);
        access.require(p.id(), p.name(), permission);
        return p;
    }

    @GetMapping("/api/v1/projects/{project}/pii-policy")
    @Operation(summary = "The project's PII policy (the default when none was set)")
    PolicyDocument policy(@PathVariable String project) {
        Project p = authorize(project, Permission.READ);
        return policies.stored(p.id()).orElseGet(() -> PolicyDocument.of(PiiPolicy.defaults()));
    }

    @PutMapping("/api/v1/projects/{project}/pii-policy")
    @Operation(summary = "Set the project's PII policy: mode, entities, thresholds, operators")
    PolicyDocument setPolicy(@PathVariable String project, @RequestBody PolicyDocument document) {
        return policies.save(authorize(project, Permission.MANAGE_POLICIES), document);
    }

    record AnalyzeRequest(
            @Nullable String text,
            @Nullable String project,
            @Nullable List<String> entities) {}

    record EntityView(String type, int start, int end, double score) {}

    record AnalyzeResponse(List<EntityView> entities) {}

    @PostMapping("/api/v1/pii/analyze")
    @Operation(summary = "Find personal data in a text (offsets in UTF-16 code units, end exclusive)")
    AnalyzeResponse analyze(@RequestBody AnalyzeRequest request) {
        String text = text(request.text());
        AnalysisOptions options = AnalysisOptions.defaults().withTimeBudget(PrivacyGuard.TIME_BUDGET);
        if (request.project() != null) {
            options = policies.policy(
                            authorize(request.project(), Permission.READ).id())
                    .analysisOptions(options);
        }
        if (request.entities() != null && !request.entities().isEmpty()) {
            options = options.withEntities(new java.util.LinkedHashSet<>(request.entities()));
        }
        try {
            List<PiiEntity> found = analyzer.analyze(text, options);
            return new AnalyzeResponse(found.stream()
                    .map(e -> new EntityView(e.type(), e.start(), e.end(), e.score()))
                    .toList());
        } catch (IllegalArgumentException e) {
            throw ApiException.unprocessable(e.getMessage());
        } catch (PiiException e) {
            throw new ApiException(
                    HttpStatus.SERVICE_UNAVAILABLE, "PII check failed", e.getMessage() + "; try a shorter text.");
        }
    }

    record AnonymizeRequest(@Nullable String text, @Nullable String project) {}

    record AnonymizeResponse(String text, List<AnonymizedItem> items) {}

    @PostMapping("/api/v1/pii/anonymize")
    @Operation(summary = "Anonymize a text under a project's policy (or the default policy)")
    AnonymizeResponse anonymize(@RequestBody AnonymizeRequest request) {
        String text = text(request.text());
        String projectId = request.project() == null
                ? ""
                : authorize(request.project(), Permission.READ).id();
        PiiPolicy policy = request.project() == null ? PiiPolicy.defaults() : policies.policy(projectId);
        try {
            Anonymized anonymized = guard.guard(projectId)
                    .protect(
                            text,
                            policy.mode() == PiiPolicy.Mode.OFF ? policy.withMode(PiiPolicy.Mode.ANONYMIZE) : policy,
                            AnalysisOptions.defaults().withTimeBudget(PrivacyGuard.TIME_BUDGET),
                            PiiVault.create());
            return new AnonymizeResponse(anonymized.text(), anonymized.items());
        } catch (dev.promptforge.pii.PiiBlockedException e) {
            throw new ApiException(
                            HttpStatus.UNPROCESSABLE_CONTENT,
                            "Personal data blocked",
                            "The text contains personal data and the project's PII policy blocks it.")
                    .withProperty("entities", new java.util.TreeSet<>(e.types()));
        } catch (PiiException e) {
            throw new ApiException(
                    HttpStatus.SERVICE_UNAVAILABLE, "PII check failed", e.getMessage() + "; try a shorter text.");
        }
    }

    private static String text(@Nullable String text) {
        if (text == null) {
            throw ApiException.invalid(List.of(new ApiException.FieldError("text", "is required")));
        }
        if (text.length() > MAX_TEXT) {
            throw ApiException.unprocessable("text: at most " + MAX_TEXT + " characters");
        }
        return text;
    }
}
