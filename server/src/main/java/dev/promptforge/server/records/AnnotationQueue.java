package dev.promptforge.server.records;

import dev.promptforge.server.registry.PromptRegistry;
import dev.promptforge.server.shared.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        // Scored records: walk the automatic scores from the lowest up (an index in that order) and
        // keep each record at its first, lowest, score; the walk stops once a page is found. CROSS
        // JOIN makes SQLite walk the scores first (PostgreSQL plans it like any join); else SQLite
        // reads the project's every record and sorts them.
        Map<String, Item> items = new LinkedHashMap<>();
        int window = limit * 4;
        int offset = 0;
        while (items.size() < limit) {
            List<Item> batch = jdbc.sql("""
                            SELECT r.id, r.created_at, r.prompt_name, r.prompt_version, r.model, r.status, r.output,
                                   f.value AS auto_score
                              FROM feedback f CROSS JOIN records r
                             WHERE r.id = f.record_id AND f.source IN ('auto', 'judge') AND r.project_id = :project
                               AND NOT EXISTS (SELECT 1 FROM feedback h WHERE h.record_id = r.id AND h.source = 'human')
                             ORDER BY f.value, f.record_id DESC
                             LIMIT :limit OFFSET :offset
                            """)
                    .param("project", projectId)
                    .param("limit", window)
                    .param("offset", offset)
                    .query(AnnotationQueue::item)
                    .list();
            batch.forEach(item -> items.putIfAbsent(item.id(), item));
            if (batch.size() < window) {
                break;
            }
            offset += window;
        }
        List<Item> page = new ArrayList<>(items.values());
        if (page.size() > limit) {
            return page.subList(0, limit);
        }
        // Then records no evaluator scored, newest first.
        page.addAll(jdbc.sql("""
                        SELECT r.id, r.created_at, r.prompt_name, r.prompt_version, r.model, r.status, r.output,
                               NULL AS auto_score
                          FROM records r
                         WHERE r.project_id = :project
                           AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.record_id = r.id
                                             AND f.source IN ('auto', 'judge', 'human'))
                         ORDER BY r.id DESC
                         LIMIT :limit
                        """)
                .param("project", projectId)
                .param("limit", limit - page.size())
                .query(AnnotationQueue::item)
                .list());
        return page;
    }

    private static Item item(ResultSet rs, int row) throws SQLException {
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
    }

    /**
     * How many records of the project have no human feedback yet, counted up to {@code cap} (so a
     * project with millions of records does not count them all); {@code cap + 1} means "more".
     */
    public long count(String project, int cap) {
        String projectId = registry.project(project).id();
        return jdbc.sql("""
                        SELECT COUNT(*) FROM (
                          SELECT 1 FROM records r WHERE r.project_id = :project
                             AND NOT EXISTS (SELECT 1 FROM feedback h WHERE h.record_id = r.id AND h.source = 'human')
                           LIMIT :cap) q
                        """)
                .param("project", projectId)
                .param("cap", cap + 1)
                .query(Long.class)
                .single();
    }
}
