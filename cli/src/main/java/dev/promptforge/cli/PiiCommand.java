package dev.promptforge.cli;

import dev.promptforge.pii.AnalysisOptions;
import dev.promptforge.pii.Anonymized;
import dev.promptforge.pii.AnonymizedItem;
import dev.promptforge.pii.Operator;
import dev.promptforge.pii.PiiAnalyzer;
import dev.promptforge.pii.PiiAnonymizer;
import dev.promptforge.pii.PiiEntity;
import dev.promptforge.pii.PiiPolicy;
import dev.promptforge.pii.PiiVault;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code promptforge pii analyze|anonymize}: the PII engine on JSON lines, in plain Java (no Spring,
 * no server). Each input line {@code {"text": "..."}} gives one output line, in order.
 */
@Command(
        name = "pii",
        mixinStandardHelpOptions = true,
        description = "Find or anonymize personal data in JSON lines ({\"text\": \"...\"}) or in --text.",
        subcommands = {PiiCommand.Analyze.class, PiiCommand.Anonymize.class})
final class PiiCommand implements Runnable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options shared by both subcommands. */
    static class Input {
        @Option(
                names = "--text",
                paramLabel = "TEXT",
                description = "Analyze this one text instead of reading JSON lines")
        String text;

        @Option(
                names = "--input",
                paramLabel = "FILE",
                description = "Read JSON lines from FILE instead of standard input")
        Path input;

        @Option(
                names = "--entities",
                paramLabel = "TYPE",
                split = ",",
                description = "Only these entity types, e.g. PERSON,EMAIL_ADDRESS (default: all)")
        List<String> entities = List.of();

        @Option(
                names = "--min-score",
                paramLabel = "SCORE",
                description = "Minimum score from 0 to 1 for every type (default: each type's threshold)")
        Double minScore;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        AnalysisOptions options(PiiAnalyzer analyzer) {
            if (minScore != null && !(minScore >= 0 && minScore <= 1)) {
                throw new IllegalArgumentException("--min-score must be from 0 to 1, got " + minScore);
            }
            AnalysisOptions options = AnalysisOptions.defaults().withEntities(new LinkedHashSet<>(entities));
            for (String type : entities) {
                if (!analyzer.entityTypes().contains(type)) {
                    throw new IllegalArgumentException("unknown entity type '" + type + "' in --entities");
                }
            }
            if (minScore != null) {
                for (String type : analyzer.entityTypes()) {
                    options = options.withThreshold(type, minScore);
                }
            }
            return options;
        }

        // Runs `each` on --text or on every JSON line of the input, writing one JSON line per text.
        int process(ThrowingFunction each) throws IOException {
            if (text != null && input != null) {
                throw new IllegalArgumentException("give either --text or --input, not both");
            }
            PrintWriter out = spec.commandLine().getOut();
            if (text != null) {
                out.println(JSON.writeValueAsString(each.apply(text)));
                out.flush();
                return 0;
            }
            try (BufferedReader reader = input != null
                    ? Files.newBufferedReader(input, StandardCharsets.UTF_8)
                    : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                int number = 0;
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    number++;
                    out.println(JSON.writeValueAsString(each.apply(textOf(line, number))));
                    out.flush();
                }
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("no such file: " + input, e);
            }
            return 0;
        }

        private static String textOf(String line, int number) {
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JacksonException e) {
                throw new IllegalArgumentException("line " + number + ": not JSON: " + e.getOriginalMessage(), e);
            }
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("line " + number + ": expected a JSON object {\"text\": \"...\"}");
            }
            JsonNode text = node.get("text");
            if (text == null || !text.isString()) {
                throw new IllegalArgumentException("line " + number + ": expected a string field \"text\"");
            }
            return text.asString();
        }
    }

    @FunctionalInterface
    interface ThrowingFunction {
        Object apply(String text);
    }

    private static PiiAnalyzer analyzer() {
        return PiiAnalyzer.withDefaults();
    }

    /** {@code promptforge pii analyze}. */
    @Command(
            name = "analyze",
            mixinStandardHelpOptions = true,
            description = {
                "Print the entities found in each text: {\"entities\": [{\"type\", \"start\", \"end\", \"score\"}]}.",
                "Offsets are UTF-16 code units (Java string indices), end exclusive."
            })
    static final class Analyze implements Callable<Integer> {

        @CommandLine.Mixin
        Input input = new Input();

        @Override
        public Integer call() throws IOException {
            PiiAnalyzer analyzer = analyzer();
            AnalysisOptions options = input.options(analyzer);
            return input.process(text -> Map.of("entities", entities(analyzer.analyze(text, options))));
        }

        private static List<EntityJson> entities(List<PiiEntity> entities) {
            List<EntityJson> json = new ArrayList<>(entities.size());
            for (PiiEntity e : entities) {
                json.add(new EntityJson(e.type(), e.start(), e.end(), e.score()));
            }
            return json;
        }
    }

    /** {@code promptforge pii anonymize}. */
    @Command(
            name = "anonymize",
            mixinStandardHelpOptions = true,
            description = {
                "Print each text with its personal data replaced: {\"text\": \"...\", \"items\": [...]}.",
                "Item offsets are positions in the anonymized text."
            })
    static final class Anonymize implements Callable<Integer> {

        @CommandLine.Mixin
        Input input = new Input();

        @Option(
                names = "--operator",
                paramLabel = "OPERATOR",
                description = "placeholder (<PERSON_1>, the same for the same value in a text; default), "
                        + "replace (<PERSON>), redact (remove) or mask (*** but the last 4)")
        String operator = "placeholder";

        @Override
        public Integer call() throws IOException {
            Operator op = switch (operator) {
                case "placeholder" -> Operator.placeholder();
                case "replace" -> Operator.replace();
                case "redact" -> Operator.redact();
                case "mask" -> Operator.mask('*', 4);
                default ->
                    throw new IllegalArgumentException(
                            "--operator must be placeholder, replace, redact or mask, got '" + operator + "'");
            };
            PiiAnalyzer analyzer = analyzer();
            AnalysisOptions options = input.options(analyzer);
            PiiAnonymizer anonymizer = PiiAnonymizer.builder().build();
            PiiPolicy policy = PiiPolicy.defaults().withDefaultOperator(op);
            return input.process(text -> {
                Anonymized result =
                        anonymizer.anonymize(text, analyzer.analyze(text, options), policy, PiiVault.create());
                List<ItemJson> items = new ArrayList<>(result.items().size());
                for (AnonymizedItem item : result.items()) {
                    items.add(new ItemJson(item.type(), item.start(), item.end(), item.operator()));
                }
                return new AnonymizedJson(result.text(), items);
            });
        }
    }

    record EntityJson(String type, int start, int end, double score) {}

    record ItemJson(String type, int start, int end, String operator) {}

    record AnonymizedJson(String text, List<ItemJson> items) {}
}
