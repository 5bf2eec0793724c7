package dev.promptforge.eval.provider;

import dev.promptforge.eval.EvalProvider;
import dev.promptforge.eval.ProviderRequest;
import dev.promptforge.eval.ProviderResponse;
import dev.promptforge.eval.suite.ProviderSpec;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code promptforge:<project>/<prompt>@<label>}: runs a registry prompt (the version the label
 * points at, {@code production} by default) on a PromptForge server with the test's variables,
 * through {@code POST /api/v1/prompt/execute}, so a suite measures exactly what production runs.
 *
 * <p>The server is {@code config.url}, else {@code PROMPTFORGE_URL}, else {@code
 * http://localhost:8000}; the API key is {@code PROMPTFORGE_API_KEY} (or the variable {@code
 * config.apiKeyEnvar} names). {@code config.model} and {@code config.parameters} override the
 * version's. The suite's prompts are not sent: the registry renders its own. Answers are never
 * cached, since a label can move to another version.
 */
final class PromptForgeProvider implements EvalProvider {

    private static final Pattern ID =
            Pattern.compile("promptforge:([a-z0-9][a-z0-9._-]*)/([a-z0-9][a-z0-9._-]*)(?:@([A-Za-z0-9._-]+))?");
    private static final Set<String> KEYS = Set.of("url", "apiKeyEnvar", "model", "parameters");

    private final String id;
    private final String project;
    private final String prompt;
    private final String label;
    private final ExecuteApi api;
    private final @Nullable String model;
    private final Map<String, Object> parameters;
    private final @Nullable String runId;

    PromptForgeProvider(ProviderSpec spec, Map<String, String> env, HttpClient client) {
        this(spec, serverUrl(spec, env), apiKey(spec, env), null, client);
    }

    /** A registry prompt on the given server, its executions tagged with {@code runId} when not null. */
    PromptForgeProvider(ProviderSpec spec, String serverUrl, String apiKey, @Nullable String runId, HttpClient client) {
        Matcher m = ID.matcher(spec.id());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + spec.id() + "' is not a PromptForge prompt: write"
                    + " promptforge:<project>/<prompt>@<label>, e.g. promptforge:demo/customer-support@production");
        }
        for (String key : spec.config().keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key '" + key + "' in the promptforge provider's config"
                        + " (allowed: apiKeyEnvar, model, parameters, url)");
            }
        }
        this.id = spec.id();
        this.project = m.group(1);
        this.prompt = m.group(2);
        this.label = m.group(3) == null ? "production" : m.group(3);
        this.api = new ExecuteApi(serverUrl, apiKey, client);
        Object modelValue = spec.config().get("model");
        this.model = modelValue == null ? null : String.valueOf(modelValue);
        this.parameters = ExecuteApi.parameters(spec.config().get("parameters"));
        this.runId = runId;
    }

    private static String serverUrl(ProviderSpec spec, Map<String, String> env) {
        Object url = spec.config().get("url");
        return url != null ? String.valueOf(url) : env.getOrDefault("PROMPTFORGE_URL", "http://localhost:8000");
    }

    private static String apiKey(ProviderSpec spec, Map<String, String> env) {
        Object envar = spec.config().get("apiKeyEnvar");
        String keyVariable = envar == null ? "PROMPTFORGE_API_KEY" : String.valueOf(envar);
        String key = env.get(keyVariable);
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException(spec.id() + " needs a PromptForge API key: set " + keyVariable);
        }
        return key;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean rendersItsOwnPrompt() {
        return true;
    }

    @Override
    public boolean cacheable() {
        return false;
    }

    @Override
    public Map<String, Object> cacheIdentity() {
        return Map.of("id", id, "url", api.endpoint().toString());
    }

    @Override
    public ProviderResponse call(ProviderRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("project", project);
        body.put("prompt", prompt);
        body.put("label", label);
        body.put("variables", request.vars());
        if (model != null) {
            body.put("model", model);
        }
        if (!parameters.isEmpty()) {
            body.put("parameters", parameters);
        }
        if (runId != null) {
            body.put("runId", runId);
        }
        return api.execute(body);
    }
}
