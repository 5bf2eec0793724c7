package dev.promptforge.eval.report;

import dev.promptforge.eval.run.RunResult;
import dev.promptforge.eval.run.TestResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The run as JSON ({@code "format": "promptforge-eval/1"}): the run's facts, its summary and every
 * cell with its verdict and each assertion's. {@link #read} turns such a file back into a {@link
 * RunResult} for {@code eval compare}.
 */
public final class JsonReport {

    public static final String FORMAT = "promptforge-eval/1";

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private JsonReport() {}

    public static String toJson(RunResult run) {
        return JSON.writeValueAsString(document(run));
    }

    /** Writes the run straight to the file, without holding its text in memory first. */
    public static void write(RunResult run, Path file) {
        try (java.io.OutputStream out = Files.newOutputStream(file)) {
            JSON.writeValue(out, document(run));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> document(RunResult run) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("format", FORMAT);
        document.put("description", run.description());
        document.put("config", run.configFile());
        document.put("tags", run.tags());
        document.put("startedAt", run.startedAt().toString());
        document.put("durationMs", run.durationMs());
        document.put("repeat", run.repeat());
        document.put("prompts", run.prompts());
        document.put("providers", run.providers());
        document.put("summary", run.summary());
        document.put("results", run.results());
        return document;
    }

    /**
     * Reads a results file written by {@link #write}.
     *
     * @throws IllegalArgumentException when the file is not PromptForge results
     */
    public static RunResult read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + " is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !FORMAT.equals(root.path("format").asString(""))) {
            throw new IllegalArgumentException(file + " is not a PromptForge results file (no \"format\": \"" + FORMAT
                    + "\"); write one with promptforge eval -o results.json");
        }
        try {
            List<TestResult> results = new ArrayList<>();
            for (JsonNode node : root.path("results")) {
                results.add(JSON.treeToValue(node, TestResult.class));
            }
            Map<String, String> tags = new LinkedHashMap<>();
            root.path("tags")
                    .properties()
                    .forEach(e -> tags.put(e.getKey(), e.getValue().asString()));
            return new RunResult(
                    root.hasNonNull("description") ? root.get("description").asString() : null,
                    root.path("config").asString(""),
                    tags,
                    Instant.parse(root.path("startedAt").asString()),
                    root.path("durationMs").asLong(),
                    strings(root.path("prompts")),
                    strings(root.path("providers")),
                    Math.max(1, root.path("repeat").asInt(1)),
                    results);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    file + " has PromptForge's format but cannot be read: " + e.getMessage(), e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode item : array) {
            out.add(item.asString());
        }
        return out;
    }
}
