package dev.promptforge.eval.report;

import dev.promptforge.eval.GradingResult;
import dev.promptforge.eval.TokenUsage;
import dev.promptforge.eval.run.RunResult;
import dev.promptforge.eval.run.RunSummary;
import dev.promptforge.eval.run.TestResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
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

    /**
     * Writes the run straight to the file, without holding its text in memory first: the text of
     * {@link #toJson}, written field by field. Jackson's bean serializers would introspect each
     * record type and generate a method handle per property (≈ 40 hidden classes) on every run of
     * the CLI; {@code ReportsTest} checks that both give the same text.
     */
    public static void write(RunResult run, Path file) {
        try (OutputStream out = Files.newOutputStream(file);
                JsonGenerator json = JSON.createGenerator(out)) {
            write(run, json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(RunResult run, JsonGenerator json) {
        json.writeStartObject();
        json.writeStringProperty("format", FORMAT);
        json.writeStringProperty("description", run.description());
        json.writeStringProperty("config", run.configFile());
        json.writePOJOProperty("tags", run.tags());
        json.writeStringProperty("startedAt", run.startedAt().toString());
        json.writeNumberProperty("durationMs", run.durationMs());
        json.writeNumberProperty("repeat", run.repeat());
        strings(json, "prompts", run.prompts());
        strings(json, "providers", run.providers());
        summary(json, run.summary());
        json.writeArrayPropertyStart("results");
        for (TestResult result : run.results()) {
            result(json, result);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void strings(JsonGenerator json, String name, List<String> values) {
        json.writeArrayPropertyStart(name);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    private static void summary(JsonGenerator json, RunSummary summary) {
        json.writeObjectPropertyStart("summary");
        json.writeNumberProperty("total", summary.total());
        json.writeNumberProperty("passed", summary.passed());
        json.writeNumberProperty("failed", summary.failed());
        json.writeNumberProperty("errors", summary.errors());
        json.writeNumberProperty("passRate", summary.passRate());
        json.writeNumberProperty("meanScore", summary.meanScore());
        json.writeNumberProperty("totalCost", summary.totalCost());
        json.writeNumberProperty("totalTokens", summary.totalTokens());
        json.writeArrayPropertyStart("columns");
        for (RunSummary.Column column : summary.columns()) {
            json.writeStartObject();
            json.writeStringProperty("prompt", column.prompt());
            json.writeStringProperty("provider", column.provider());
            json.writeNumberProperty("passed", column.passed());
            json.writeNumberProperty("failed", column.failed());
            json.writeNumberProperty("errors", column.errors());
            json.writeNumberProperty("meanScore", column.meanScore());
            number(json, "meanLatencyMs", column.meanLatencyMs());
            json.writeNumberProperty("cost", column.cost());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayPropertyStart("stability");
        for (RunSummary.Stability stability : summary.stability()) {
            json.writeStartObject();
            json.writeStringProperty("testName", stability.testName());
            json.writeStringProperty("prompt", stability.prompt());
            json.writeStringProperty("provider", stability.provider());
            json.writeNumberProperty("runs", stability.runs());
            json.writeNumberProperty("passes", stability.passes());
            json.writeNumberProperty("meanScore", stability.meanScore());
            json.writeNumberProperty("scoreStdDev", stability.scoreStdDev());
            json.writeNumberProperty("distinctOutputs", stability.distinctOutputs());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void result(JsonGenerator json, TestResult result) {
        json.writeStartObject();
        json.writeNumberProperty("testIndex", result.testIndex());
        json.writeStringProperty("testName", result.testName());
        json.writePOJOProperty("vars", result.vars());
        json.writeNumberProperty("promptIndex", result.promptIndex());
        json.writeStringProperty("promptLabel", result.promptLabel());
        json.writeNumberProperty("providerIndex", result.providerIndex());
        json.writeStringProperty("providerId", result.providerId());
        json.writeStringProperty("providerLabel", result.providerLabel());
        json.writeNumberProperty("repeatIndex", result.repeatIndex());
        json.writeStringProperty("status", result.status().toString());
        json.writeStringProperty("prompt", result.prompt());
        json.writeStringProperty("output", result.output());
        json.writeName("grading");
        grading(json, result.grading());
        json.writeStringProperty("error", result.error());
        number(json, "latencyMs", result.latencyMs());
        json.writeBooleanProperty("cached", result.cached());
        number(json, "cost", result.cost());
        TokenUsage usage = result.tokenUsage();
        if (usage == null) {
            json.writeNullProperty("tokenUsage");
        } else {
            json.writeObjectPropertyStart("tokenUsage");
            json.writeNumberProperty("prompt", usage.prompt());
            json.writeNumberProperty("completion", usage.completion());
            json.writeBooleanProperty("estimated", usage.estimated());
            json.writeEndObject();
        }
        json.writeStringProperty("finishReason", result.finishReason());
        json.writeEndObject();
    }

    private static void grading(JsonGenerator json, @Nullable GradingResult grading) {
        if (grading == null) {
            json.writeNull();
            return;
        }
        json.writeStartObject();
        json.writeBooleanProperty("pass", grading.pass());
        json.writeNumberProperty("score", grading.score());
        json.writeStringProperty("reason", grading.reason());
        json.writeStringProperty("type", grading.type());
        json.writeStringProperty("metric", grading.metric());
        json.writeArrayPropertyStart("components");
        for (GradingResult component : grading.components()) {
            grading(json, component);
        }
        json.writeEndArray();
        json.writePOJOProperty("namedScores", grading.namedScores());
        json.writeEndObject();
    }

    private static void number(JsonGenerator json, String name, @Nullable Double value) {
        if (value == null) {
            json.writeNullProperty(name);
        } else {
            json.writeNumberProperty(name, value.doubleValue());
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
