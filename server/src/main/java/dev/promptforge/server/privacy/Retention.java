package dev.promptforge.server.privacy;

import dev.promptforge.server.audit.AuditLog;
import dev.promptforge.server.records.Records;
import dev.promptforge.server.registry.Project;
import dev.promptforge.server.registry.PromptRegistry;
import dev.promptforge.server.shared.Actors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Retention per project: records (and their feedback) older than the project's number of days are
 * deleted by a job that runs every {@code promptforge.retention.interval} (1 h); each purge that
 * removed something is audited as {@code records.purge}, by {@code system}, in its transaction.
 */
@Service
class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final Records records;
    private final PromptRegistry registry;
    private final Clock clock;

    Retention(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            AuditLog audit,
            Records records,
            PromptRegistry registry,
            Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.audit = audit;
        this.records = records;
        this.registry = registry;
        this.clock = clock;
    }

    Optional<Integer> days(String projectId) {
        return jdbc.sql("SELECT days FROM retention_policies WHERE project_id = :project")
                .param("project", projectId)
                .query(Integer.class)
                .optional();
    }

    /** Sets (or with null removes) a project's retention, audited in the same transaction. */
    void save(Project project, @Nullable Integer days) {
        transactions.executeWithoutResult(status -> {
            Integer before = days(project.id()).orElse(null);
            jdbc.sql("DELETE FROM retention_policies WHERE project_id = :project")
                    .param("project", project.id())
                    .update();
            if (days != null) {
                jdbc.sql("""
                                INSERT INTO retention_policies (project_id, days, updated_by, updated_at)
                                VALUES (:project, :days, :by, :at)
                                """)
                        .param("project", project.id())
                        .param("days", days)
                        .param("by", Actors.current())
                        .param("at", clock.millis())
                        .update();
            }
            Map<String, Object> old = new LinkedHashMap<>();
            old.put("days", before);
            Map<String, Object> now = new LinkedHashMap<>();
            now.put("days", days);
            audit.append("retention.set", "project/" + project.name() + "/retention", old, now);
        });
    }

    @Scheduled(fixedDelayString = "${promptforge.retention.interval:1h}", initialDelayString = "1m")
    void run() {
        purge(Instant.ofEpochMilli(clock.millis()));
    }

    /** Purges every project's expired records as of {@code now}; returns the records deleted per project name. */
    Map<String, Integer> purge(Instant now) {
        List<Map.Entry<String, Integer>> policies = new ArrayList<>();
        jdbc.sql("SELECT project_id, days FROM retention_policies").query(rs -> {
            policies.add(Map.entry(rs.getString("project_id"), rs.getInt("days")));
        });
        Map<String, Integer> purged = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> policy : policies) {
            Project project = registry.projectById(policy.getKey());
            Instant before = now.minus(Duration.ofDays(policy.getValue()));
            Records.Deleted deleted = transactions.execute(status -> {
                Records.Deleted d = records.deleteBefore(project.id(), before);
                if (d.records() > 0) {
                    audit.append(
                            Actors.SYSTEM,
                            "records.purge",
                            "project/" + project.name() + "/records",
                            null,
                            Map.of(
                                    "olderThan", before.toString(),
                                    "records", d.records(),
                                    "feedback", d.feedback()));
                }
                return d;
            });
            if (deleted.records() > 0) {
                log.info(
                        "Retention purged {} records of project {} older than {}",
                        deleted.records(),
                        project.name(),
                        before);
            }
            purged.put(project.name(), deleted.records());
        }
        return purged;
    }
}
