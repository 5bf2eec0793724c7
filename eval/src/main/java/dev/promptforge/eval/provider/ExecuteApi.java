package dev.promptforge.eval.provider;

import dev.promptforge.eval.ProviderCallException;
import dev.promptforge.eval.ProviderResponse;
import dev.promptforge.eval.TokenUsage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A PromptForge server's {@code POST /api/v1/prompt/execute}, answered as a suite provider's response. */
final class ExecuteApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI endpoint;
    private final String apiKey;
    private final HttpClient client;

    ExecuteApi(String serverUrl, String apiKey, HttpClient client) {
        try {
            this.endpoint = URI.create(serverUrl.replaceAll("/+$", "") + "/api/v1/prompt/execute");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + serverUrl + "' is not a valid PromptForge URL");
        }
        if (endpoint.getScheme() == null || endpoint.getHost() == null) {
            throw new IllegalArgumentException(
                    "'" + serverUrl + "' is not a valid PromptForge URL: write http(s)://host:port");
        }
        this.apiKey = apiKey;
        this.client = client;
    }

    URI endpoint() {
        return endpoint;
    }

    /** A provider config's {@code parameters}: a map or nothing. */
    static Map<String, Object> parameters(@Nullable Object params) {
        if (params != null && !(params instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("'parameters' must be a map");
        }
        Map<String, Object> copied = new LinkedHashMap<>();
        if (params instanceof Map<?, ?> map) {
            map.forEach((k, v) -> copied.put(String.valueOf(k), v));
        }
        return copied;
    }

    ProviderResponse execute(Map<String, Object> body) {
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
