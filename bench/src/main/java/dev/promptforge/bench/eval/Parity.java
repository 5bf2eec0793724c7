package dev.promptforge.bench.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Compares a promptfoo results file ({@code promptfoo eval -o results.json}) with a PromptForge one
 * ({@code promptforge eval -o results.json}) test by test: the same tests (matched by their
 * variables), the same pass/fail per test and the same pass/fail per assertion, in order.
 *
 * <p>Usage: {@code Parity PROMPTFOO.json PROMPTFORGE.json}. Prints one summary line and exits 0 when
 * they agree; otherwise prints up to 20 differences and exits 1.
 */
public final class Parity {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One test's outcome: error, pass, and each assertion's type and pass. */
    record Outcome(String status, List<String> assertions) {}

    /** What the two files say, and where they differ. */
    public record Report(int tests, int passed, int failed, int errors, List<String> differences) {
        public boolean agree() {
            return differences.isEmpty();
        }

        public String summary() {
            return tests + " tests, " + passed + " passed, " + failed + " failed, " + errors + " errors";
        }
    }

    private Parity() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: Parity PROMPTFOO.json PROMPTFORGE.json");
            System.exit(2);
        }
        Report report = compare(Path.of(args[0]), Path.of(args[1]));
        if (report.agree()) {
            System.out.println("parity: identical pass/fail per test and per assertion (" + report.summary() + ")");
            return;
        }
        System.out.println("parity: " + report.differences().size() + " DIFFERENCES between promptfoo (" + args[0]
                + ") and PromptForge (" + args[1] + "):");
        report.differences().stream().limit(20).forEach(d -> System.out.println("  " + d));
        if (report.differences().size() > 20) {
            System.out.println("  … and " + (report.differences().size() - 20) + " more");
        }
        System.exit(1);
    }

    public static Report compare(Path promptfooFile, Path promptforgeFile) throws IOException {
        Map<String, Outcome> promptfoo = promptfoo(JSON.readTree(Files.readString(promptfooFile)));
        Map<String, Outcome> promptforge = promptforge(JSON.readTree(Files.readString(promptforgeFile)));
        List<String> differences = new ArrayList<>();
        int passed = 0;
        int failed = 0;
        int errors = 0;
        for (var entry : promptfoo.entrySet()) {
            Outcome theirs = entry.getValue();
            switch (theirs.status()) {
                case "pass" -> passed++;
                case "fail" -> failed++;
                default -> errors++;
            }
            Outcome ours = promptforge.get(entry.getKey());
            if (ours == null) {
                differences.add("test " + entry.getKey() + ": missing from PromptForge's results");
            } else if (!ours.status().equals(theirs.status())) {
                differences.add("test " + entry.getKey() + ": promptfoo " + theirs.status() + " " + theirs.assertions()
                        + ", PromptForge " + ours.status() + " " + ours.assertions());
            } else if (!ours.assertions().equals(theirs.assertions())) {
                differences.add("test " + entry.getKey() + " (" + theirs.status() + " in both): assertions promptfoo "
                        + theirs.assertions() + ", PromptForge " + ours.assertions());
            }
        }
        for (String key : promptforge.keySet()) {
            if (!promptfoo.containsKey(key)) {
                differences.add("test " + key + ": missing from promptfoo's results");
            }
        }
        if (promptfoo.isEmpty()) {
            differences.add("promptfoo's results hold no tests");
        }
        return new Report(promptfoo.size(), passed, failed, errors, differences);
    }

    /** promptfoo 0.12x: {@code results.results[]} with {@code vars}, {@code success}, {@code error}. */
    static Map<String, Outcome> promptfoo(JsonNode root) {
        Map<String, Outcome> out = new LinkedHashMap<>();
        for (JsonNode result : root.path("results").path("results")) {
            List<String> assertions = new ArrayList<>();
            for (JsonNode component : result.path("gradingResult").path("componentResults")) {
                assertions.add(component.path("assertion").path("type").asString("?") + "="
                        + (component.path("pass").asBoolean() ? "pass" : "fail"));
            }
            // promptfoo's failureReason: 0 none, 1 assertion, 2 error
            String status = result.path("success").asBoolean()
                    ? "pass"
                    : result.path("failureReason").asInt(1) == 2 ? "error" : "fail";
            put(out, key(result.path("vars")), new Outcome(status, assertions), "promptfoo");
        }
        return out;
    }

    /** PromptForge's {@code promptforge-eval/1}: {@code results[]} with {@code vars}, {@code status}. */
    static Map<String, Outcome> promptforge(JsonNode root) {
        Map<String, Outcome> out = new LinkedHashMap<>();
        for (JsonNode result : root.path("results")) {
            List<String> assertions = new ArrayList<>();
            for (JsonNode component : result.path("grading").path("components")) {
                assertions.add(component.path("type").asString("?") + "="
                        + (component.path("pass").asBoolean() ? "pass" : "fail"));
            }
            String status = result.path("status").asString("?").toLowerCase(java.util.Locale.ROOT);
            put(out, key(result.path("vars")), new Outcome(status, assertions), "PromptForge");
        }
        return out;
    }

    private static void put(Map<String, Outcome> out, String key, Outcome outcome, String who) {
        if (out.put(key, outcome) != null) {
            throw new IllegalArgumentException(who + "'s results hold two tests with the variables " + key
                    + ": the harness needs every test's variables to be unique");
        }
    }

    /** The variables, sorted by name, every value as text ({@code 800} and {@code "800"} are one). */
    static String key(JsonNode vars) {
        Map<String, String> sorted = new TreeMap<>();
        for (var entry : vars.properties()) {
            JsonNode value = entry.getValue();
            sorted.put(entry.getKey(), value.isValueNode() ? value.asString() : value.toString());
        }
        return sorted.toString();
    }
}
