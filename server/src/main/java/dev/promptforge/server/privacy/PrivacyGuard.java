package dev.promptforge.server.privacy;

import dev.promptforge.pii.AnalysisOptions;
import dev.promptforge.pii.Anonymized;
import dev.promptforge.pii.AnonymizedItem;
import dev.promptforge.pii.PiiAnalyzer;
import dev.promptforge.pii.PiiAnonymizer;
import dev.promptforge.pii.PiiBlockedException;
import dev.promptforge.pii.PiiException;
import dev.promptforge.pii.PiiGuard;
import dev.promptforge.pii.PiiPolicy;
import dev.promptforge.pii.PiiVault;
import dev.promptforge.pii.StreamingRestorer;
import dev.promptforge.server.shared.ApiException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Applies a project's PII policy to the text of one execution: {@link Session#protect} before the
 * provider, {@link Session#restore} (or a streaming restorer) on the answer. It fails closed: when
 * analysis fails or runs out of time the request is refused, never sent unredacted.
 */
@Service
public class PrivacyGuard {

    /** The longest one text may take to analyze before the request is refused. */
    static final Duration TIME_BUDGET = Duration.ofSeconds(2);

    private final PiiAnalyzer analyzer;
    private final PiiPolicies policies;
    private final ProjectKeys keys;
    private final ConcurrentHashMap<String, PiiGuard> guards = new ConcurrentHashMap<>();

    PrivacyGuard(PiiAnalyzer analyzer, PiiPolicies policies, ProjectKeys keys) {
        this.analyzer = analyzer;
        this.policies = policies;
        this.keys = keys;
    }

    /** Opens the protection of one execution under the project's policy. */
    public Session open(String projectId) {
        PiiPolicy policy = policies.policy(projectId);
        return new Session(policy, guard(projectId), PiiVault.create());
    }

    PiiGuard guard(String projectId) {
        return guards.computeIfAbsent(
                projectId,
                id -> PiiGuard.of(
                        analyzer,
                        PiiAnonymizer.builder()
                                .hmacKey(keys.hmacKey(id))
                                .encryptionKey(keys.encryptionKey(id))
                                .build()));
    }

    /** One execution's protection: the texts it anonymized and the vault to restore them. */
    public static final class Session {
        private final PiiPolicy policy;
        private final PiiGuard guard;
        private final PiiVault vault;
        private final Map<String, Integer> counts = new TreeMap<>();

        Session(PiiPolicy policy, PiiGuard guard, PiiVault vault) {
            this.policy = policy;
            this.guard = guard;
            this.vault = vault;
        }

        /**
         * The text as the provider may see it.
         *
         * @throws ApiException 422 when the policy blocks personal data, 503 when analysis failed
         */
        public String protect(String text) {
            if (policy.mode() == PiiPolicy.Mode.OFF || text.isEmpty()) {
                return text;
            }
            try {
                Anonymized anonymized =
                        guard.protect(text, policy, AnalysisOptions.defaults().withTimeBudget(TIME_BUDGET), vault);
                for (AnonymizedItem item : anonymized.items()) {
                    counts.merge(item.type(), 1, Integer::sum);
                }
                return anonymized.text();
            } catch (PiiBlockedException e) {
                throw new ApiException(
                                HttpStatus.UNPROCESSABLE_CONTENT,
                                "Personal data blocked",
                                "The prompt contains personal data ("
                                        + String.join(", ", new java.util.TreeSet<>(e.types()))
                                        + ") and this project's PII policy blocks it; remove it or change the policy.")
                        .withProperty("entities", new java.util.TreeSet<>(e.types()));
            } catch (PiiException e) {
                throw new ApiException(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "PII check failed",
                        "The prompt could not be checked for personal data (" + e.getMessage()
                                + "), so it was not sent; shorten it or try again.");
            }
        }

        /** Whether anything was replaced by a restorable placeholder. */
        public boolean hasPlaceholders() {
            return vault.size() > 0;
        }

        /** The answer with the originals back in place of placeholders. */
        public String restore(String text) {
            return hasPlaceholders() ? vault.restore(text) : text;
        }

        /** A restorer for a streamed answer, which may split placeholders across chunks. */
        public StreamingRestorer streamingRestorer() {
            return vault.streamingRestorer();
        }

        /** How many entities of each type were found in this execution's input. */
        public Map<String, Integer> counts() {
            return Map.copyOf(counts);
        }
    }
}
