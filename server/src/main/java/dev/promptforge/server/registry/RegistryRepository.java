package dev.promptforge.server.registry;

import dev.promptforge.server.shared.Json;
import dev.promptforge.server.shared.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;

/** SQL of the registry; the same statements run on SQLite and PostgreSQL. */
@Repository
class RegistryRepository {

    private static final TypeReference<List<PromptMessage>> MESSAGES = new TypeReference<>() {};
    private static final TypeReference<Map<String, Object>> PARAMETERS = new TypeReference<>() {};
    private static final TypeReference<List<String>> NAMES = new TypeReference<>() {};

    private final JdbcClient jdbc;

    RegistryRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    // --- projects

    void insertProject(Project p) {
        jdbc.sql("INSERT INTO projects (id, name, description, created_by, created_at)"
                        + " VALUES (:id, :name, :description, :by, :at)")
                .param("id", p.id())
                .param("name", p.name())
                .param("description", p.description())
                .param("by", p.createdBy())
                .param("at", p.createdAt().toEpochMilli())
                .update();
    }

    void deleteProject(String id) {
        jdbc.sql("DELETE FROM projects WHERE id = :id").param("id", id).update();
    }

    Optional<Project> findProject(String name) {
        return jdbc.sql("SELECT * FROM projects WHERE name = :name")
                .param("name", name)
                .query(RegistryRepository::project)
                .optional();
    }

    Optional<Project> findProjectById(String id) {
        return jdbc.sql("SELECT * FROM projects WHERE id = :id")
                .param("id", id)
                .query(RegistryRepository::project)
                .optional();
    }

    List<Project> listProjects(@Nullable String after, int limit) {
        var statement = jdbc.sql("SELECT * FROM projects" + (after == null ? "" : " WHERE name > :after")
                        + " ORDER BY name LIMIT :limit")
                .param("limit", limit);
        if (after != null) {
            statement = statement.param("after", after);
        }
        return statement.query(RegistryRepository::project).list();
    }

    // --- prompts

    void insertPrompt(Prompt p, String projectId) {
        jdbc.sql("""
                        INSERT INTO prompts (id, project_id, name, description, latest_version, created_by, created_at, updated_at)
                        VALUES (:id, :project, :name, :description, 0, :by, :at, :at)
                        """)
                .param("id", p.id())
                .param("project", projectId)
                .param("name", p.name())
                .param("description", p.description())
                .param("by", p.createdBy())
                .param("at", p.createdAt().toEpochMilli())
                .update();
        for (String tag : p.tags()) {
            jdbc.sql("INSERT INTO prompt_tags (prompt_id, tag) VALUES (:id, :tag)")
                    .param("id", p.id())
                    .param("tag", tag)
                    .update();
        }
    }

    Optional<Prompt> findPrompt(Project project, String name) {
        return jdbc.sql("SELECT * FROM prompts WHERE project_id = :project AND name = :name")
                .param("project", project.id())
                .param("name", name)
                .query((rs, i) -> prompt(rs, project.name(), List.of()))
                .optional()
                .map(p -> withTags(List.of(p)).getFirst());
    }

    List<Prompt> listPrompts(
            Project project,
            @Nullable String tag,
            @Nullable String query,
            boolean archived,
            @Nullable String after,
            int limit) {
        String sql = "SELECT p.* FROM prompts p WHERE p.project_id = :project"
                + (archived ? "" : " AND p.archived_at IS NULL")
                + (tag == null
                        ? ""
                        : " AND EXISTS (SELECT 1 FROM prompt_tags t WHERE t.prompt_id = p.id AND t.tag = :tag)")
                + (query == null
                        ? ""
                        : " AND (LOWER(p.name) LIKE :query OR LOWER(COALESCE(p.description, '')) LIKE :query)")
                + (after == null ? "" : " AND p.name > :after")
                + " ORDER BY p.name LIMIT :limit";
        var statement = jdbc.sql(sql).param("project", project.id()).param("limit", limit);
        if (tag != null) {
            statement = statement.param("tag", tag);
        }
        if (query != null) {
            statement = statement.param(
                    "query", "%" + query.toLowerCase(java.util.Locale.ROOT).replace("%", "") + "%");
        }
        if (after != null) {
            statement = statement.param("after", after);
        }
        return withTags(statement
                .query((rs, i) -> prompt(rs, project.name(), List.of()))
                .list());
    }

    private List<Prompt> withTags(List<Prompt> prompts) {
        if (prompts.isEmpty()) {
            return prompts;
        }
        Map<String, List<String>> tags = new HashMap<>();
        jdbc.sql("SELECT prompt_id, tag FROM prompt_tags WHERE prompt_id IN (:ids) ORDER BY tag")
                .param("ids", prompts.stream().map(Prompt::id).toList())
                .query(rs -> {
                    tags.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(rs.getString(2));
                });
        return prompts.stream()
                .map(p -> new Prompt(
                        p.id(),
                        p.project(),
                        p.name(),
                        p.description(),
                        tags.getOrDefault(p.id(), List.of()),
                        p.latestVersion(),
                        p.archived(),
                        p.createdBy(),
                        p.createdAt(),
                        p.updatedAt()))
                .toList();
    }

    /**
     * Takes the prompt's row lock for the rest of the transaction (PostgreSQL; SQLite transactions
     * already hold the write lock) and returns its latest version, or empty when it is archived.
     */
    Optional<Integer> lockPrompt(String promptId, long now) {
        int updated = jdbc.sql("UPDATE prompts SET updated_at = :now WHERE id = :id AND archived_at IS NULL")
                .param("now", now)
                .param("id", promptId)
                .update();
        if (updated == 0) {
            return Optional.empty();
        }
        return Optional.of(jdbc.sql("SELECT latest_version FROM prompts WHERE id = :id")
                .param("id", promptId)
                .query(Integer.class)
                .single());
    }

    /** Archives the prompt; false when it already was. */
    boolean archivePrompt(String promptId, long now) {
        return jdbc.sql(
                                "UPDATE prompts SET archived_at = :now, updated_at = :now WHERE id = :id AND archived_at IS NULL")
                        .param("now", now)
                        .param("id", promptId)
                        .update()
                == 1;
    }

    // --- versions

    void insertVersion(PromptVersion v) {
        jdbc.sql("""
                        INSERT INTO prompt_versions (prompt_id, version, template, messages, model, parameters, variables,
                                                     commit_message, content_hash, created_by, created_at)
                        VALUES (:prompt, :version, :template, :messages, :model, :parameters, :variables,
                                :message, :hash, :by, :at)
                        """)
                .param("prompt", v.promptId())
                .param("version", v.version())
                .param("template", v.template())
                .param("messages", v.messages() == null ? null : Json.write(v.messages()))
                .param("model", v.model())
                .param("parameters", Json.write(v.parameters()))
                .param("variables", Json.write(v.variables()))
                .param("message", v.commitMessage())
                .param("hash", v.contentHash())
                .param("by", v.createdBy())
                .param("at", v.createdAt().toEpochMilli())
                .update();
        jdbc.sql("UPDATE prompts SET latest_version = :version WHERE id = :id")
                .param("version", v.version())
                .param("id", v.promptId())
                .update();
    }

    Optional<PromptVersion> findVersion(Prompt prompt, int version) {
        return jdbc.sql("SELECT * FROM prompt_versions WHERE prompt_id = :prompt AND version = :version")
                .param("prompt", prompt.id())
                .param("version", version)
                .query((rs, i) -> version(rs, prompt.name()))
                .optional();
    }

    List<PromptVersion> listVersions(Prompt prompt, @Nullable Integer before, int limit) {
        var statement = jdbc.sql("SELECT * FROM prompt_versions WHERE prompt_id = :prompt"
                        + (before == null ? "" : " AND version < :before")
                        + " ORDER BY version DESC LIMIT :limit")
                .param("prompt", prompt.id())
                .param("limit", limit);
        if (before != null) {
            statement = statement.param("before", before);
        }
        return statement.query((rs, i) -> version(rs, prompt.name())).list();
    }

    // --- labels

    Optional<Label> findLabel(String promptId, String name) {
        return jdbc.sql("SELECT * FROM labels WHERE prompt_id = :prompt AND name = :name")
                .param("prompt", promptId)
                .param("name", name)
                .query(RegistryRepository::label)
                .optional();
    }

    List<Label> listLabels(String promptId) {
        return jdbc.sql("SELECT * FROM labels WHERE prompt_id = :prompt ORDER BY name")
                .param("prompt", promptId)
                .query(RegistryRepository::label)
                .list();
    }

    void upsertLabel(String promptId, Label label) {
        jdbc.sql("""
                        INSERT INTO labels (prompt_id, name, version, updated_by, updated_at)
                        VALUES (:prompt, :name, :version, :by, :at)
                        ON CONFLICT (prompt_id, name)
                        DO UPDATE SET version = excluded.version, updated_by = excluded.updated_by,
                                      updated_at = excluded.updated_at
                        """)
                .param("prompt", promptId)
                .param("name", label.name())
                .param("version", label.version())
                .param("by", label.updatedBy())
                .param("at", label.updatedAt().toEpochMilli())
                .update();
    }

    void insertLabelMove(String id, String promptId, LabelMove move) {
        jdbc.sql("""
                        INSERT INTO label_moves (id, prompt_id, label, from_version, to_version, moved_by, moved_at)
                        VALUES (:id, :prompt, :label, :from, :to, :by, :at)
                        """)
                .param("id", id)
                .param("prompt", promptId)
                .param("label", move.label())
                .param("from", move.fromVersion())
                .param("to", move.toVersion())
                .param("by", move.movedBy())
                .param("at", move.movedAt().toEpochMilli())
                .update();
    }

    List<LabelMove> labelHistory(String promptId, String label) {
        return jdbc.sql("SELECT * FROM label_moves WHERE prompt_id = :prompt AND label = :label"
                        + " ORDER BY moved_at DESC, id DESC")
                .param("prompt", promptId)
                .param("label", label)
                .query((rs, i) -> new LabelMove(
                        rs.getString("label"),
                        Rows.nullableInt(rs, "from_version"),
                        rs.getInt("to_version"),
                        rs.getString("moved_by"),
                        Instant.ofEpochMilli(rs.getLong("moved_at"))))
                .list();
    }

    // --- mapping

    private static Project project(ResultSet rs, int row) throws SQLException {
        return new Project(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("description"),
                rs.getString("created_by"),
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    private static Prompt prompt(ResultSet rs, String project, List<String> tags) throws SQLException {
        int latest = rs.getInt("latest_version");
        return new Prompt(
                rs.getString("id"),
                project,
                rs.getString("name"),
                rs.getString("description"),
                tags,
                latest == 0 ? null : latest,
                rs.getObject("archived_at") != null,
                rs.getString("created_by"),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    private static PromptVersion version(ResultSet rs, String prompt) throws SQLException {
        String messages = rs.getString("messages");
        return new PromptVersion(
                rs.getString("prompt_id"),
                prompt,
                rs.getInt("version"),
                rs.getString("template"),
                messages == null ? null : Json.read(messages, MESSAGES),
                rs.getString("model"),
                Json.read(rs.getString("parameters"), PARAMETERS),
                Json.read(rs.getString("variables"), NAMES),
                rs.getString("commit_message"),
                rs.getString("content_hash"),
                rs.getString("created_by"),
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    private static Label label(ResultSet rs, int row) throws SQLException {
        return new Label(
                rs.getString("name"),
                rs.getInt("version"),
                rs.getString("updated_by"),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }
}
