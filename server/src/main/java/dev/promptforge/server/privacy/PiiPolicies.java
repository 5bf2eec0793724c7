package dev.promptforge.server.privacy;

import dev.promptforge.pii.PiiPolicy;
import dev.promptforge.server.audit.AuditLog;
import dev.promptforge.server.registry.Project;
import dev.promptforge.server.shared.Actors;
import dev.promptforge.server.shared.Json;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Each project's PII policy, stored in {@code pii_policies}; a project without one gets {@link
 * PiiPolicy#defaults()} (anonymize every entity type with numbered placeholders). Policies are
 * cached for a few seconds on the execution path.
 */
@Service
public class PiiPolicies {

    static final long CACHE_TTL_MS = 5_000;

    private record Cached(PiiPolicy policy, long loadedAt) {}

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    PiiPolicies(JdbcClient jdbc, TransactionTemplate transactions, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.audit = audit;
        this.clock = clock;
    }

    public PiiPolicy policy(String projectId) {
        long now = clock.millis();
        Cached cached = cache.get(projectId);
        if (cached != null && now - cached.loadedAt() < CACHE_TTL_MS) {
            return cached.policy();
        }
        PiiPolicy policy = stored(projectId).map(PolicyDocument::toPolicy).orElseGet(PiiPolicy::defaults);
        cache.put(projectId, new Cached(policy, now));
        return policy;
    }

    Optional<PolicyDocument> stored(String projectId) {
        return jdbc.sql("SELECT policy FROM pii_policies WHERE project_id = :project")
                .param("project", projectId)
                .query(String.class)
                .optional()
                .map(json -> Json.read(json, PolicyDocument.class));
    }

    PolicyDocument save(Project project, PolicyDocument document) {
        PolicyDocument normalized = document.normalized();
        transactions.executeWithoutResult(status -> {
            PolicyDocument before = stored(project.id()).orElse(null);
            jdbc.sql("""
                        INSERT INTO pii_policies (project_id, policy, updated_by, updated_at)
                        VALUES (:project, :policy, :by, :at)
                        ON CONFLICT (project_id) DO UPDATE SET policy = excluded.policy,
                            updated_by = excluded.updated_by, updated_at = excluded.updated_at
                        """)
                    .param("project", project.id())
                    .param("policy", Json.write(normalized))
                    .param("by", Actors.current())
                    .param("at", clock.millis())
                    .update();
            audit.append("pii-policy.set", "project/" + project.name() + "/pii-policy", before, normalized);
        });
        cache.remove(project.id());
        return normalized;
    }
}
