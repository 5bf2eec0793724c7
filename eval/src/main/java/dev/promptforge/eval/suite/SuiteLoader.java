package dev.promptforge.eval.suite;

import static java.util.Objects.requireNonNull;

import dev.promptforge.eval.Assertion;
import dev.promptforge.eval.CompiledAssertion;
import dev.promptforge.eval.EvalProvider;
import dev.promptforge.eval.Evaluators;
import dev.promptforge.eval.InvalidAssertionException;
import dev.promptforge.eval.suite.Node.Entry;
import dev.promptforge.eval.suite.Node.ListNode;
import dev.promptforge.eval.suite.Node.MapNode;
import dev.promptforge.eval.suite.Node.Scalar;
import dev.promptforge.eval.template.Template;
import dev.promptforge.eval.template.TemplateException;
import dev.promptforge.eval.template.Values;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Loads promptfoo-compatible suites: {@code description}, {@code tags}, {@code prompts}, {@code
 * providers}, {@code tests} (inline, or {@code file://} CSV, YAML, JSON and JSONL files, globs
 * allowed), {@code defaultTest}, {@code scenarios}, {@code evaluateOptions} and {@code outputPath}.
 *
 * <p>Everything is checked before anything runs: unknown keys, unsupported promptfoo features
 * (JavaScript and Python assertions, transforms, {@code {% if %}} templates …), unreadable files,
 * unknown providers and invalid assertions are {@link SuiteException}s that name the file, line and
 * column. A variable whose value is a list makes one test per element (promptfoo's combinations).
 */
public final class SuiteLoader {

    private static final Set<String> TOP_LEVEL = Set.of(
            "description",
            "tags",
            "prompts",
            "providers",
            "tests",
            "scenarios",
            "defaultTest",
            "evaluateOptions",
            "outputPath",
            "sharing");
    private static final Set<String> UNSUPPORTED_TOP_LEVEL = Set.of(
            "env",
            "nunjucksFilters",
            "derivedMetrics",
            "extensions",
            "redteam",
            "metadata",
            "commandLineOptions",
            "tracing",
            "writeLatestResults",
            "targets");
    private static final Set<String> TEST_KEYS =
            Set.of("description", "vars", "assert", "threshold", "metadata", "options");
    private static final Set<String> DEFAULT_TEST_KEYS = Set.of("vars", "assert", "threshold", "metadata", "options");
    private static final Set<String> OPTION_KEYS = Set.of("prefix", "suffix", "provider");
    private static final Set<String> ASSERTION_KEYS =
            Set.of("type", "value", "threshold", "weight", "metric", "provider", "assert");
    private static final Set<String> EVALUATE_OPTION_KEYS =
            Set.of("maxConcurrency", "repeat", "delay", "timeoutMs", "cache", "showProgressBar");
    private static final Set<String> SPECIAL_CSV_COLUMNS =
            Set.of("__description", "__metric", "__threshold", "__prefix", "__suffix");
    /**
     * promptfoo gives these types a threshold of 0.75 when a CSV cell names none (its {@code
     * assertionFromString}), so {@code levenshtein:text} in a CSV passes only at distance 0, unlike
     * the same assertion written in YAML (threshold 5).
     */
    private static final Set<String> CSV_THRESHOLD_TYPES = Set.of(
            "answer-relevance",
            "context-faithfulness",
            "context-recall",
            "context-relevance",
            "cost",
            "latency",
            "levenshtein",
            "perplexity",
            "perplexity-score",
            "rouge-n",
            "starts-with");

    private static final double CSV_DEFAULT_THRESHOLD = 0.75;
    private static final Set<String> CSV_LIST_TYPES =
            Set.of("contains-any", "contains-all", "icontains-any", "icontains-all");
    private static final Set<String> CSV_TYPES = Set.of(
            "equals",
            "contains",
            "icontains",
            "contains-any",
            "contains-all",
            "icontains-any",
            "icontains-all",
            "starts-with",
            "regex",
            "is-json",
            "contains-json",
            "is-xml",
            "contains-xml",
            "levenshtein",
            "rouge-n",
            "bleu",
            "word-count",
            "cost",
            "latency",
            "finish-reason",
            "is-refusal",
            "perplexity",
            "perplexity-score",
            "similar",
            "factuality",
            "model-graded-closedqa",
            "answer-relevance",
            "context-faithfulness",
            "context-recall",
            "context-relevance",
            "moderation",
            "g-eval",
            "pii-leak",
            "groundedness-lexical",
            "answer-relevance-lexical",
            "webhook",
            "javascript",
            "python");
    /** {@code [not-]type[(threshold)][:value]}, longest type names first so contains-any is not contains. */
    private static final Pattern CSV_ASSERTION = Pattern.compile("^(not-)?("
            + String.join(
                    "|",
                    CSV_TYPES.stream()
                            .sorted(java.util.Comparator.comparing(String::length)
                                    .reversed())
                            .toList())
            + ")(?:\\((\\d+(?:\\.\\d+)?)\\))?(?::([\\s\\S]*))?$");

    private final ProviderResolver providers;
    private final EvaluatorsFactory evaluatorsFactory;

    private SuiteLoader(Builder builder) {
        this.providers = requireNonNull(builder.providers, "providers");
        this.evaluatorsFactory = builder.evaluators;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Loads and checks a suite; every problem is a {@link SuiteException} with its location. */
    public Suite load(Path configFile) {
        String name = configFile.toString();
        String text = read(configFile, new Location(name, 0, 0), "the suite");
        Node root = YamlTree.parse(text, name);
        return new Load(configFile).suite(root);
    }

    /** One load: the suite's directory and the evaluators made for it. */
    private final class Load {
        private final Path configFile;
        private final Path baseDir;
        private Evaluators evaluators = Evaluators.deterministic();
        private final Map<Assertion, CompiledAssertion> compiled = new IdentityHashMap<>();

        Load(Path configFile) {
            this.configFile = configFile;
            Path parent = configFile.getParent();
            this.baseDir = parent == null ? Path.of("") : parent;
        }

        Suite suite(Node rootNode) {
            MapNode root = map(rootNode, "the suite");
            for (Entry entry : root.entries().values()) {
                if (UNSUPPORTED_TOP_LEVEL.contains(entry.key())) {
                    throw new SuiteException(
                            entry.keyLocation(),
                            "'" + entry.key() + "' is a promptfoo setting PromptForge does not support");
                }
                if (!TOP_LEVEL.contains(entry.key())) {
                    throw unknownKey(entry, "the suite", TOP_LEVEL);
                }
            }
            Node sharing = root.get("sharing");
            if (sharing != null && !Boolean.FALSE.equals(sharing.plain())) {
                throw new SuiteException(
                        sharing.location(),
                        "PromptForge never shares results: remove 'sharing' or set" + " it to false");
            }
            String description = optionalString(root.get("description"), "description");
            Map<String, String> tags = tags(root.get("tags"));
            EvaluateOptions options = evaluateOptions(root.get("evaluateOptions"));
            List<String> outputPaths = stringOrList(root.get("outputPath"), "outputPath");

            RawTest defaults = root.get("defaultTest") == null
                    ? RawTest.EMPTY
                    : rawTest(map(root.get("defaultTest"), "defaultTest"), "defaultTest", DEFAULT_TEST_KEYS, baseDir);
            evaluators = makeEvaluators(root.get("defaultTest"));

            List<SuiteProvider> suiteProviders = providers(root.get("providers"), root.location());
            List<SuitePrompt> prompts = prompts(root.get("prompts"), root.location(), suiteProviders);

            List<RawTest> raw = new ArrayList<>();
            Node testsNode = root.get("tests");
            if (testsNode != null) {
                raw.addAll(testList(testsNode, baseDir));
            }
            Node scenarios = root.get("scenarios");
            if (scenarios != null) {
                raw.addAll(scenarios(scenarios));
            }
            if (testsNode == null && scenarios == null) {
                raw.add(new RawTest(null, Map.of(), List.of(), null, Map.of(), null, null, root.location()));
            }
            List<TestCase> tests = new ArrayList<>();
            for (RawTest test : raw) {
                RawTest merged = defaults.under(test);
                for (Map<String, Object> vars : combinations(merged.vars())) {
                    tests.add(testCase(tests.size(), merged, vars));
                }
            }
            return new Suite(configFile, description, tags, prompts, suiteProviders, tests, options, outputPaths);
        }

        private Evaluators makeEvaluators(@Nullable Node defaultTest) {
            JudgeSpec grader = null;
            if (defaultTest instanceof MapNode map && map.get("options") instanceof MapNode opts) {
                Node provider = opts.get("provider");
                if (provider != null) {
                    grader = judgeSpec(provider);
                }
            }
            try {
                return evaluatorsFactory.create(grader);
            } catch (IllegalArgumentException e) {
                Location where = grader != null ? grader.location() : new Location(configFile.toString(), 0, 0);
                throw new SuiteException(where, e.getMessage(), e);
            }
        }

        // ---- providers

        private List<SuiteProvider> providers(@Nullable Node node, Location rootLocation) {
            if (node == null) {
                throw new SuiteException(rootLocation, "the suite needs 'providers' (e.g. providers: [local/echo])");
            }
            List<Node> items = node instanceof ListNode list ? list.items() : List.of(node);
            if (items.isEmpty()) {
                throw new SuiteException(node.location(), "'providers' is empty");
            }
            List<SuiteProvider> out = new ArrayList<>();
            for (Node item : items) {
                ProviderSpec spec = providerSpec(item);
                EvalProvider provider;
                try {
                    provider = providers.resolve(spec);
                } catch (IllegalArgumentException e) {
                    throw new SuiteException(spec.location(), e.getMessage(), e);
                }
                out.add(new SuiteProvider(spec, provider));
            }
            return out;
        }

        /** A judge: one provider, or one per kind ({@code text}, {@code embedding}, {@code moderation}). */
        private JudgeSpec judgeSpec(Node item) {
            if (item instanceof MapNode map
                    && (JudgeSpec.KINDS.stream().anyMatch(kind -> map.get(kind) != null)
                            || map.get("classification") != null)) {
                allowOnly(
                        map,
                        "a judge",
                        Set.copyOf(JudgeSpec.KINDS),
                        Map.of("classification", "classifier assertions are not supported"));
                return new JudgeSpec(
                        null,
                        map.get("text") == null ? null : providerSpec(map.get("text")),
                        map.get("embedding") == null ? null : providerSpec(map.get("embedding")),
                        map.get("moderation") == null ? null : providerSpec(map.get("moderation")),
                        map.location());
            }
            return JudgeSpec.of(providerSpec(item));
        }

        private ProviderSpec providerSpec(Node item) {
            if (item instanceof Scalar scalar && scalar.value() instanceof String id && !id.isBlank()) {
                return new ProviderSpec(id, null, Map.of(), item.location());
            }
            MapNode map = map(item, "a provider");
            allowOnly(
                    map,
                    "a provider",
                    Set.of("id", "label", "config"),
                    Map.of(
                            "transform", "provider transforms run JavaScript, which PromptForge does not",
                            "delay", "set the delay in evaluateOptions.delay"));
            String id = requiredString(map, "id", "a provider");
            String label = optionalString(map.get("label"), "label");
            Map<String, Object> config = Map.of();
            Node configNode = map.get("config");
            if (configNode != null) {
                config = map(configNode, "a provider's config").plain();
            }
            return new ProviderSpec(id, label, config, map.location());
        }

        // ---- prompts

        private List<SuitePrompt> prompts(
                @Nullable Node node, Location rootLocation, List<SuiteProvider> suiteProviders) {
            if (node == null) {
                boolean selfPrompting =
                        suiteProviders.stream().allMatch(p -> p.provider().rendersItsOwnPrompt());
                if (selfPrompting) {
                    return List.of(new SuitePrompt("registry prompt", Template.parse(""), rootLocation));
                }
                throw new SuiteException(
                        rootLocation, "the suite needs 'prompts' (its providers do not bring their" + " own)");
            }
            List<Node> items = node instanceof ListNode list ? list.items() : List.of(node);
            if (items.isEmpty()) {
                throw new SuiteException(node.location(), "'prompts' is empty");
            }
            List<SuitePrompt> out = new ArrayList<>();
            for (Node item : items) {
                if (item instanceof Scalar scalar && scalar.value() instanceof String text) {
                    out.addAll(promptsFrom(text, null, item.location()));
                } else {
                    MapNode map = map(item, "a prompt");
                    allowOnly(
                            map,
                            "a prompt",
                            Set.of("id", "raw", "label"),
                            Map.of(
                                    "function", "prompt functions run code, which PromptForge does not",
                                    "config", "prompt-level provider config is not supported; set it on the provider"));
                    String label = optionalString(map.get("label"), "label");
                    String raw = optionalString(map.get("raw"), "raw");
                    String id = optionalString(map.get("id"), "id");
                    if ((raw == null) == (id == null)) {
                        throw new SuiteException(
                                map.location(),
                                "a prompt needs either 'raw' (the text) or 'id'" + " (a file://), not both");
                    }
                    if (raw != null) {
                        out.add(prompt(label != null ? label : shorten(raw), raw, map.location()));
                    } else {
                        out.addAll(promptsFrom(id, label, map.location()));
                    }
                }
            }
            return out;
        }

        private List<SuitePrompt> promptsFrom(String text, @Nullable String label, Location location) {
            if (!text.startsWith("file://")) {
                return List.of(prompt(label != null ? label : shorten(text), text, location));
            }
            List<SuitePrompt> out = new ArrayList<>();
            for (Path file : files(text, baseDir, location)) {
                String name = file.toString();
                String lower = name.toLowerCase(Locale.ROOT);
                if (isCode(lower)) {
                    throw new SuiteException(location, "prompt files that run code (" + name + ") are not supported");
                }
                String content = read(file, location, "the prompt file");
                Location fileLocation = new Location(name, 1, 1);
                if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
                    Object chat = YamlTree.plain(content, name);
                    out.add(prompt(label != null ? label : name, Values.toJson(chat), fileLocation));
                } else if (lower.endsWith(".json")) {
                    out.add(prompt(label != null ? label : name, content, fileLocation));
                } else {
                    List<String> parts = splitPromptFile(content);
                    for (int i = 0; i < parts.size(); i++) {
                        String partLabel = parts.size() == 1 ? name : name + " #" + (i + 1);
                        if (label != null) {
                            partLabel = parts.size() == 1 ? label : label + " #" + (i + 1);
                        }
                        out.add(prompt(partLabel, parts.get(i), fileLocation));
                    }
                }
            }
            return out;
        }

        private SuitePrompt prompt(String label, String raw, Location location) {
            try {
                return new SuitePrompt(label, Template.parse(raw), location);
            } catch (TemplateException e) {
                throw new SuiteException(location, "prompt '" + shorten(label) + "': " + e.getMessage(), e);
            }
        }

        // ---- tests

        private List<RawTest> testList(Node node, Path dir) {
            List<Node> items = node instanceof ListNode list ? list.items() : List.of(node);
            List<RawTest> out = new ArrayList<>();
            for (Node item : items) {
                if (item instanceof Scalar scalar && scalar.value() instanceof String ref) {
                    if (!ref.startsWith("file://")) {
                        throw new SuiteException(
                                item.location(),
                                "a test is a map, or a file:// reference to a CSV,"
                                        + " YAML, JSON or JSONL file of tests");
                    }
                    for (Path file : files(ref, dir, item.location())) {
                        out.addAll(testFile(file, item.location()));
                    }
                } else {
                    out.add(rawTest(map(item, "a test"), "a test", TEST_KEYS, dir));
                }
            }
            return out;
        }

        private List<RawTest> testFile(Path file, Location reference) {
            String name = file.toString();
            String lower = name.toLowerCase(Locale.ROOT);
            String content = read(file, reference, "the test file");
            Path dir = file.getParent() == null ? Path.of("") : file.getParent();
            if (lower.endsWith(".csv")) {
                return csvTests(content, name);
            }
            if (lower.endsWith(".jsonl")) {
                List<RawTest> out = new ArrayList<>();
                String[] lines = content.split("\r?\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    if (!lines[i].isBlank()) {
                        Node node = YamlTree.parse(lines[i], name, i + 1);
                        out.add(rawTest(map(node, "a test"), "a test", TEST_KEYS, dir));
                    }
                }
                return out;
            }
            if (lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json")) {
                Node node = YamlTree.parse(content, name);
                if (!(node instanceof ListNode)) {
                    throw new SuiteException(node.location(), "a test file holds a list of tests");
                }
                return testList(node, dir);
            }
            throw new SuiteException(
                    reference, "tests can come from .csv, .yaml, .yml, .json and .jsonl files, not " + name);
        }

        private List<RawTest> csvTests(String content, String name) {
            List<Csv.Row> rows = Csv.parse(content, name);
            if (rows.isEmpty()) {
                throw new SuiteException(new Location(name, 1, 0), "the CSV file has no header row");
            }
            List<String> header =
                    rows.get(0).fields().stream().map(String::strip).toList();
            for (int c = 0; c < header.size(); c++) {
                String column = header.get(c);
                if (column.startsWith("_")
                        && !column.startsWith("__expected")
                        && !SPECIAL_CSV_COLUMNS.contains(column)) {
                    throw new SuiteException(
                            new Location(name, 1, 0),
                            "unknown special column '" + column + "' (supported: __expected, __expected1…, "
                                    + String.join(", ", SPECIAL_CSV_COLUMNS) + ")");
                }
                if (column.isEmpty()) {
                    throw new SuiteException(new Location(name, 1, 0), "column " + (c + 1) + " has no name");
                }
            }
            List<RawTest> out = new ArrayList<>();
            for (Csv.Row row : rows.subList(1, rows.size())) {
                Location location = new Location(name, row.line(), 0);
                if (row.fields().size() != header.size()) {
                    throw new SuiteException(
                            location, "the row has " + row.fields().size() + " fields, the header " + header.size());
                }
                Map<String, Object> vars = new LinkedHashMap<>();
                List<Assertion> assertions = new ArrayList<>();
                String description = null;
                String metric = null;
                Double threshold = null;
                String prefix = null;
                String suffix = null;
                for (int c = 0; c < header.size(); c++) {
                    String column = header.get(c);
                    String value = row.fields().get(c);
                    if (column.startsWith("__expected")) {
                        if (!value.isBlank()) {
                            assertions.add(csvAssertion(value, location));
                        }
                    } else {
                        switch (column) {
                            case "__description" -> description = value;
                            case "__metric" -> metric = value.isBlank() ? null : value;
                            case "__threshold" -> threshold = value.isBlank() ? null : csvNumber(value, location);
                            case "__prefix" -> prefix = value;
                            case "__suffix" -> suffix = value;
                            default -> vars.put(column, value);
                        }
                    }
                }
                if (metric != null) {
                    String m = metric;
                    assertions = assertions.stream()
                            .map(a -> a.metric() == null ? a.withMetric(m) : a)
                            .toList();
                }
                out.add(new RawTest(description, vars, assertions, threshold, Map.of(), prefix, suffix, location));
            }
            return out;
        }

        private double csvNumber(String text, Location location) {
            try {
                return Double.parseDouble(text.strip());
            } catch (NumberFormatException e) {
                throw new SuiteException(location, "__threshold '" + text + "' is not a number");
            }
        }

        private Assertion csvAssertion(String text, Location location) {
            return assertionFromString(text, location.toString());
        }

        private List<RawTest> scenarios(Node node) {
            List<RawTest> out = new ArrayList<>();
            for (Node item : list(node, "scenarios").items()) {
                MapNode scenario = map(item, "a scenario");
                allowOnly(scenario, "a scenario", Set.of("description", "config", "tests"), Map.of());
                String description = optionalString(scenario.get("description"), "description");
                Node configNode = scenario.get("config");
                if (configNode == null) {
                    throw new SuiteException(
                            scenario.location(), "a scenario needs 'config' (a list of variable sets)");
                }
                List<RawTest> configs = new ArrayList<>();
                for (Node config : list(configNode, "a scenario's config").items()) {
                    configs.add(rawTest(map(config, "a scenario config"), "a scenario config", TEST_KEYS, baseDir));
                }
                Node testsNode = scenario.get("tests");
                List<RawTest> tests = testsNode == null
                        ? List.of(
                                new RawTest(null, Map.of(), List.of(), null, Map.of(), null, null, scenario.location()))
                        : testList(testsNode, baseDir);
                for (RawTest config : configs) {
                    for (RawTest test : tests) {
                        RawTest merged = config.under(test);
                        if (merged.description() == null && description != null) {
                            merged = merged.withDescription(description);
                        }
                        out.add(merged);
                    }
                }
            }
            return out;
        }

        private RawTest rawTest(MapNode map, String what, Set<String> keys, Path dir) {
            allowOnly(
                    map,
                    what,
                    keys,
                    Map.of(
                            "provider", "per-test providers are not supported; list providers at the top",
                            "providerOutput", "providerOutput is not supported",
                            "assertScoringFunction", "scoring functions run code, which PromptForge does not"));
            String description = optionalString(map.get("description"), "description");
            Map<String, Object> vars = new LinkedHashMap<>();
            Node varsNode = map.get("vars");
            if (varsNode != null) {
                for (Entry entry : map(varsNode, "vars").entries().values()) {
                    vars.put(entry.key(), variable(entry.value(), dir));
                }
            }
            List<Assertion> assertions = new ArrayList<>();
            Node assertNode = map.get("assert");
            if (assertNode != null) {
                for (Node item : list(assertNode, "assert").items()) {
                    assertions.add(assertion(item, dir));
                }
            }
            Double threshold = optionalNumber(map.get("threshold"), "threshold");
            Map<String, Object> metadata = map.get("metadata") == null
                    ? Map.of()
                    : map(map.get("metadata"), "metadata").plain();
            String prefix = null;
            String suffix = null;
            Node optionsNode = map.get("options");
            if (optionsNode != null) {
                MapNode options = map(optionsNode, "options");
                allowOnly(
                        options,
                        "options",
                        OPTION_KEYS,
                        Map.of(
                                "transform", "output transforms run JavaScript, which PromptForge does not",
                                "postprocess", "output transforms run JavaScript, which PromptForge does not",
                                "rubricPrompt", "custom rubric prompts are not supported yet"));
                prefix = optionalString(options.get("prefix"), "prefix");
                suffix = optionalString(options.get("suffix"), "suffix");
                if (options.get("provider") != null && !"defaultTest".equals(what)) {
                    throw new SuiteException(
                            options.get("provider").location(),
                            "set the judge for model-graded"
                                    + " assertions in defaultTest.options.provider (or with --grader), not per test");
                }
            }
            return new RawTest(description, vars, assertions, threshold, metadata, prefix, suffix, map.location());
        }

        private @Nullable Object variable(Node node, Path dir) {
            Object value = node.plain();
            if (value instanceof String s && s.startsWith("file://")) {
                return fileValue(s, dir, node.location());
            }
            return value;
        }

        /** A file:// value: JSON and YAML files are parsed, other files are text. */
        private @Nullable Object fileValue(String ref, Path dir, Location location) {
            List<Path> files = files(ref, dir, location);
            if (files.size() != 1) {
                throw new SuiteException(
                        location, ref + " names " + files.size() + " files; a value needs exactly one");
            }
            Path file = files.get(0);
            String lower = file.toString().toLowerCase(Locale.ROOT);
            if (isCode(lower)) {
                throw new SuiteException(location, "values computed by code (" + file + ") are not supported");
            }
            String content = read(file, location, "the file");
            if (lower.endsWith(".json") || lower.endsWith(".yaml") || lower.endsWith(".yml")) {
                return YamlTree.plain(content, file.toString());
            }
            return content;
        }

        private Assertion assertion(Node node, Path dir) {
            MapNode map = map(node, "an assertion");
            allowOnly(
                    map,
                    "an assertion",
                    ASSERTION_KEYS,
                    Map.of(
                            "transform", "assertion transforms run JavaScript, which PromptForge does not",
                            "rubricPrompt", "custom rubric prompts are not supported yet",
                            "config", "assertion config is not supported"));
            String type = requiredString(map, "type", "an assertion");
            Node valueNode = map.get("value");
            Object value = valueNode == null ? null : valueNode.plain();
            if (value instanceof String s && s.startsWith("file://")) {
                value = fileValue(s, dir, valueNode.location());
            }
            Double threshold = optionalNumber(map.get("threshold"), "threshold");
            Double weight = optionalNumber(map.get("weight"), "weight");
            String metric = optionalString(map.get("metric"), "metric");
            JudgeSpec provider = null;
            Node providerNode = map.get("provider");
            if (providerNode != null) {
                provider = judgeSpec(providerNode);
            }
            List<Assertion> members = new ArrayList<>();
            Node membersNode = map.get("assert");
            if (membersNode != null) {
                for (Node member : list(membersNode, "assert").items()) {
                    members.add(assertion(member, dir));
                }
            }
            return new Assertion(
                    type,
                    value,
                    threshold,
                    weight,
                    metric,
                    provider,
                    members,
                    map.location().toString());
        }

        private TestCase testCase(int index, RawTest test, Map<String, Object> vars) {
            List<CompiledAssertion> assertions = new ArrayList<>();
            for (Assertion assertion : test.assertions()) {
                assertions.add(compiled.computeIfAbsent(assertion, this::compile));
            }
            return new TestCase(
                    index,
                    test.description(),
                    vars,
                    assertions,
                    test.threshold(),
                    test.metadata(),
                    test.prefix(),
                    test.suffix(),
                    test.location());
        }

        private CompiledAssertion compile(Assertion assertion) {
            try {
                return evaluators.compile(assertion);
            } catch (InvalidAssertionException e) {
                String where = assertion.location() == null ? configFile.toString() : assertion.location();
                throw new SuiteException(parseLocation(where), e.getMessage(), e);
            }
        }

        // ---- options

        private EvaluateOptions evaluateOptions(@Nullable Node node) {
            if (node == null) {
                return EvaluateOptions.DEFAULTS;
            }
            MapNode map = map(node, "evaluateOptions");
            allowOnly(map, "evaluateOptions", EVALUATE_OPTION_KEYS, Map.of());
            EvaluateOptions options = EvaluateOptions.DEFAULTS;
            try {
                Double maxConcurrency = optionalNumber(map.get("maxConcurrency"), "maxConcurrency");
                if (maxConcurrency != null) {
                    options = options.withMaxConcurrency(wholeNumber(maxConcurrency, map.get("maxConcurrency")));
                }
                Double repeat = optionalNumber(map.get("repeat"), "repeat");
                if (repeat != null) {
                    options = options.withRepeat(wholeNumber(repeat, map.get("repeat")));
                }
                Double delay = optionalNumber(map.get("delay"), "delay");
                if (delay != null) {
                    options = options.withDelayMs(wholeNumber(delay, map.get("delay")));
                }
                Double timeout = optionalNumber(map.get("timeoutMs"), "timeoutMs");
                if (timeout != null) {
                    options = options.withTimeoutMs(wholeNumber(timeout, map.get("timeoutMs")));
                }
                Node cache = map.get("cache");
                if (cache != null) {
                    if (!(cache.plain() instanceof Boolean b)) {
                        throw new SuiteException(cache.location(), "cache must be true or false");
                    }
                    options = options.withCache(b);
                }
            } catch (IllegalArgumentException e) {
                throw new SuiteException(map.location(), "evaluateOptions: " + e.getMessage(), e);
            }
            return options;
        }

        private int wholeNumber(double value, Node node) {
            if (value != Math.rint(value) || value > Integer.MAX_VALUE) {
                throw new SuiteException(node.location(), "expected a whole number, got " + Values.toText(value));
            }
            return (int) value;
        }

        private Map<String, String> tags(@Nullable Node node) {
            if (node == null) {
                return Map.of();
            }
            Map<String, String> tags = new LinkedHashMap<>();
            for (Entry entry : map(node, "tags").entries().values()) {
                tags.put(entry.key(), Values.toText(entry.value().plain()));
            }
            return tags;
        }
    }

    // ---- raw tests and merging

    /** A test before defaultTest is applied and before its assertions are compiled. */
    private record RawTest(
            @Nullable String description,
            Map<String, Object> vars,
            List<Assertion> assertions,
            @Nullable Double threshold,
            Map<String, Object> metadata,
            @Nullable String prefix,
            @Nullable String suffix,
            Location location) {

        static final RawTest EMPTY =
                new RawTest(null, Map.of(), List.of(), null, Map.of(), null, null, new Location("", 0, 0));

        /** This as the defaults of {@code test}: variables and metadata merged, assertions first. */
        RawTest under(RawTest test) {
            Map<String, Object> mergedVars = new LinkedHashMap<>(vars);
            mergedVars.putAll(test.vars());
            List<Assertion> mergedAssertions = new ArrayList<>(assertions);
            mergedAssertions.addAll(test.assertions());
            Map<String, Object> mergedMetadata = new LinkedHashMap<>(metadata);
            mergedMetadata.putAll(test.metadata());
            return new RawTest(
                    test.description() != null ? test.description() : description,
                    mergedVars,
                    mergedAssertions,
                    test.threshold() != null ? test.threshold() : threshold,
                    mergedMetadata,
                    test.prefix() != null ? test.prefix() : prefix,
                    test.suffix() != null ? test.suffix() : suffix,
                    test.location());
        }

        RawTest withDescription(String newDescription) {
            return new RawTest(newDescription, vars, assertions, threshold, metadata, prefix, suffix, location);
        }
    }

    /** promptfoo's combinations: a list-valued variable makes one test per element. */
    static List<Map<String, Object>> combinations(Map<String, Object> vars) {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (var entry : vars.entrySet()) {
            List<Object> choices = entry.getValue() instanceof List<?> list && !list.isEmpty()
                    ? new ArrayList<>(list)
                    : java.util.Collections.singletonList(entry.getValue());
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> partial : out) {
                for (Object choice : choices) {
                    Map<String, Object> extended = new LinkedHashMap<>(partial);
                    extended.put(entry.getKey(), choice);
                    next.add(extended);
                }
            }
            out = next;
        }
        return out;
    }

    // ---- node helpers

    private static MapNode map(@Nullable Node node, String what) {
        if (node instanceof MapNode map) {
            return map;
        }
        throw new SuiteException(locationOf(node), what + " must be a map");
    }

    private static ListNode list(Node node, String what) {
        if (node instanceof ListNode list) {
            return list;
        }
        throw new SuiteException(node.location(), what + " must be a list");
    }

    private static Location locationOf(@Nullable Node node) {
        return node == null ? new Location("", 0, 0) : node.location();
    }

    private static void allowOnly(MapNode map, String what, Set<String> keys, Map<String, String> unsupported) {
        for (Entry entry : map.entries().values()) {
            String hint = unsupported.get(entry.key());
            if (hint != null) {
                throw new SuiteException(entry.keyLocation(), "'" + entry.key() + "' in " + what + ": " + hint);
            }
            if (!keys.contains(entry.key())) {
                throw unknownKey(entry, what, keys);
            }
        }
    }

    private static SuiteException unknownKey(Entry entry, String what, Set<String> keys) {
        return new SuiteException(
                entry.keyLocation(),
                "unknown key '" + entry.key() + "' in " + what + " (allowed: "
                        + String.join(", ", keys.stream().sorted().toList()) + ")");
    }

    private static String requiredString(MapNode map, String key, String what) {
        Node node = map.get(key);
        if (node == null) {
            throw new SuiteException(map.location(), what + " needs '" + key + "'");
        }
        String value = optionalString(node, key);
        if (value == null || value.isBlank()) {
            throw new SuiteException(node.location(), "'" + key + "' must not be empty");
        }
        return value;
    }

    private static @Nullable String optionalString(@Nullable Node node, String key) {
        if (node == null || node.plain() == null) {
            return null;
        }
        Object value = node.plain();
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return Values.toText(value);
        }
        throw new SuiteException(node.location(), "'" + key + "' must be text");
    }

    private static @Nullable Double optionalNumber(@Nullable Node node, String key) {
        if (node == null || node.plain() == null) {
            return null;
        }
        if (node.plain() instanceof Number n) {
            return n.doubleValue();
        }
        if (node.plain() instanceof String s) {
            try {
                return Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new SuiteException(node.location(), "'" + key + "' must be a number");
    }

    private static List<String> stringOrList(@Nullable Node node, String key) {
        if (node == null) {
            return List.of();
        }
        if (node instanceof ListNode list) {
            List<String> out = new ArrayList<>();
            for (Node item : list.items()) {
                out.add(requireText(item, key));
            }
            return out;
        }
        return List.of(requireText(node, key));
    }

    private static String requireText(Node node, String key) {
        String value = optionalString(node, key);
        if (value == null || value.isBlank()) {
            throw new SuiteException(node.location(), "'" + key + "' must be text");
        }
        return value;
    }

    private static String shorten(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() > 60 ? oneLine.substring(0, 57) + "..." : oneLine;
    }

    /** promptfoo's prompt files hold several prompts separated by a line of {@code ---}. */
    static List<String> splitPromptFile(String content) {
        List<String> parts = new ArrayList<>();
        for (String part : content.split("(?m)^---\\s*$\\R?")) {
            if (!part.isBlank()) {
                parts.add(part.strip());
            }
        }
        return parts.isEmpty() ? List.of(content) : parts;
    }

    private static boolean isCode(String lowerName) {
        return Stream.of(".js", ".mjs", ".cjs", ".ts", ".py", ".rb").anyMatch(lowerName::endsWith);
    }

    private static Location parseLocation(String text) {
        Matcher m = Pattern.compile("^(.*):(\\d+):(\\d+)$").matcher(text);
        if (m.matches()) {
            return new Location(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        }
        Matcher line = Pattern.compile("^(.*):(\\d+)$").matcher(text);
        if (line.matches()) {
            return new Location(line.group(1), Integer.parseInt(line.group(2)), 0);
        }
        return new Location(text, 0, 0);
    }

    // ---- files

    /** The files a {@code file://} reference names, relative to {@code dir}; globs are expanded, sorted. */
    static List<Path> files(String ref, Path dir, Location location) {
        String path = ref.substring("file://".length());
        if (path.contains(":") && !path.matches("^[A-Za-z]:[\\\\/].*")) {
            throw new SuiteException(
                    location, "'" + ref + "' names a function in a file; PromptForge does not run code");
        }
        if (!path.contains("*") && !path.contains("?") && !path.contains("[")) {
            return List.of(dir.resolve(path).normalize());
        }
        Path pattern = dir.resolve(path).normalize();
        Path root = pattern;
        while (root != null
                && (root.toString().contains("*")
                        || root.toString().contains("?")
                        || root.toString().contains("["))) {
            root = root.getParent();
        }
        Path start = root == null ? Path.of("") : root;
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        List<Path> found;
        try (Stream<Path> walk = Files.walk(start.toString().isEmpty() ? Path.of(".") : start)) {
            found = walk.filter(Files::isRegularFile)
                    .map(p -> start.toString().isEmpty() ? Path.of(".").relativize(p) : p)
                    .filter(matcher::matches)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new SuiteException(location, "cannot list files for " + ref + ": " + e.getMessage(), e);
        }
        if (found.isEmpty()) {
            throw new SuiteException(location, ref + " matches no file");
        }
        return new ArrayList<>(new LinkedHashSet<>(found));
    }

    private static String read(Path file, Location location, String what) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage();
            throw new SuiteException(location, "cannot read " + what + " " + file + ": " + why, e);
        }
    }

    /**
     * An assertion written as promptfoo's compact strings (a CSV {@code __expected} cell): {@code
     * [not-]type[(threshold)][:value]}, {@code grade:…}/{@code llm-rubric:…}, {@code javascript:…},
     * else {@code equals} with the whole text.
     */
    public static Assertion assertionFromString(String text) {
        return assertionFromString(text, null);
    }

    private static Assertion assertionFromString(String text, @Nullable String where) {
        for (String prefix : List.of("javascript:", "fn:", "eval:", "python:")) {
            if (text.startsWith(prefix)) {
                String type = prefix.equals("python:") ? "python" : "javascript";
                return new Assertion(
                        type, text.substring(prefix.length()).strip(), null, null, null, null, List.of(), where);
            }
        }
        if (text.startsWith("grade:") || text.startsWith("llm-rubric:")) {
            String rubric = text.substring(text.indexOf(':') + 1);
            return new Assertion("llm-rubric", rubric, null, null, null, null, List.of(), where);
        }
        Matcher m = CSV_ASSERTION.matcher(text);
        if (m.matches()) {
            String type = (m.group(1) == null ? "" : "not-") + m.group(2);
            Double threshold = m.group(3) == null ? null : Double.parseDouble(m.group(3));
            if (threshold == null && "similar".equals(m.group(2))) {
                threshold = 0.8;
            } else if (threshold == null && CSV_THRESHOLD_TYPES.contains(m.group(2))) {
                threshold = CSV_DEFAULT_THRESHOLD;
            }
            String raw = m.group(4);
            Object value = raw == null ? null : CSV_LIST_TYPES.contains(m.group(2)) ? raw : raw.strip();
            return new Assertion(type, value, threshold, null, null, null, List.of(), where);
        }
        return new Assertion("equals", text, null, null, null, null, List.of(), where);
    }

    /** Configures the loader. */
    public static final class Builder {
        private @Nullable ProviderResolver providers;
        private EvaluatorsFactory evaluators = grader -> Evaluators.deterministic();

        private Builder() {}

        /** How provider ids become providers (required). */
        public Builder providers(ProviderResolver resolver) {
            this.providers = resolver;
            return this;
        }

        /** How the suite's evaluators are made; by default deterministic ones only. */
        public Builder evaluators(EvaluatorsFactory factory) {
            this.evaluators = factory;
            return this;
        }

        public SuiteLoader build() {
            return new SuiteLoader(this);
        }
    }
}
