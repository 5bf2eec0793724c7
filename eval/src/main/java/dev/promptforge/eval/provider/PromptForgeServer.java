package dev.promptforge.eval.provider;

import static java.util.Objects.requireNonNull;

import dev.promptforge.eval.EvalProvider;
import dev.promptforge.eval.suite.ProviderSpec;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

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
}
