package dev.promptforge.bench.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the evaluation harness's suite: a promptfoo config whose tests are {@code csvTests} rows of
 * {@code tests.csv} (through {@code file://}) and one scenario of {@code scenarioConfigs} ×
 * {@code scenarioTests} inline tests. Every test has five deterministic assertions: one from {@code
 * defaultTest} and four of its own, rotating through contains, icontains, starts-with, regex,
 * equals, is-json, contains-json, levenshtein, contains-any, icontains-any and their negations.
 * Nothing is random: the same arguments write the same files.
 *
 * <p>Usage: {@code SuiteGenerator --dir DIR --base-url URL [--csv-tests 800] [--scenario-configs 10]
 * [--scenario-tests 20]}.
 */
public final class SuiteGenerator {

    static final List<String> CITIES = List.of(
            "Lisbon",
            "Porto",
            "Madrid",
            "Paris",
            "Lyon",
            "Berlin",
            "Hamburg",
            "Vienna",
            "Zurich",
            "Milan",
            "Rome",
            "Prague",
            "Warsaw",
            "Oslo",
            "Dublin",
            "New York",
            "Boston",
            "Toronto",
            "Austin",
            "Denver");

    static final List<String> QUESTIONS = List.of(
            "where is my refund?",
            "why was I charged twice?",
            "can I change my delivery address?",
            "the app logs me out, what now?",
            "please close my account.",
            "how do I reset my PIN?",
            "is the branch open on Sunday?");

    private SuiteGenerator() {}

    /** The prompt every test renders; the fake server answers by the id and city in it. */
    static final String PROMPT = "Ticket {{id}} from {{city}}: {{question}}";

    public static void main(String[] args) throws IOException {
        Path dir = null;
        String baseUrl = null;
        int csvTests = 800;
        int scenarioConfigs = 10;
        int scenarioTests = 20;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[++i]);
                case "--base-url" -> baseUrl = args[++i];
                case "--csv-tests" -> csvTests = Integer.parseInt(args[++i]);
                case "--scenario-configs" -> scenarioConfigs = Integer.parseInt(args[++i]);
                case "--scenario-tests" -> scenarioTests = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (dir == null || baseUrl == null) {
            throw new IllegalArgumentException("usage: SuiteGenerator --dir DIR --base-url URL [--csv-tests N]"
                    + " [--scenario-configs N] [--scenario-tests N]");
        }
        write(dir, baseUrl, csvTests, scenarioConfigs, scenarioTests);
        System.out.println("wrote " + dir.resolve("promptfooconfig.yaml") + " with "
                + (csvTests + scenarioConfigs * scenarioTests) + " tests x 5 assertions");
    }

    /** Writes {@code promptfooconfig.yaml} and {@code tests.csv} into the directory. */
    public static void write(Path dir, String baseUrl, int csvTests, int scenarioConfigs, int scenarioTests)
            throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tests.csv"), csv(csvTests));
        Files.writeString(
                dir.resolve("promptfooconfig.yaml"), config(baseUrl, csvTests, scenarioConfigs, scenarioTests));
    }

    static String csv(int rows) {
        StringBuilder out = new StringBuilder("id,city,question,__expected1,__expected2,__expected3,__expected4\n");
        for (int id = 0; id < rows; id++) {
            String city = CITIES.get(id % CITIES.size());
            String question = QUESTIONS.get(id % QUESTIONS.size());
            String sentence = "Ticket " + id + " is open in " + city;
            String second = switch (id % 4) {
                case 0 -> "contains:Ticket " + id;
                case 1 -> "starts-with:Ticket";
                case 2 -> "not-contains:cannot";
                default -> "icontains-any:open,closed";
            };
            String third = switch (id % 7) {
                case 0 -> "is-json";
                case 1 -> "regex:^Ticket \\d+ is (open|closed)";
                case 2 -> "equals:" + sentence + ".";
                case 3 -> "contains-json";
                case 4 -> "levenshtein(5):" + sentence + "!";
                case 5 -> "not-is-json";
                default -> sentence.toUpperCase(java.util.Locale.ROOT) + ".";
            };
            String fourth = switch (id % 5) {
                case 0 -> "not-icontains:error";
                case 1 -> "contains-any:open,closed";
                case 2 -> "regex:\\d+";
                case 3 -> "icontains:ticket " + id;
                default -> "not-starts-with:I cannot";
            };
            out.append(id)
                    .append(',')
                    .append(field(city))
                    .append(',')
                    .append(field(question))
                    .append(',')
                    .append(field("icontains:" + city))
                    .append(',')
                    .append(field(second))
                    .append(',')
                    .append(field(third))
                    .append(',')
                    .append(field(fourth))
                    .append('\n');
        }
        return out.toString();
    }

    private static String field(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }

    static String config(String baseUrl, int csvTests, int scenarioConfigs, int scenarioTests) {
        StringBuilder out = new StringBuilder();
        out.append("# Generated by bench/eval/run.sh (dev.promptforge.bench.eval.SuiteGenerator): ")
                .append(csvTests + scenarioConfigs * scenarioTests)
                .append(" tests x 5 assertions.\n");
        out.append("description: Evaluation speed harness\n");
        out.append("prompts:\n  - '").append(PROMPT).append("'\n");
        out.append("providers:\n");
        out.append("  - id: openai:chat:gpt-4o-mini\n");
        out.append("    config:\n");
        out.append("      apiBaseUrl: ").append(baseUrl).append('\n');
        out.append("      apiKey: sk-fake-eval-bench\n");
        out.append("      temperature: 0\n");
        out.append("defaultTest:\n");
        out.append("  assert:\n");
        out.append("    - type: contains\n");
        out.append("      value: '{{id}}'\n");
        out.append("tests: file://tests.csv\n");
        out.append("scenarios:\n");
        out.append("  - description: the same questions from every city\n");
        out.append("    config:\n");
        for (int c = 0; c < scenarioConfigs; c++) {
            out.append("      - vars: {city: '")
                    .append(CITIES.get((c * 3 + 1) % CITIES.size()))
                    .append("', question: '")
                    .append(QUESTIONS.get(c % QUESTIONS.size()))
                    .append("'}\n");
        }
        out.append("    tests:\n");
        for (int t = 0; t < scenarioTests; t++) {
            int id = csvTests + t;
            out.append("      - vars: {id: ").append(id).append("}\n");
            out.append("        assert:\n");
            for (String assertion : scenarioAssertions(id, t)) {
                out.append("          - ").append(assertion).append('\n');
            }
        }
        return out.toString();
    }

    private static List<String> scenarioAssertions(int id, int t) {
        List<String> out = new ArrayList<>();
        out.add("{type: contains, value: '{{city}}'}");
        out.add("{type: icontains, value: 'ticket " + id + "'}");
        out.add(
                switch (t % 4) {
                    case 0 -> "{type: is-json}";
                    case 1 -> "{type: regex, value: '^Ticket \\d+ is open'}";
                    case 2 -> "{type: not-contains-json}";
                    default -> "{type: starts-with, value: 'TICKET'}";
                });
        out.add(
                switch (t % 3) {
                    case 0 -> "{type: equals, value: 'Ticket " + id + " is open in {{city}}.'}";
                    case 1 -> "{type: icontains-all, value: [ticket, open]}";
                    default -> "{type: levenshtein, value: 'I cannot help with ticket " + id + ".', threshold: 3}";
                });
        return out;
    }
}
