package dev.promptforge.server.limits;

import dev.promptforge.server.audit.AuditLog;
import dev.promptforge.server.registry.Project;
import dev.promptforge.server.shared.Actors;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Per-project injection policies, {@code flag} unless set. Read from memory on the execution path;
 * the stored ones are re-read every {@code promptforge.budgets.refresh}, so a change made on another
 * instance applies within it.
 */
@Service
public class InjectionPolicies {

    static final InjectionPolicy DEFAULT = InjectionPolicy.FLAG;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final Clock clock;
    private volatile Map<String, InjectionPolicy> policies = Map.of();

    InjectionPolicies(JdbcClient jdbc, TransactionTemplate transactions, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.audit = audit;
        this.clock = clock;
    }

    /** The project's policy, from memory. */
    public InjectionPolicy policy(String projectId) {
        return policies.getOrDefault(projectId, DEFAULT);
    }

    @Scheduled(fixedDelayString = "${promptforge.budgets.refresh:10s}", initialDelayString = "0s")
    void refresh() {
        Map<String, InjectionPolicy> loaded = new ConcurrentHashMap<>();
        jdbc.sql("SELECT project_id, policy FROM injection_policies").query(rs -> {
            loaded.put(
                    rs.getString("project_id"),
                    InjectionPolicy.valueOf(rs.getString("policy").toUpperCase(Locale.ROOT)));
        });
        policies = loaded;
    }

    /** Sets a project's policy, audited in the same transaction. */
    InjectionPolicy save(Project project, InjectionPolicy policy) {
        transactions.executeWithoutResult(status -> {
            InjectionPolicy before = jdbc.sql("SELECT policy FROM injection_policies WHERE project_id = :project")
                    .param("project", project.id())
                    .query(String.class)
                    .optional()
                    .map(p -> InjectionPolicy.valueOf(p.toUpperCase(Locale.ROOT)))
                    .orElse(DEFAULT);
            jdbc.sql("DELETE FROM injection_policies WHERE project_id = :project")
                    .param("project", project.id())
                    .update();
            jdbc.sql("""
                            INSERT INTO injection_policies (project_id, policy, updated_by, updated_at)
                            VALUES (:project, :policy, :by, :at)
                            """)
                    .param("project", project.id())
                    .param("policy", policy.value())
                    .param("by", Actors.current())
                    .param("at", clock.millis())
                    .update();
            audit.append(
                    "injection-policy.set",
                    "project/" + project.name() + "/injection-policy",
                    Map.of("policy", before.value()),
                    Map.of("policy", policy.value()));
        });
        refresh();
        return policy;
    }
}
