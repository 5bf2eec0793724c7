package dev.promptforge.server.records;

import dev.promptforge.server.registry.PromptRegistry;
import dev.promptforge.server.shared.Rows;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The records of a project still to be reviewed by a person: those without {@code human} feedback,
 * the lowest automatic (auto or judge) score first, records without one after them, newest first.
 */
@Service
public class AnnotationQueue {

    /** The most records one page of the queue shows. */
    public static final int MAX_ITEMS = 100;

    private final JdbcClient jdbc;
    private final PromptRegistry registry;

    AnnotationQueue(JdbcClient jdbc, PromptRegistry registry) {
        this.jdbc = jdbc;
        this.registry = registry;
    }

    /** One record waiting for review; {@code autoScore} is its lowest automatic score, if any. */
    public record Item(
            String id,
            Instant createdAt,
            @Nullable String prompt,
            @Nullable Integer version,
            String model,
            String status,
            @Nullable Double autoScore,
            @Nullable String output) {}

    /** The queue's first {@code limit} records (1 to {@link #MAX_ITEMS}). */
    public List<Item> pending(String project, int limit) {
        if (limit < 1 || limit > MAX_ITEMS) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_ITEMS);
        }
        String projectId = registry.project(project).id();
        return jdbc.sql("""
                        SELECT * FROM (
                          SELECT r.id, r.created_at, r.prompt_name, r.prompt_version, r.model, r.status, r.output,
                                 (SELECT MIN(f.value) FROM feedback f
                                   WHERE f.record_id = r.id AND f.source IN ('auto', 'judge')) AS auto_score
                            FROM records r
                           WHERE r.project_id = :project
                             AND NOT EXISTS (SELECT 1 FROM feedback h WHERE h.record_id = r.id AND h.source = 'human')
                        ) q
                        ORDER BY CASE WHEN q.auto_score IS NULL THEN 1 ELSE 0 END, q.auto_score, q.id DESC
                        LIMIT :limit
                        """)
                .param("project", projectId)
                .param("limit", limit)
                .query((rs, i) -> {
                    double score = rs.getDouble("auto_score");
                    Double autoScore = rs.wasNull() ? null : score;
                    return new Item(
                            rs.getString("id"),
                            Instant.ofEpochMilli(rs.getLong("created_at")),
                            rs.getString("prompt_name"),
                            Rows.nullableInt(rs, "prompt_version"),
                            rs.getString("model"),
                            rs.getString("status"),
                            autoScore,
                            rs.getString("output"));
                })
                .list();
    }

    /** How many records of the project have no human feedback yet. */
    public long count(String project) {
        String projectId = registry.project(project).id();
        return jdbc.sql("""
                        SELECT COUNT(*) FROM records r WHERE r.project_id = :project
                           AND NOT EXISTS (SELECT 1 FROM feedback h WHERE h.record_id = r.id AND h.source = 'human')
                        """).param("project", projectId).query(Long.class).single();
    }
}
