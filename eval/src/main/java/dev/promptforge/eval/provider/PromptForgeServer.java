package dev.promptforge.eval.provider;

import static java.util.Objects.requireNonNull;

import dev.promptforge.eval.EvalProvider;
import dev.promptforge.eval.run.RunResult;
import dev.promptforge.eval.run.TestResult;
import dev.promptforge.eval.suite.ProviderSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * A PromptForge server that runs a suite's calls ({@code ./promptforge eval --server URL}): every
 * call goes through the server's {@code POST /api/v1/prompt/execute} with the run's id, so the run's
 * executions become the server's records, tagged with it ({@code GET /api/v1/records?run=<id>}).
 */
public final class PromptForgeServer {

    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");
    private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    private final String url;
    private final String apiKey;
    private final String project;
    private final String runId;
    private final HttpClient client;
    private final ExecuteApi api;

    /**
     * @param url the server, e.g. {@code http://localhost:8000}
     * @param apiKey an API key of the server
     * @param project the project whose records the run's executions become
     * @param runId tags the run's records
     * @throws IllegalArgumentException for a malformed URL, project or run id
     */
    public PromptForgeServer(String url, String apiKey, String project, String runId) {
        this.url = requireNonNull(url, "url");
        this.apiKey = requireNonNull(apiKey, "apiKey");
        if (!PROJECT.matcher(project).matches()) {
            throw new IllegalArgumentException("'" + project + "' is not a project name");
        }
        if (!RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException(
                    "'" + runId + "' is not a run id: 1 to 100 letters, digits, '.', '_', ':' or '-'");
        }
        this.project = project;
        this.runId = runId;
        this.client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.api = new ExecuteApi(url, apiKey, client);
    }

    public String runId() {
        return runId;
    }

    public String project() {
        return project;
    }

    /**
     * A suite provider that runs on one of the server's models ({@code local/echo}, {@code
     * openai/gpt-4o-mini} …) with the given generation parameters.
     */
    public EvalProvider model(String id, String model, Map<String, Object> parameters) {
        return new ServerModelProvider(id, model, parameters, project, runId, api);
    }

    /** A {@code promptforge:<project>/<prompt>@<label>} provider on this server, tagged with the run. */
    public EvalProvider prompt(ProviderSpec spec) {
        return new PromptForgeProvider(spec, url, apiKey, runId, client);
    }

    /**
     * Sends the run's results (summary and matrix) to the server's {@code POST
     * /api/v1/projects/<project>/eval-runs}, where the dashboard shows them.
     *
     * @return the URL of the run on the server's API
     * @throws IllegalStateException when the server cannot be reached or refuses the run
     */
    public String uploadRun(RunResult run, Instant finishedAt) {
        String base = url.replaceAll("/+$", "");
        String path = "/api/v1/projects/" + project + "/eval-runs";
        String body = JsonMapper.builder().build().writeValueAsString(runBody(run, finishedAt));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(HttpProvider.REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach PromptForge at " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending the run to " + base, e);
        }
        if (response.statusCode() != 201) {
            throw new IllegalStateException(
                    "PromptForge answered HTTP " + response.statusCode() + " to the run's results: " + response.body());
        }
        return base + path + "/" + runId;
    }

    /** The body of {@link #uploadRun}: the suite, its times, and one cell per result. */
    Map<String, @Nullable Object> runBody(RunResult run, Instant finishedAt) {
        Map<String, @Nullable Object> body = new LinkedHashMap<>();
        body.put("runId", runId);
        Path file = Path.of(run.configFile()).getFileName();
        body.put("suite", file == null ? run.configFile() : file.toString());
        body.put("description", run.description());
        body.put("startedAt", run.startedAt().toString());
        body.put("finishedAt", (finishedAt.isBefore(run.startedAt()) ? run.startedAt() : finishedAt).toString());
        // Tests of the same name (e.g. one description over several vars) are told apart by their number.
        Map<String, Set<Integer>> indexesByName = new HashMap<>();
        for (TestResult result : run.results()) {
            indexesByName
                    .computeIfAbsent(result.testName(), n -> new HashSet<>())
                    .add(result.testIndex());
        }
        List<Map<String, @Nullable Object>> cells = new ArrayList<>();
        for (TestResult result : run.results()) {
            Map<String, @Nullable Object> cell = new LinkedHashMap<>();
            cell.put(
                    "test",
                    indexesByName.get(result.testName()).size() > 1
                            ? result.testName() + " #" + (result.testIndex() + 1)
                            : result.testName());
            cell.put("prompt", result.promptLabel());
            cell.put("provider", result.providerLabel());
            cell.put("repeat", result.repeatIndex());
            cell.put("status", result.status().name());
            cell.put("score", result.grading() == null ? null : result.score());
            cell.put("latencyMs", result.latencyMs());
            cell.put("error", abbreviate(result.error()));
            cells.add(cell);
        }
        body.put("cells", cells);
        return body;
    }

    private static @Nullable String abbreviate(@Nullable String text) {
        return text == null || text.length() <= 1_000 ? text : text.substring(0, 1_000) + "…";
    }
}
