package dev.promptforge.server.privacy;

import dev.promptforge.pii.AnalysisOptions;
import dev.promptforge.pii.Anonymized;
import dev.promptforge.pii.AnonymizedItem;
import dev.promptforge.pii.PiiAnalyzer;
import dev.promptforge.pii.PiiEntity;
import dev.promptforge.pii.PiiException;
import dev.promptforge.pii.PiiPolicy;
import dev.promptforge.pii.PiiVault;
import dev.promptforge.pii.Recognizer;
import dev.promptforge.server.privacy.PolicyDocument.RecognizerDocument;
import dev.promptforge.server.registry.AuthorizedProjects;
import dev.promptforge.server.registry.Project;
import dev.promptforge.server.security.Permission;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Validation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    private final AuthorizedProjects projects;

    PrivacyController(PiiAnalyzer analyzer, PiiPolicies policies, PrivacyGuard guard, AuthorizedProjects projects) {
        this.analyzer = analyzer;
        this.policies = policies;
        this.guard = guard;
        this.projects = projects;
    }

    /** The project, when the current key may do {@code permission} in it (else 404 or 403). */
    @GetMapping("/api/v1/projects/{project}/pii-policy")
    @Operation(summary = "The project's PII policy (the default when none was set)")
    PolicyDocument policy(@PathVariable String project) {
        Project p = projects.require(project, Permission.READ);
        return policies.stored(p.id()).orElseGet(() -> PolicyDocument.of(PiiPolicy.defaults()));
    }

    @PutMapping("/api/v1/projects/{project}/pii-policy")
    @Operation(
            summary =
                    "Set the project's PII policy: mode, entities, thresholds, operators, allow list, ad-hoc recognizers")
    PolicyDocument setPolicy(@PathVariable String project, @RequestBody PolicyDocument document) {
        return policies.save(projects.require(project, Permission.MANAGE_POLICIES), document);
    }

    /**
     * Options of one playground request, over the project's policy when a project is named: the
     * {@code entities} to look for, minimum scores per type, texts never to report, and ad-hoc
     * recognizers for this request only.
     */
    record AnalyzeRequest(
            @Nullable String text,
            @Nullable String project,
            @Nullable List<String> entities,
            @Nullable Map<String, Double> thresholds,
            @Nullable List<String> allowList,
            @Nullable List<RecognizerDocument> recognizers) {}

    record EntityView(String type, int start, int end, double score) {}

    record AnalyzeResponse(List<EntityView> entities) {}

    @PostMapping("/api/v1/pii/analyze")
    @Operation(summary = "Find personal data in a text (offsets in UTF-16 code units, end exclusive)")
    AnalyzeResponse analyze(@RequestBody AnalyzeRequest request) {
        String text = text(request.text());
        PiiPolicy policy = projectPolicy(request.project());
        AnalysisOptions options =
                options(policy, request.entities(), request.thresholds(), request.allowList(), request.recognizers());
        try {
            List<PiiEntity> found = analyzer.analyze(text, policy.analysisOptions(options));
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

    /** As {@link AnalyzeRequest}; the project's policy (or the default one) picks the operators. */
    record AnonymizeRequest(
            @Nullable String text,
            @Nullable String project,
            @Nullable List<String> entities,
            @Nullable Map<String, Double> thresholds,
            @Nullable List<String> allowList,
            @Nullable List<RecognizerDocument> recognizers) {}

    record AnonymizeResponse(String text, List<AnonymizedItem> items) {}

    @PostMapping("/api/v1/pii/anonymize")
    @Operation(summary = "Anonymize a text under a project's policy (or the default policy)")
    AnonymizeResponse anonymize(@RequestBody AnonymizeRequest request) {
        String text = text(request.text());
        String projectId = request.project() == null
                ? ""
                : projects.require(request.project(), Permission.READ).id();
        PiiPolicy policy = request.project() == null ? PiiPolicy.defaults() : policies.policy(projectId);
        AnalysisOptions options =
                options(policy, request.entities(), request.thresholds(), request.allowList(), request.recognizers());
        try {
            Anonymized anonymized = guard.guard(projectId)
                    .protect(
                            text,
                            policy.mode() == PiiPolicy.Mode.OFF ? policy.withMode(PiiPolicy.Mode.ANONYMIZE) : policy,
                            options,
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

    private PiiPolicy projectPolicy(@Nullable String project) {
        return project == null
                ? PiiPolicy.defaults()
                : policies.policy(projects.require(project, Permission.READ).id());
    }

    // The request's own options, validated against the built-in types and the ad-hoc ones it may use.
    private static AnalysisOptions options(
            PiiPolicy policy,
            @Nullable List<String> entities,
            @Nullable Map<String, Double> thresholds,
            @Nullable List<String> allowList,
            @Nullable List<RecognizerDocument> recognizers) {
        Validation validation = Validation.start();
        List<Recognizer> adHoc = AdHocRecognizers.parse(recognizers, "recognizers", "request", validation);
        Set<String> allowed = AdHocRecognizers.allowList(allowList, "allowList", validation);
        Set<String> own = new LinkedHashSet<>(AdHocRecognizers.types(policy.recognizers()));
        own.addAll(AdHocRecognizers.types(adHoc));
        List<String> types = entities == null ? List.of() : entities;
        for (int i = 0; i < types.size(); i++) {
            validation.require(
                    PolicyDocument.known(types.get(i), own),
                    "entities[" + i + "]",
                    PolicyDocument.unknownType(types.get(i)));
        }
        Map<String, Double> scores = thresholds == null ? Map.of() : thresholds;
        scores.forEach((type, score) -> {
            validation.require(PolicyDocument.known(type, own), "thresholds." + type, PolicyDocument.unknownType(type));
            validation.require(score != null && score >= 0 && score <= 1, "thresholds." + type, "must be from 0 to 1");
        });
        validation.throwIfInvalid();
        return new AnalysisOptions(new LinkedHashSet<>(types), scores, allowed, adHoc, PrivacyGuard.TIME_BUDGET);
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
