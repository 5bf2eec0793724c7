package dev.promptforge.server.registry;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Patch;
import dev.promptforge.server.audit.AuditLog;
import dev.promptforge.server.registry.RegistryRequests.NewProject;
import dev.promptforge.server.registry.RegistryRequests.NewPrompt;
import dev.promptforge.server.registry.RegistryRequests.NewVersion;
import dev.promptforge.server.shared.Actors;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Ids;
import dev.promptforge.server.shared.Json;
import dev.promptforge.server.shared.Page;
import dev.promptforge.server.shared.Validation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The registry's API: projects, prompts, immutable versions, labels and rendering. Every method
 * validates its input and throws {@link ApiException} with a message a person can act on.
 */
@Service
public class PromptRegistry {

    /** The label a caller gets when it names neither a label nor a version. */
    public static final String DEFAULT_LABEL = "production";

    static final int MAX_PAGE = 200;
    static final int DEFAULT_PAGE = 50;
    private static final Pattern MODEL = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}/[A-Za-z0-9._:/@+-]{1,200}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern PARAMETER = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");

    private final RegistryRepository repository;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final Clock clock;

    PromptRegistry(RegistryRepository repository, TransactionTemplate transactions, AuditLog audit, Clock clock) {
        this.repository = repository;
        this.transactions = transactions;
        this.audit = audit;
        this.clock = clock;
    }

    /** The audit target of a project, a prompt, or something of a prompt. */
    static String target(String project, String... path) {
        StringBuilder target = new StringBuilder("project/").append(project);
        for (String part : path) {
            target.append('/').append(part);
        }
        return target.toString();
    }

    // --- projects

    public Project createProject(NewProject request) {
        Validation.start()
                .slug(request.name(), "name")
                .maxLength(request.description(), 2000, "description")
                .throwIfInvalid();
        Project project = new Project(Ids.newId(clock), request.name(), request.description(), Actors.current(), now());
        transactions.executeWithoutResult(status -> {
            if (repository.findProject(project.name()).isPresent()) {
                throw ApiException.conflict("A project named '" + project.name() + "' already exists.");
            }
            repository.insertProject(project);
            audit.append("project.create", target(project.name()), null, project);
        });
        return project;
    }

    /**
     * Deletes a project with everything in it: prompts, versions, labels, records, feedback, PII
     * policy, evaluators, members and API keys (the database cascades). The audit log keeps that it
     * happened.
     */
    public void deleteProject(Project project) {
        transactions.executeWithoutResult(status -> {
            repository.deleteProject(project.id());
            audit.append("project.delete", target(project.name()), project, null);
        });
        projectCache.remove(project.name());
    }

    public Project project(String name) {
        Validation.requireSlugPath(name, "Project");
        return findProject(name).orElseThrow(() -> ApiException.notFound("Project '" + name + "' does not exist."));
    }

    /**
     * Projects looked up recently, so the execution path does not query the database for its project
     * on every call; an entry lives at most {@link #PROJECT_CACHE_TTL_MS}.
     */
    static final long PROJECT_CACHE_TTL_MS = 5_000;

    private record CachedProject(Project project, long loadedAt) {}

    private final java.util.concurrent.ConcurrentHashMap<String, CachedProject> projectCache =
            new java.util.concurrent.ConcurrentHashMap<>();

    private java.util.Optional<Project> findProject(String name) {
        long now = clock.millis();
        CachedProject cached = projectCache.get(name);
        if (cached != null && now - cached.loadedAt() < PROJECT_CACHE_TTL_MS) {
            return java.util.Optional.of(cached.project());
        }
        java.util.Optional<Project> found = repository.findProject(name);
        if (found.isPresent()) {
            if (projectCache.size() > 10_000) {
                projectCache.clear();
            }
            projectCache.put(name, new CachedProject(found.get(), now));
        }
        return found;
    }

    /** The project with this id (from an API key bound to it). */
    public Project projectById(String id) {
        return repository
                .findProjectById(id)
                .orElseThrow(() -> ApiException.notFound("The project of this API key no longer exists."));
    }

    /** The project, created (by the system) when it does not exist yet. */
    public Project projectOrCreate(String name, String description) {
        return findProject(name).orElseGet(() -> {
            try {
                return createProject(new NewProject(name, description));
            } catch (ApiException e) {
                return project(name);
            }
        });
    }

    public Page<Project> projects(@Nullable String cursor, @Nullable Integer limit) {
        int size = pageSize(limit);
        List<Project> rows = repository.listProjects(decodeCursor(cursor), size + 1);
        return page(rows, size, Project::name);
    }

    // --- prompts

    public Prompt createPrompt(String projectName, NewPrompt request) {
        Project project = project(projectName);
        List<String> tags = request.tags() == null ? List.of() : request.tags();
        Validation validation = Validation.start()
                .slug(request.name(), "name")
                .maxLength(request.description(), 2000, "description")
                .require(tags.size() <= 20, "tags", "at most 20 tags");
        for (int i = 0; i < tags.size(); i++) {
            String tag = tags.get(i);
            validation.require(
                    tag != null && Validation.isSlug(tag),
                    "tags[" + i + "]",
                    tag == null ? "must not be null" : Validation.slugMessage(tag));
        }
        validation.throwIfInvalid();
        Instant now = now();
        Prompt prompt = new Prompt(
                Ids.newId(clock),
                project.name(),
                request.name(),
                request.description(),
                List.copyOf(new TreeSet<>(tags)),
                null,
                false,
                Actors.current(),
                now,
                now);
        transactions.executeWithoutResult(status -> {
            if (repository.findPrompt(project, prompt.name()).isPresent()) {
                throw ApiException.conflict(
                        "Project '" + project.name() + "' already has a prompt named '" + prompt.name() + "'.");
            }
            repository.insertPrompt(prompt, project.id());
            audit.append("prompt.create", target(project.name(), "prompt", prompt.name()), null, prompt);
        });
        return prompt;
    }

    public Prompt prompt(String projectName, String promptName) {
        return prompt(project(projectName), promptName);
    }

    private Prompt prompt(Project project, String promptName) {
        Validation.requireSlugPath(promptName, "Prompt");
        return repository
                .findPrompt(project, promptName)
                .orElseThrow(() -> ApiException.notFound(
                        "Prompt '" + promptName + "' does not exist in project '" + project.name() + "'."));
    }

    public Page<Prompt> prompts(
            String projectName,
            @Nullable String tag,
            @Nullable String query,
            boolean includeArchived,
            @Nullable String cursor,
            @Nullable Integer limit) {
        Project project = project(projectName);
        int size = pageSize(limit);
        if (tag != null && !Validation.isSlug(tag)) {
            throw ApiException.badRequest("Parameter 'tag': " + Validation.slugMessage(tag));
        }
        String q = query == null || query.isBlank() ? null : query.strip();
        List<Prompt> rows = repository.listPrompts(project, tag, q, includeArchived, decodeCursor(cursor), size + 1);
        return page(rows, size, Prompt::name);
    }

    public Prompt archivePrompt(String projectName, String promptName) {
        Prompt prompt = prompt(projectName, promptName);
        return transactions.execute(status -> {
            if (!repository.archivePrompt(prompt.id(), clock.millis())) {
                return prompt(projectName, promptName);
            }
            Prompt archived = prompt(projectName, promptName);
            audit.append("prompt.archive", target(archived.project(), "prompt", archived.name()), prompt, archived);
            return archived;
        });
    }

    // --- versions

    /** The created version, or the latest one when its content is identical ({@code created} false). */
    public record VersionResult(PromptVersion version, boolean created) {}

    public VersionResult createVersion(String projectName, String promptName, NewVersion request) {
        Prompt prompt = prompt(projectName, promptName);
        Content content = validate(request);
        String hash = content.hash();
        String author = Actors.current();
        return transactions.execute(status -> {
            Instant now = now();
            int latest = repository
                    .lockPrompt(prompt.id(), now.toEpochMilli())
                    .orElseThrow(() -> ApiException.conflict("Prompt '" + prompt.name()
                            + "' is archived; its versions are read-only. Create a new prompt instead."));
            if (latest > 0) {
                PromptVersion current = repository.findVersion(prompt, latest).orElseThrow();
                if (current.contentHash().equals(hash)) {
                    return new VersionResult(current, false);
                }
            }
            PromptVersion version = new PromptVersion(
                    prompt.id(),
                    prompt.name(),
                    latest + 1,
                    content.template(),
                    content.messages(),
                    content.model(),
                    content.parameters(),
                    content.variables(),
                    request.commitMessage(),
                    hash,
                    author,
                    now);
            repository.insertVersion(version);
            audit.append(
                    "version.create",
                    target(prompt.project(), "prompt", prompt.name(), "version", Integer.toString(version.version())),
                    null,
                    version);
            return new VersionResult(version, true);
        });
    }

    public PromptVersion version(String projectName, String promptName, int number) {
        Prompt prompt = prompt(projectName, promptName);
        return version(prompt, number);
    }

    private PromptVersion version(Prompt prompt, int number) {
        return repository
                .findVersion(prompt, number)
                .orElseThrow(() -> ApiException.notFound("Version " + number + " of prompt '" + prompt.name()
                        + "' does not exist" + latestHint(prompt) + "."));
    }

    public Page<PromptVersion> versions(
            String projectName, String promptName, @Nullable String cursor, @Nullable Integer limit) {
        Prompt prompt = prompt(projectName, promptName);
        int size = pageSize(limit);
        Integer before = null;
        String decoded = decodeCursor(cursor);
        if (decoded != null) {
            try {
                before = Integer.parseInt(decoded);
            } catch (NumberFormatException e) {
                throw invalidCursor();
            }
        }
        List<PromptVersion> rows = repository.listVersions(prompt, before, size + 1);
        return page(rows, size, v -> Integer.toString(v.version()));
    }

    /**
     * The version a caller means: an explicit version number, else the version the label points at
     * (default {@value #DEFAULT_LABEL}).
     */
    public PromptVersion resolve(
            String projectName, String promptName, @Nullable Integer version, @Nullable String label) {
        Prompt prompt = prompt(projectName, promptName);
        if (version != null && label != null) {
            throw ApiException.unprocessable("Give either 'version' or 'label', not both.");
        }
        if (version != null) {
            return version(prompt, version);
        }
        String name = label == null ? DEFAULT_LABEL : label;
        if (!Validation.isSlug(name)) {
            throw ApiException.unprocessable("label: " + Validation.slugMessage(name));
        }
        Label found = repository
                .findLabel(prompt.id(), name)
                .orElseThrow(() -> ApiException.notFound("Prompt '" + prompt.name() + "' has no label '" + name
                        + "'; move one with PUT …/labels/" + name + " or name a version."));
        return version(prompt, found.version());
    }

    public VersionDiff diff(String projectName, String promptName, int from, int to) {
        Prompt prompt = prompt(projectName, promptName);
        PromptVersion a = version(prompt, from);
        PromptVersion b = version(prompt, to);
        List<String> before = contentLines(a);
        List<String> after = contentLines(b);
        Patch<String> patch = DiffUtils.diff(before, after);
        List<String> unified = UnifiedDiffUtils.generateUnifiedDiff("v" + from, "v" + to, before, patch, 3);
        List<VersionDiff.Hunk> hunks = new ArrayList<>();
        for (AbstractDelta<String> delta : patch.getDeltas()) {
            hunks.add(new VersionDiff.Hunk(
                    delta.getType().name(),
                    delta.getSource().getPosition() + 1,
                    delta.getSource().getLines(),
                    delta.getTarget().getPosition() + 1,
                    delta.getTarget().getLines()));
        }
        List<VersionDiff.ParameterChange> parameters = new ArrayList<>();
        Set<String> names = new TreeSet<>(a.parameters().keySet());
        names.addAll(b.parameters().keySet());
        for (String name : names) {
            Object x = a.parameters().get(name);
            Object y = b.parameters().get(name);
            if (!Objects.equals(x, y)) {
                parameters.add(new VersionDiff.ParameterChange(name, x, y));
            }
        }
        List<String> added =
                b.variables().stream().filter(v -> !a.variables().contains(v)).toList();
        List<String> removed =
                a.variables().stream().filter(v -> !b.variables().contains(v)).toList();
        return new VersionDiff(
                prompt.name(),
                from,
                to,
                a.contentHash().equals(b.contentHash()),
                new VersionDiff.ContentDiff(String.join("\n", unified), hunks),
                a.model().equals(b.model()) ? null : new VersionDiff.Change(a.model(), b.model()),
                parameters,
                new VersionDiff.VariableChange(added, removed));
    }

    private static List<String> contentLines(PromptVersion v) {
        if (v.template() != null) {
            return v.template().lines().toList();
        }
        List<String> lines = new ArrayList<>();
        for (PromptMessage m : v.messages()) {
            lines.add("[" + m.role() + "]");
            lines.addAll(m.content().lines().toList());
        }
        return lines;
    }

    // --- labels

    public Label moveLabel(String projectName, String promptName, String labelName, @Nullable Integer version) {
        Prompt prompt = prompt(projectName, promptName);
        if (!Validation.isSlug(labelName)) {
            throw ApiException.badRequest("Label " + Validation.slugMessage(labelName));
        }
        if (version == null) {
            throw ApiException.invalid(List.of(new ApiException.FieldError("version", "is required")));
        }
        String actor = Actors.current();
        return transactions.execute(status -> {
            Instant now = now();
            int latest = repository
                    .lockPrompt(prompt.id(), now.toEpochMilli())
                    .orElseThrow(() -> ApiException.conflict(
                            "Prompt '" + prompt.name() + "' is archived; its labels cannot move."));
            if (version < 1 || version > latest) {
                throw ApiException.unprocessable(
                        "Version " + version + " of prompt '" + prompt.name() + "' does not exist"
                                + (latest == 0 ? "; create a version first." : "; the latest is " + latest + "."));
            }
            Label current = repository.findLabel(prompt.id(), labelName).orElse(null);
            if (current != null && current.version() == version) {
                return current;
            }
            Label label = new Label(labelName, version, actor, now);
            repository.upsertLabel(prompt.id(), label);
            repository.insertLabelMove(
                    Ids.newId(clock),
                    prompt.id(),
                    new LabelMove(labelName, current == null ? null : current.version(), version, actor, now));
            audit.append(
                    actor,
                    "label.move",
                    target(prompt.project(), "prompt", prompt.name(), "label", labelName),
                    current,
                    label);
            return label;
        });
    }

    public List<Label> labels(String projectName, String promptName) {
        return repository.listLabels(prompt(projectName, promptName).id());
    }

    public List<LabelMove> labelHistory(String projectName, String promptName, String labelName) {
        Prompt prompt = prompt(projectName, promptName);
        Validation.requireSlugPath(labelName, "Label");
        List<LabelMove> moves = repository.labelHistory(prompt.id(), labelName);
        if (moves.isEmpty()) {
            throw ApiException.notFound("Prompt '" + prompt.name() + "' has no label '" + labelName + "'.");
        }
        return moves;
    }

    // --- rendering

    /** Renders a version with the given variables; a missing variable is a 422 naming it. */
    public RenderedPrompt render(PromptVersion version, Map<String, ?> variables) {
        List<PromptMessage> rendered = new ArrayList<>();
        for (PromptMessage message : version.asMessages()) {
            try {
                rendered.add(new PromptMessage(
                        message.role(),
                        MustacheTemplate.parse(message.content()).render(variables)));
            } catch (TemplateException e) {
                throw ApiException.unprocessable("Cannot render version " + version.version() + " of prompt '"
                        + version.prompt() + "': " + e.getMessage() + ". Pass it in \"variables\".");
            }
        }
        return new RenderedPrompt(version.prompt(), version.version(), version.model(), version.parameters(), rendered);
    }

    // --- validation and hashing

    private record Content(
            @Nullable String template,
            @Nullable List<PromptMessage> messages,
            String model,
            Map<String, Object> parameters,
            List<String> variables) {

        String hash() {
            Map<String, Object> canonical = new TreeMap<>();
            canonical.put("template", template);
            canonical.put("messages", messages);
            canonical.put("model", model);
            canonical.put("parameters", sorted(parameters));
            canonical.put("variables", new TreeSet<>(variables));
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256")
                        .digest(Json.write(canonical).getBytes(StandardCharsets.UTF_8));
                return "sha256:" + HexFormat.of().formatHex(digest);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private static Object sorted(Object value) {
            if (value instanceof Map<?, ?> map) {
                Map<String, Object> result = new TreeMap<>();
                map.forEach((k, v) -> result.put(String.valueOf(k), sorted(v)));
                return result;
            }
            if (value instanceof List<?> list) {
                return list.stream().map(Content::sorted).toList();
            }
            return value;
        }
    }

    private static Content validate(NewVersion request) {
        Validation validation = Validation.start();
        boolean hasTemplate = request.template() != null;
        boolean hasMessages = request.messages() != null;
        validation.require(
                hasTemplate != hasMessages,
                hasTemplate ? "messages" : "template",
                hasTemplate
                        ? "give either \"template\" or \"messages\", not both"
                        : "a version needs either \"template\" (text with {{variables}}) or \"messages\""
                                + " ([{\"role\": \"system|user|assistant\", \"content\": \"...\"}])");
        if (hasTemplate) {
            validation.require(!request.template().isBlank(), "template", "must not be empty");
        }
        if (hasMessages) {
            validation.require(!request.messages().isEmpty(), "messages", "must contain at least one message");
            for (int i = 0; i < request.messages().size(); i++) {
                PromptMessage m = request.messages().get(i);
                if (m == null) {
                    validation.require(false, "messages[" + i + "]", "must not be null");
                    continue;
                }
                validation.require(
                        m.role() != null && PromptMessage.ROLES.contains(m.role()),
                        "messages[" + i + "].role",
                        "must be one of system, user, assistant");
                validation.require(
                        m.content() != null && !m.content().isBlank(),
                        "messages[" + i + "].content",
                        "must not be empty");
            }
        }
        validation.require(
                request.model() != null, "model", "is required, e.g. \"local/echo\" or \"openai/gpt-4o-mini\"");
        if (request.model() != null) {
            validation.require(
                    MODEL.matcher(request.model()).matches(),
                    "model",
                    "'" + Validation.abbreviate(request.model())
                            + "' is not a model name: use provider/model, e.g. \"local/echo\"");
        }
        Map<String, Object> parameters = validateParameters(request.parameters(), validation);
        List<String> variables = request.variables() == null ? List.of() : request.variables();
        Set<String> declared = new LinkedHashSet<>();
        for (int i = 0; i < variables.size(); i++) {
            String name = variables.get(i);
            boolean valid = name != null && VARIABLE.matcher(name).matches();
            validation.require(
                    valid,
                    "variables[" + i + "]",
                    "'" + Validation.abbreviate(String.valueOf(name))
                            + "' is not a variable name (letters, digits and '_', not starting with a digit)");
            if (valid) {
                validation.require(declared.add(name), "variables[" + i + "]", "'" + name + "' is declared twice");
            }
        }
        validation.maxLength(request.commitMessage(), 2000, "commitMessage");
        validation.throwIfInvalid();

        List<PromptMessage> messages = hasMessages ? List.copyOf(request.messages()) : null;
        List<String> sources = hasTemplate
                ? List.of(request.template())
                : messages.stream().map(PromptMessage::content).toList();
        for (int i = 0; i < sources.size(); i++) {
            String where = hasTemplate ? "template" : "messages[" + i + "].content";
            MustacheTemplate template;
            try {
                template = MustacheTemplate.parse(sources.get(i));
            } catch (TemplateException e) {
                throw ApiException.unprocessable(where + ": " + e.getMessage());
            }
            for (String used : template.requiredVariables()) {
                if (!declared.contains(used)) {
                    throw new ApiException(
                            org.springframework.http.HttpStatus.UNPROCESSABLE_CONTENT,
                            "Undeclared variable",
                            where + " uses the variable '" + used + "', which is not declared: add \"" + used
                                    + "\" to \"variables\".",
                            List.of(new ApiException.FieldError("variables", "missing '" + used + "'")));
                }
            }
        }
        return new Content(request.template(), messages, request.model(), parameters, List.copyOf(declared));
    }

    private static Map<String, Object> validateParameters(@Nullable Map<String, Object> given, Validation validation) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        if (given == null) {
            return parameters;
        }
        given.forEach((name, value) -> {
            String field = "parameters." + name;
            if (!PARAMETER.matcher(name).matches()) {
                validation.require(
                        false, "parameters", "'" + Validation.abbreviate(name) + "' is not a parameter name");
                return;
            }
            if (value == null) {
                return;
            }
            switch (name) {
                case "temperature" -> number(value, 0, 2, field, validation);
                case "top_p" -> number(value, 0, 1, field, validation);
                case "presence_penalty", "frequency_penalty" -> number(value, -2, 2, field, validation);
                case "max_tokens", "max_completion_tokens" ->
                    validation.require(
                            isInteger(value)
                                    && ((Number) value).longValue() >= 1
                                    && ((Number) value).longValue() <= 10_000_000,
                            field,
                            "must be a whole number of at least 1");
                case "seed", "n", "top_k" -> validation.require(isInteger(value), field, "must be a whole number");
                case "stop" ->
                    validation.require(
                            value instanceof String
                                    || (value instanceof List<?> list
                                            && list.size() <= 16
                                            && list.stream().allMatch(String.class::isInstance)),
                            field,
                            "must be a string or a list of strings");
                default -> {}
            }
            parameters.put(name, value);
        });
        return parameters;
    }

    private static void number(Object value, double min, double max, String field, Validation validation) {
        boolean ok = value instanceof Number n && n.doubleValue() >= min && n.doubleValue() <= max;
        validation.require(ok, field, "must be a number from " + fmt(min) + " to " + fmt(max));
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static boolean isInteger(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger;
    }

    // --- helpers

    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    private static String latestHint(Prompt prompt) {
        return prompt.latestVersion() == null
                ? " (it has no versions yet)"
                : " (versions are 1 to " + prompt.latestVersion() + ")";
    }

    private static int pageSize(@Nullable Integer limit) {
        if (limit == null) {
            return DEFAULT_PAGE;
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw ApiException.badRequest("Parameter 'limit' must be from 1 to " + MAX_PAGE + ", got " + limit + ".");
        }
        return limit;
    }

    private static <T> Page<T> page(List<T> rows, int size, java.util.function.Function<T, String> key) {
        if (rows.size() <= size) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, size);
        return new Page<>(items, encodeCursor(key.apply(items.getLast())));
    }

    private static String encodeCursor(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static @Nullable String decodeCursor(@Nullable String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalidCursor();
        }
    }

    private static ApiException invalidCursor() {
        return ApiException.badRequest(
                "Parameter 'cursor' is not valid: pass the 'nextCursor' of the previous page unchanged.");
    }
}
