package dev.promptforge.eval.provider;

import dev.promptforge.eval.EvalProvider;
import dev.promptforge.eval.ProviderCallException;
import dev.promptforge.eval.ProviderRequest;
import dev.promptforge.eval.ProviderResponse;
import dev.promptforge.eval.TokenUsage;
import dev.promptforge.eval.suite.ProviderSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String id;
    private final String project;
    private final String prompt;
    private final String label;
    private final URI endpoint;
    private final String apiKey;
    private final @Nullable String model;
    private final Map<String, Object> parameters;
    private final HttpClient client;

    PromptForgeProvider(ProviderSpec spec, Map<String, String> env, HttpClient client) {
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
        Object url = spec.config().get("url");
        String base = url != null ? String.valueOf(url) : env.getOrDefault("PROMPTFORGE_URL", "http://localhost:8000");
        try {
            this.endpoint = URI.create(base.replaceAll("/+$", "") + "/api/v1/prompt/execute");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + base + "' is not a valid PromptForge URL");
        }
        Object envar = spec.config().get("apiKeyEnvar");
        String keyVariable = envar == null ? "PROMPTFORGE_API_KEY" : String.valueOf(envar);
        String key = env.get(keyVariable);
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException(spec.id() + " needs a PromptForge API key: set " + keyVariable);
        }
        this.apiKey = key;
        Object modelValue = spec.config().get("model");
        this.model = modelValue == null ? null : String.valueOf(modelValue);
        Object params = spec.config().get("parameters");
        if (params != null && !(params instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("'parameters' must be a map");
        }
        Map<String, Object> copied = new LinkedHashMap<>();
        if (params instanceof Map<?, ?> map) {
            map.forEach((k, v) -> copied.put(String.valueOf(k), v));
        }
        this.parameters = copied;
        this.client = client;
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
        return Map.of("id", id, "url", endpoint.toString());
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
        HttpRequest http = HttpRequest.newBuilder(endpoint)
                .timeout(HttpProvider.REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = client.send(http, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ProviderCallException("cannot reach PromptForge at " + endpoint + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderCallException("interrupted while calling " + endpoint);
        }
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (JacksonException e) {
            throw new ProviderCallException("PromptForge answered HTTP " + response.statusCode() + " without JSON");
        }
        if (response.statusCode() / 100 != 2) {
            JsonNode detail = json.get("detail");
            throw new ProviderCallException("PromptForge answered HTTP " + response.statusCode() + ": "
                    + (detail != null ? detail.asString() : response.body()));
        }
        JsonNode output = json.get("output");
        if (output == null || !output.isString()) {
            throw new ProviderCallException("PromptForge's answer has no output");
        }
        JsonNode usage = json.get("usage");
        TokenUsage tokens = usage == null || usage.isNull()
                ? null
                : new TokenUsage(
                        usage.path("inputTokens").asInt(),
                        usage.path("outputTokens").asInt(),
                        usage.path("estimated").asBoolean());
        return new ProviderResponse(
                output.asString(),
                json.hasNonNull("finishReason") ? json.get("finishReason").asString() : null,
                tokens,
                json.hasNonNull("cost") ? json.get("cost").asDouble() : null,
                null);
    }
}
