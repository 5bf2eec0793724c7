package dev.promptforge.cli.pipeline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code promptforge pipeline}: test pipelines of a PromptForge server. */
@Command(
        name = "pipeline",
        mixinStandardHelpOptions = true,
        description = "Run a server's test pipelines.",
        subcommands = {PipelineCommand.Run.class})
public final class PipelineCommand implements Runnable {

    /** Exit code when the pipeline failed (as {@code eval}'s failed tests). */
    public static final int FAILED = 100;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code promptforge pipeline run}: start a run, follow it, print its report. */
    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = {
                "Run a test pipeline on a prompt version, follow its progress and print the report.",
                "API key: $PROMPTFORGE_API_KEY. Exit codes: 0 the pipeline passed, 100 it failed, 1 an error"
                        + " (bad options, server refused, run cancelled)."
            })
    public static final class Run implements Callable<Integer> {

        private static final JsonMapper JSON = JsonMapper.builder().build();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--server", required = true, paramLabel = "URL", description = "The PromptForge server")
        String server;

        @Option(names = "--pipeline", required = true, paramLabel = "ID", description = "The pipeline's id")
        String pipeline;

        @Option(
                names = "--prompt",
                required = true,
                paramLabel = "NAME@VERSION",
                description = "The candidate: prompt@version or prompt@label")
        String prompt;

        @Option(
                names = "--baseline",
                paramLabel = "NAME@LABEL",
                description = "Compare with this version (prompt@version or prompt@label)")
        String baseline;

        @Option(
                names = "--test",
                paramLabel = "NAME",
                split = ",",
                description = "Test only these items (by name or id) or datasets (by name); default: the pipeline's"
                        + " dataset")
        List<String> tests = new ArrayList<>();

        @Option(names = "--json", description = "Print the finished run as JSON instead of the report")
        boolean json;

        @Option(names = "--no-progress-bar", description = "No progress bar, even on a terminal")
        boolean noProgressBar;

        /** The environment; tests replace it. */
        Map<String, String> env = System.getenv();

        /** Whether to draw the progress bar; tests replace it. */
        boolean interactive = System.console() != null;

        private final HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        private String key;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            key = env.get("PROMPTFORGE_API_KEY");
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("set PROMPTFORGE_API_KEY to an API key of the server");
            }
            String base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
            String runs = base + "/api/integration/testing/pipelines/" + encode(pipeline);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("promptId", prompt);
            if (baseline != null) {
                body.put("baselinePromptId", baseline);
            }
            if (!tests.isEmpty()) {
                body.put("testDataset", tests);
            }
            body.put("runAsync", true);
            HttpResponse<String> started = http.send(
                    request(runs + "/execute")
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (started.statusCode() != 202 && started.statusCode() != 200) {
                throw new IllegalStateException("the server refused the run: " + problem(started));
            }
            String runId = JSON.readTree(started.body()).get("id").asString();
            String runPath = runs + "/runs/" + runId;
            boolean bar = interactive && !noProgressBar;
            err.println("Run " + runId + " of pipeline " + pipeline + " started");
            err.flush();
            follow(runPath, bar, err);
            JsonNode run = await(runPath);
            if (json) {
                out.println(run.toPrettyString());
            } else {
                out.print(Report.of(run));
            }
            out.flush();
            return switch (run.get("status").asString()) {
                case "PASSED" -> 0;
                case "FAILED" -> FAILED;
                default -> 1;
            };
        }

        private HttpRequest.Builder request(String url) {
            return HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + key);
        }

        /** Follows the run's events to its end, drawing the progress bar; a broken stream just ends. */
        private void follow(String runPath, boolean bar, PrintWriter err) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(runPath + "/events"))
                    .header("Authorization", "Bearer " + key)
                    .header("Accept", "text/event-stream")
                    .build();
            String line = "";
            try {
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() != 200) {
                    return;
                }
                try (BufferedReader reader =
                        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                    String event = null;
                    String text;
                    while ((text = reader.readLine()) != null) {
                        if (text.startsWith("event:")) {
                            event = text.substring(6).strip();
                        } else if (text.startsWith("data:") && event != null) {
                            JsonNode data = JSON.readTree(text.substring(5));
                            String drawn = progress(event, data, bar, err);
                            line = drawn == null ? line : drawn;
                            if (event.equals("run-finished")) {
                                break;
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // The stream broke: the run goes on on the server; await() polls for its end.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (bar && !line.isEmpty()) {
                    err.print("\r" + " ".repeat(line.length()) + "\r");
                    err.flush();
                }
            }
        }

        private static String progress(String event, JsonNode data, boolean bar, PrintWriter err) {
            switch (event) {
                case "progress", "snapshot" -> {
                    if (bar) {
                        String line = ProgressLine.of(
                                data.path("itemsDone").asInt(),
                                data.path("itemsTotal").asInt());
                        err.print("\r" + line);
                        err.flush();
                        return line;
                    }
                }
                case "stage-started" -> {
                    if (!bar) {
                        err.println("stage " + data.path("name").asString() + " started");
                        err.flush();
                    }
                }
                case "stage-finished" -> {
                    err.print(bar ? "\r" : "");
                    err.println("stage " + data.path("name").asString() + ": "
                            + data.path("status").asString());
                    err.flush();
                }
                default -> {}
            }
            return null;
        }

        /** Polls the run until it has finished. */
        private JsonNode await(String runPath) throws IOException, InterruptedException {
            while (true) {
                HttpResponse<String> response =
                        http.send(request(runPath).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("cannot read the run: " + problem(response));
                }
                JsonNode run = JSON.readTree(response.body());
                String status = run.get("status").asString();
                if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                    return run;
                }
                Thread.sleep(500);
            }
        }

        private static String problem(HttpResponse<String> response) {
            try {
                JsonNode problem = JSON.readTree(response.body());
                String detail = problem.path("detail").asString("");
                StringBuilder text = new StringBuilder(response.statusCode() + " " + detail);
                for (JsonNode error : problem.path("errors")) {
                    text.append("; ")
                            .append(error.path("field").asString())
                            .append(": ")
                            .append(error.path("message").asString());
                }
                return text.toString();
            } catch (RuntimeException e) {
                return response.statusCode() + " " + response.body();
            }
        }

        private static String encode(String segment) {
            return java.net.URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }

    /** The one-line progress bar of a run. */
    static final class ProgressLine {
        private static final int WIDTH = 30;

        private ProgressLine() {}

        static String of(int done, int total) {
            int filled = total <= 0 ? WIDTH : (int) Math.min(WIDTH, (long) done * WIDTH / total);
            return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + done + "/" + total;
        }
    }

    /** The finished run as text: a line per stage with its key figures, then what explains a failure. */
    static final class Report {
        private Report() {}

        static String of(JsonNode run) {
            StringBuilder out = new StringBuilder();
            out.append("Pipeline run ")
                    .append(run.path("id").asString())
                    .append(": ")
                    .append(run.path("status").asString());
            if (!run.path("reason").isMissingNode()) {
                out.append(" (").append(run.path("reason").asString()).append(')');
            }
            out.append('\n');
            out.append("  candidate ").append(run.path("candidate").asString());
            if (!run.path("baseline").isMissingNode()) {
                out.append(", baseline ").append(run.path("baseline").asString());
            }
            if (!run.path("dataset").isMissingNode()) {
                out.append(", dataset ").append(run.path("dataset").asString());
                if (!run.path("datasetVersion").isMissingNode()) {
                    out.append(" v").append(run.path("datasetVersion").asInt());
                }
            }
            List<String> models = new ArrayList<>();
            run.path("models").forEach(m -> models.add(m.asString()));
            out.append(", ")
                    .append(run.path("items").asInt())
                    .append(" items, models ")
                    .append(String.join(", ", models))
                    .append("\n\n");
            for (JsonNode stage : run.path("stages")) {
                String status = stage.path("status").asString();
                String mark = switch (status) {
                    case "PASSED" -> "[pass]";
                    case "FAILED" -> "[FAIL]";
                    default -> "[" + status.toLowerCase(Locale.ROOT) + "]";
                };
                out.append(String.format(
                        Locale.ROOT,
                        "  %-8s %-14s %s%n",
                        mark,
                        stage.path("name").asString(),
                        summary(stage)));
                details(stage, out);
            }
            return out.toString();
        }

        private static String summary(JsonNode stage) {
            JsonNode m = stage.path("metrics");
            return switch (stage.path("type").asString()) {
                case "validation" ->
                    m.path("errors").asInt() + " errors, " + m.path("warnings").asInt() + " warnings, longest prompt "
                            + m.path("maxPromptTokens").asInt() + " tokens";
                case "performance" ->
                    "p50 " + ms(m.path("p50Ms")) + ", p95 " + ms(m.path("p95Ms")) + ", p99 " + ms(m.path("p99Ms"))
                            + ", errors " + pct(m.path("errorRate")) + ", tokens in/out "
                            + num(m.path("meanInputTokens")) + "/" + num(m.path("meanOutputTokens")) + ", "
                            + money(m.path("costPerCall")) + "/call, " + money(m.path("projectedMonthlyCost"))
                            + "/month";
                case "quality" -> "pass rate " + pct(m.path("passRate")) + ", mean score " + num(m.path("meanScore"));
                case "comparison" ->
                    m.isMissingNode() || m.isEmpty()
                            ? stage.path("details").path("reason").asString("")
                            : m.path("wins").asInt() + " wins / "
                                    + m.path("ties").asInt() + " ties / "
                                    + m.path("losses").asInt() + " losses, mean difference "
                                    + signed(m.path("meanDifference")) + " [95% CI " + signed(m.path("ciLow")) + ", "
                                    + signed(m.path("ciHigh")) + "], McNemar p=" + num(m.path("mcnemarPValue"))
                                    + ": " + m.path("verdict").asString();
                case "optimization" ->
                    m.path("suggestions").asInt() + " suggestions, "
                            + m.path("recommended").asInt() + " recommended";
                default -> "";
            };
        }

        private static void details(JsonNode stage, StringBuilder out) {
            JsonNode d = stage.path("details");
            if (stage.path("status").asString().equals("SKIPPED") && d.has("reason")) {
                out.append("      ").append(d.path("reason").asString()).append('\n');
            }
            if (d.has("error")) {
                out.append("      error: ").append(d.path("error").asString()).append('\n');
            }
            for (JsonNode f : d.path("findings")) {
                out.append("      ")
                        .append(f.path("severity").asString())
                        .append(" [")
                        .append(f.path("check").asString())
                        .append("] ")
                        .append(f.path("message").asString())
                        .append('\n');
            }
            for (JsonNode c : d.path("checks")) {
                if (!c.path("passed").asBoolean()) {
                    out.append("      ")
                            .append(c.path("model").asString())
                            .append(": ")
                            .append(c.path("criterion").asString())
                            .append(' ')
                            .append(c.path("limit").asDouble())
                            .append(" not met (")
                            .append(num(c.path("value")))
                            .append(")\n");
                }
            }
            int shown = 0;
            for (JsonNode r : d.path("regressedItems")) {
                if (shown++ == 10) {
                    out.append("      …\n");
                    break;
                }
                out.append("      regressed ")
                        .append(r.path("name").asString(r.path("item").asString()))
                        .append(":\n        baseline:  ")
                        .append(oneLine(r.path("baselineOutput").asString("")))
                        .append("\n        candidate: ")
                        .append(oneLine(r.path("candidateOutput").asString("")))
                        .append('\n');
            }
            for (JsonNode s : d.path("suggestions")) {
                out.append("      ")
                        .append(s.path("recommended").asBoolean() ? "+ " : "  ")
                        .append(s.path("kind").asString())
                        .append(": score ")
                        .append(signed(s.path("meanScoreDelta")))
                        .append(", input tokens ")
                        .append(signed(s.path("inputTokensDelta")))
                        .append(", cost/call ")
                        .append(signed(s.path("costPerCallDelta")))
                        .append(s.path("recommended").asBoolean() ? " (recommended)" : "")
                        .append('\n');
            }
        }

        private static String oneLine(String text) {
            String line = text.replace('\n', ' ');
            return line.length() <= 100 ? line : line.substring(0, 97) + "...";
        }

        private static String ms(JsonNode value) {
            return value.isNumber() ? String.format(Locale.ROOT, "%.0f ms", value.asDouble()) : "n/a";
        }

        private static String pct(JsonNode value) {
            return value.isNumber() ? String.format(Locale.ROOT, "%.1f%%", value.asDouble() * 100) : "n/a";
        }

        private static String num(JsonNode value) {
            return value.isNumber() ? String.format(Locale.ROOT, "%.3g", value.asDouble()) : "n/a";
        }

        private static String signed(JsonNode value) {
            return value.isNumber() ? String.format(Locale.ROOT, "%+.3g", value.asDouble()) : "n/a";
        }

        private static String money(JsonNode value) {
            return value.isNumber() ? String.format(Locale.ROOT, "$%.6f", value.asDouble()) : "n/a";
        }
    }
}
