package dev.promptforge.server.privacy;

import dev.promptforge.pii.AnalysisOptions;
import dev.promptforge.pii.Anonymized;
import dev.promptforge.pii.PiiAnalyzer;
import dev.promptforge.pii.PiiBlockedException;
import dev.promptforge.pii.PiiEntity;
import dev.promptforge.pii.PiiException;
import dev.promptforge.pii.PiiPolicy;
import dev.promptforge.pii.PiiVault;
import dev.promptforge.server.shared.ApiException;
import java.util.List;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Tries a text against a project's PII policy, as the dashboard's playground shows it: the entities
 * found (type, offsets, score) and the text anonymized under the policy (a policy that is OFF is
 * shown as ANONYMIZE would do; a BLOCK policy says which types it would block).
 */
@Service
public class PiiPlayground {

    /** The longest text the playground takes. */
    public static final int MAX_TEXT = 20_000;

    private final PiiAnalyzer analyzer;
    private final PiiPolicies policies;
    private final PrivacyGuard guard;

    PiiPlayground(PiiAnalyzer analyzer, PiiPolicies policies, PrivacyGuard guard) {
        this.analyzer = analyzer;
        this.policies = policies;
        this.guard = guard;
    }

    /** One entity found; offsets in UTF-16 code units, end exclusive. */
    public record Entity(String type, int start, int end, double score) {}

    /**
     * The outcome: {@code anonymized} is null when the policy blocks the text, {@code blocked} the
     * types that made it block.
     */
    public record Result(
            String mode, List<Entity> entities, @Nullable String anonymized, List<String> blocked) {}

    /** Analyzes and anonymizes {@code text} (at most {@link #MAX_TEXT} characters) under the project's policy. */
    public Result run(String projectId, String text) {
        if (text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("text longer than " + MAX_TEXT + " characters");
        }
        PiiPolicy policy = policies.policy(projectId);
        AnalysisOptions options = AnalysisOptions.defaults().withTimeBudget(PrivacyGuard.TIME_BUDGET);
        try {
            List<PiiEntity> found = analyzer.analyze(text, policy.analysisOptions(options));
            List<Entity> entities = found.stream()
                    .map(e -> new Entity(e.type(), e.start(), e.end(), e.score()))
                    .toList();
            PiiPolicy applied =
                    policy.mode() == PiiPolicy.Mode.OFF ? policy.withMode(PiiPolicy.Mode.ANONYMIZE) : policy;
            try {
                Anonymized anonymized = guard.guard(projectId).protect(text, applied, options, PiiVault.create());
                return new Result(policy.mode().name(), entities, anonymized.text(), List.of());
            } catch (PiiBlockedException e) {
                return new Result(policy.mode().name(), entities, null, List.copyOf(new TreeSet<>(e.types())));
            }
        } catch (PiiException e) {
            throw new ApiException(
                    HttpStatus.SERVICE_UNAVAILABLE, "PII check failed", e.getMessage() + "; try a shorter text.");
        }
    }
}
