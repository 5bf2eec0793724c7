package dev.promptforge.server.lab.dataset;

import dev.promptforge.eval.Evaluators;
import dev.promptforge.eval.InvalidAssertionException;
import dev.promptforge.eval.PiiDetector;
import dev.promptforge.eval.suite.SuiteLoader;
import dev.promptforge.pii.PiiAnalyzer;
import dev.promptforge.pii.PiiEntity;
import dev.promptforge.server.audit.AuditLog;
import dev.promptforge.server.records.RecordView;
import dev.promptforge.server.records.Records;
import dev.promptforge.server.registry.Project;
import dev.promptforge.server.shared.Actors;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Ids;
import dev.promptforge.server.shared.Json;
import dev.promptforge.server.shared.Page;
import dev.promptforge.server.shared.Validation;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;

/**
 * The datasets of the testing lab. Every change of a dataset's items is a new version; items are
 * never rewritten, so any version can be read back (and a pipeline run keeps testing the version it
 * started with).
 */
@Service
public class Datasets {

    /** The most items one dataset may hold. */
    public static final int MAX_ITEMS = 10_000;

    static final int MAX_FROM_RECORDS = 500;
    private static final int RECORD_SCAN = 1_000;
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    /** An item as a client writes it; {@code expected} is an assertion string or a list of them. */
    public record NewItem(
            @Nullable String name,
            @Nullable Map<String, Object> vars,
            @Nullable Object expected,
            @Nullable String context,
            @Nullable Map<String, Object> metadata) {}

    /** Which production records become items, and how. */
    public record FromRecords(
            @Nullable String prompt,
            @Nullable Integer version,
            @Nullable String model,
            @Nullable String status,
            @Nullable Instant from,
            @Nullable Instant to,
            @Nullable String orderBy,
            @Nullable String score,
            @Nullable Integer limit,
            @Nullable String variable) {}

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final Records records;
    private final PiiAnalyzer analyzer;
    private final Clock clock;
    private final Evaluators evaluators;

    Datasets(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            AuditLog audit,
            Records records,
            PiiAnalyzer analyzer,
            Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.audit = audit;
        this.records = records;
        this.analyzer = analyzer;
        this.clock = clock;
        this.evaluators = Evaluators.builder()
                .piiDetector(PiiDetector.engine(() -> analyzer))
                .build();
    }

    static String target(Project project, String dataset) {
        return "project/" + project.name() + "/dataset/" + dataset;
    }

    // --- reading

    private record Row(
            String id,
            String name,
            @Nullable String description,
            int version,
            String createdBy,
            Instant createdAt,
            Instant updatedAt) {}

    private static Row row(ResultSet rs, int i) throws SQLException {
        return new Row(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("description"),
                rs.getInt("version"),
                rs.getString("created_by"),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    private Optional<Row> find(String projectId, String name) {
        return jdbc.sql("SELECT * FROM datasets WHERE project_id = :p AND name = :n")
                .param("p", projectId)
                .param("n", name)
                .query(Datasets::row)
                .optional();
    }

    private Row require(Project project, String name) {
        Validation.requireSlugPath(name, "Dataset");
        return find(project.id(), name)
                .orElseThrow(
                        () -> ApiException.notFound("Project '" + project.name() + "' has no dataset '" + name + "'."));
    }

    /** True when the project has a dataset of this name. */
    public boolean exists(Project project, String name) {
        return Validation.isSlug(name) && find(project.id(), name).isPresent();
    }

    public Page<Dataset> list(Project project) {
        List<Dataset> all = jdbc
                .sql("SELECT * FROM datasets WHERE project_id = :p ORDER BY name")
                .param("p", project.id())
                .query(Datasets::row)
                .list()
                .stream()
                .map(r -> view(project, r, r.version(), null, count(r.id(), r.version())))
                .toList();
        return new Page<>(all, null);
    }

    /** The dataset with its items at {@code version} (the latest when null). */
    public Dataset get(Project project, String name, @Nullable Integer version) {
        Row row = require(project, name);
        int v = version(row, version);
        List<DatasetItem> items = items(row.id(), v);
        return view(project, row, v, items, items.size());
    }

    private static int version(Row row, @Nullable Integer version) {
        if (version == null) {
            return row.version();
        }
        if (version < 1 || version > row.version()) {
            throw ApiException.notFound(
                    "Dataset '" + row.name() + "' has no version " + version + " (latest: " + row.version() + ").");
        }
        return version;
    }

    private static Dataset view(Project project, Row row, int version, @Nullable List<DatasetItem> items, int count) {
        return new Dataset(
                row.id(),
                project.name(),
                row.name(),
                row.description(),
                version,
                row.version(),
                count,
                row.createdBy(),
                row.createdAt(),
                row.updatedAt(),
                items);
    }

    private int count(String datasetId, int version) {
        return jdbc.sql("SELECT COUNT(*) FROM dataset_items WHERE dataset_id = :d AND added_in <= :v"
                        + " AND (removed_in IS NULL OR removed_in > :v)")
                .param("d", datasetId)
                .param("v", version)
                .query(Integer.class)
                .single();
    }

    private List<DatasetItem> items(String datasetId, int version) {
        return jdbc.sql("SELECT * FROM dataset_items WHERE dataset_id = :d AND added_in <= :v"
                        + " AND (removed_in IS NULL OR removed_in > :v) ORDER BY added_in, position")
                .param("d", datasetId)
                .param("v", version)
                .query((rs, i) -> new DatasetItem(
                        rs.getString("id"),
                        rs.getString("name"),
                        Json.read(rs.getString("vars"), MAP),
                        Json.read(rs.getString("expected"), STRINGS),
                        rs.getString("context"),
                        Json.read(rs.getString("metadata"), MAP),
                        rs.getInt("added_in")))
                .list();
    }

    // --- changing

    public Dataset create(Project project, @Nullable String name, @Nullable String description, List<NewItem> items) {
        Validation.start()
                .slug(name, "name")
                .maxLength(description, 2000, "description")
                .throwIfInvalid();
        List<DatasetItem> checked = check(items, 1, Set.of());
        long now = clock.millis();
        String id = Ids.newId(clock);
        transactions.executeWithoutResult(status -> {
            if (find(project.id(), name).isPresent()) {
                throw ApiException.conflict("Project '" + project.name() + "' already has a dataset '" + name + "'.");
            }
            jdbc.sql("INSERT INTO datasets (id, project_id, name, description, version, created_by, created_at,"
                            + " updated_at) VALUES (:id, :p, :n, :d, 1, :by, :now, :now)")
                    .param("id", id)
                    .param("p", project.id())
                    .param("n", name)
                    .param("d", description)
                    .param("by", Actors.current())
                    .param("now", now)
                    .update();
            insert(id, checked, now);
            audit.append(
                    "dataset.create",
                    target(project, name),
                    null,
                    Map.of("name", name, "version", 1, "items", checked.size()));
        });
        return get(project, name, null);
    }

    /** Adds items as a new version. */
    public Dataset addItems(Project project, String name, List<NewItem> items) {
        if (items.isEmpty()) {
            throw ApiException.invalid(List.of(new ApiException.FieldError("items", "give at least one item")));
        }
        return change(project, name, (row, next) -> {
            List<DatasetItem> current = items(row.id(), row.version());
            if (current.size() + items.size() > MAX_ITEMS) {
                throw ApiException.unprocessable("A dataset holds at most " + MAX_ITEMS + " items.");
            }
            List<DatasetItem> checked = check(items, next, names(current));
            insert(row.id(), checked, clock.millis());
            return Map.of("version", next, "added", checked.size());
        });
    }

    /** Removes one item (by id or name) as a new version. */
    public Dataset removeItem(Project project, String name, String item) {
        return change(project, name, (row, next) -> {
            int removed = jdbc.sql("UPDATE dataset_items SET removed_in = :v WHERE dataset_id = :d"
                            + " AND (id = :item OR name = :item) AND removed_in IS NULL")
                    .param("v", next)
                    .param("d", row.id())
                    .param("item", item)
                    .update();
            if (removed == 0) {
                throw ApiException.notFound(
                        "Dataset '" + name + "' has no item '" + Validation.abbreviate(item) + "'.");
            }
            return Map.of("version", next, "removed", item);
        });
    }

    /** Imports CSV or JSONL items into the dataset (created when it does not exist yet). */
    public Dataset importItems(Project project, String name, String format, String text) {
        List<NewItem> items = DatasetFormats.parse(format, text);
        if (items.isEmpty()) {
            throw ApiException.unprocessable("The " + format + " text holds no items.");
        }
        Validation.requireSlugPath(name, "Dataset");
        if (find(project.id(), name).isEmpty()) {
            return create(project, name, null, items);
        }
        return addItems(project, name, items);
    }

    public String export(Project project, String name, String format, @Nullable Integer version) {
        return DatasetFormats.write(format, get(project, name, version).items());
    }

    /**
     * Adds items made from the project's production records: the last user message of each (with
     * personal data replaced by its type, e.g. {@code <EMAIL_ADDRESS>}) becomes the variable {@code
     * variable}; the record's id, model, score and anonymized answer go into the metadata.
     * {@code orderBy=score} takes the lowest-scored records first (records without a score are left
     * out); {@code newest} the newest.
     */
    public Dataset fromRecords(Project project, String name, FromRecords request) {
        int limit = request.limit() == null ? 50 : request.limit();
        String orderBy = request.orderBy() == null ? "newest" : request.orderBy();
        String variable = request.variable() == null ? "input" : request.variable();
        Validation.start()
                .require(limit >= 1 && limit <= MAX_FROM_RECORDS, "limit", "must be from 1 to " + MAX_FROM_RECORDS)
                .require(
                        orderBy.equals("score") || orderBy.equals("newest"),
                        "orderBy",
                        "must be 'score' (lowest first) or 'newest'")
                .require(VARIABLE.matcher(variable).matches(), "variable", "must be a variable name")
                .maxLength(request.score(), 200, "score")
                .throwIfInvalid();
        require(project, name);
        List<RecordView> found = new ArrayList<>();
        String cursor = null;
        do {
            Page<RecordView> page = records.list(
                    new Records.Filter(
                            project.name(),
                            request.prompt(),
                            request.version(),
                            request.model(),
                            request.status(),
                            request.from(),
                            request.to(),
                            null,
                            null,
                            null,
                            null,
                            null),
                    cursor,
                    200);
            found.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null && found.size() < RECORD_SCAN);
        List<NewItem> items = new ArrayList<>();
        if (orderBy.equals("score")) {
            record Scored(RecordView record, double score) {}
            List<Scored> scored = new ArrayList<>();
            for (RecordView record : found) {
                Double score = score(records.get(record.id()), request.score());
                if (score != null) {
                    scored.add(new Scored(record, score));
                }
            }
            scored.sort(Comparator.comparingDouble(Scored::score));
            for (Scored s : scored.subList(0, Math.min(limit, scored.size()))) {
                items.add(item(s.record(), s.score(), variable));
            }
        } else {
            for (RecordView record : found.subList(0, Math.min(limit, found.size()))) {
                items.add(item(record, null, variable));
            }
        }
        if (items.isEmpty()) {
            throw ApiException.unprocessable("No record matches the filter"
                    + (orderBy.equals("score") ? " and has a score" : "") + "; nothing was added.");
        }
        return addItems(project, name, items);
    }

    private static @Nullable Double score(RecordView record, @Nullable String name) {
        if (record.feedback() == null) {
            return null;
        }
        double sum = 0;
        int n = 0;
        for (RecordView.Feedback feedback : record.feedback()) {
            if (name == null || name.equals(feedback.name())) {
                sum += feedback.value();
                n++;
            }
        }
        return n == 0 ? null : sum / n;
    }

    private NewItem item(RecordView record, @Nullable Double score, String variable) {
        String input = lastUserText(record.input());
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put(variable, anonymize(input));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("recordId", record.id());
        metadata.put("model", record.model());
        if (record.prompt() != null) {
            metadata.put("prompt", record.prompt() + (record.version() == null ? "" : "@" + record.version()));
        }
        if (score != null) {
            metadata.put("score", score);
        }
        if (record.output() != null) {
            metadata.put("productionOutput", anonymize(record.output()));
        }
        return new NewItem(null, vars, null, null, metadata);
    }

    private static String lastUserText(@Nullable Object input) {
        String text = "";
        if (input instanceof List<?> messages) {
            for (Object message : messages) {
                if (message instanceof Map<?, ?> m && "user".equals(m.get("role"))) {
                    Object content = m.get("content");
                    if (content instanceof String s) {
                        text = s;
                    } else if (content instanceof List<?> parts) {
                        StringBuilder joined = new StringBuilder();
                        for (Object part : parts) {
                            if (part instanceof Map<?, ?> p && p.get("text") instanceof String s) {
                                joined.append(joined.isEmpty() ? "" : "\n").append(s);
                            }
                        }
                        text = joined.toString();
                    }
                }
            }
        }
        return text;
    }

    /** The text with every piece of personal data the engine finds replaced by {@code <TYPE>}. */
    String anonymize(String text) {
        List<PiiEntity> found = new ArrayList<>(analyzer.analyze(text));
        found.sort(Comparator.comparingInt(PiiEntity::start).reversed());
        StringBuilder out = new StringBuilder(text);
        int limit = text.length();
        for (PiiEntity entity : found) {
            if (entity.end() > limit) {
                continue;
            }
            out.replace(entity.start(), entity.end(), "<" + entity.type() + ">");
            limit = entity.start();
        }
        return out.toString();
    }

    @FunctionalInterface
    private interface Change {
        Map<String, Object> apply(Row row, int nextVersion);
    }

    private Dataset change(Project project, String name, Change change) {
        Row row = require(project, name);
        transactions.executeWithoutResult(status -> {
            int updated = jdbc.sql("UPDATE datasets SET version = version + 1, updated_at = :now"
                            + " WHERE id = :id AND version = :v")
                    .param("now", clock.millis())
                    .param("id", row.id())
                    .param("v", row.version())
                    .update();
            if (updated == 0) {
                throw ApiException.conflict("Dataset '" + name + "' changed meanwhile; reload and try again.");
            }
            Map<String, Object> what = change.apply(row, row.version() + 1);
            audit.append("dataset.change", target(project, name), Map.of("version", row.version()), what);
        });
        return get(project, name, null);
    }

    private static Set<String> names(List<DatasetItem> items) {
        Set<String> names = new HashSet<>();
        for (DatasetItem item : items) {
            if (item.name() != null) {
                names.add(item.name());
            }
        }
        return names;
    }

    private void insert(String datasetId, List<DatasetItem> items, long now) {
        for (int i = 0; i < items.size(); i++) {
            DatasetItem item = items.get(i);
            jdbc.sql("INSERT INTO dataset_items (dataset_id, id, name, vars, expected, context, metadata, added_in,"
                            + " position, created_at) VALUES (:d, :id, :name, :vars, :expected, :context, :metadata,"
                            + " :v, :position, :now)")
                    .param("position", i)
                    .param("d", datasetId)
                    .param("id", item.id())
                    .param("name", item.name())
                    .param("vars", Json.write(item.vars()))
                    .param("expected", Json.write(item.expected()))
                    .param("context", item.context())
                    .param("metadata", Json.write(item.metadata()))
                    .param("v", item.addedIn())
                    .param("now", now)
                    .update();
        }
    }

    /** Validates new items (every problem at once) and gives them ids. */
    private List<DatasetItem> check(List<NewItem> items, int version, Set<String> takenNames) {
        if (items.size() > MAX_ITEMS) {
            throw ApiException.unprocessable("A dataset holds at most " + MAX_ITEMS + " items.");
        }
        Validation validation = Validation.start();
        Set<String> names = new HashSet<>(takenNames);
        List<DatasetItem> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String at = "items[" + i + "]";
            NewItem item = items.get(i);
            if (item == null) {
                validation.require(false, at, "must be an object");
                continue;
            }
            Map<String, Object> vars = item.vars() == null ? Map.of() : item.vars();
            for (String key : vars.keySet()) {
                validation.require(
                        VARIABLE.matcher(key).matches(),
                        at + ".vars",
                        "'" + Validation.abbreviate(key) + "' is not a variable name (letters, digits, '_')");
            }
            if (item.name() != null) {
                validation.require(
                        !item.name().isBlank() && item.name().length() <= 200 && !hasControl(item.name()),
                        at + ".name",
                        "must be 1 to 200 printable characters");
                validation.require(
                        names.add(item.name()),
                        at + ".name",
                        "'" + Validation.abbreviate(item.name()) + "' is taken by another item of the dataset");
            }
            validation.maxLength(item.context(), 100_000, at + ".context");
            List<String> expected = expected(item.expected(), at, validation);
            out.add(new DatasetItem(
                    Ids.newId(clock),
                    item.name(),
                    vars,
                    expected,
                    item.context(),
                    item.metadata() == null ? Map.of() : item.metadata(),
                    version));
        }
        validation.throwIfInvalid();
        return out;
    }

    private List<String> expected(@Nullable Object value, String at, Validation validation) {
        List<String> expected = new ArrayList<>();
        if (value == null) {
            return expected;
        }
        if (value instanceof String s) {
            expected.add(s);
        } else if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            list.forEach(v -> expected.add((String) v));
        } else {
            validation.require(false, at + ".expected", "must be an assertion string or a list of them");
            return List.of();
        }
        for (String text : expected) {
            if (text.isBlank() || text.length() > 10_000) {
                validation.require(false, at + ".expected", "an assertion must be 1 to 10000 characters");
                continue;
            }
            try {
                dev.promptforge.eval.Assertion assertion = SuiteLoader.assertionFromString(text);
                if (Evaluators.isModelGraded(assertion)) {
                    continue; // graded by the judge of the pipeline that runs the item
                }
                evaluators.compile(assertion);
            } catch (InvalidAssertionException | IllegalArgumentException e) {
                validation.require(false, at + ".expected", String.valueOf(e.getMessage()));
            }
        }
        return expected;
    }

    private static boolean hasControl(String text) {
        return text.chars().anyMatch(c -> c < 0x20);
    }
}
