package dev.promptforge.server.gateway.provider.openai;

import static java.util.Objects.requireNonNull;

import dev.promptforge.server.gateway.EmbeddingsAndModeration.ModerationVerdict;
import dev.promptforge.server.gateway.provider.UpstreamClient;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenAI's embeddings ({@code POST /embeddings}) and moderation ({@code POST /moderations})
 * endpoints through the provider's {@link UpstreamClient}: the same connection pool, time limit,
 * key and failure classification as chat. An answer of the wrong shape is {@code Malformed}.
 */
final class OpenAiEndpoints {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final UpstreamClient upstream;
    private final Map<String, String> headers;

    OpenAiEndpoints(UpstreamClient upstream, Map<String, String> headers) {
        this.upstream = requireNonNull(upstream, "upstream");
        this.headers = Map.copyOf(headers);
    }

    double[] embed(String model, String input) {
        JsonNode data = call("/embeddings", model, input).get("data");
        if (data == null
                || !data.isArray()
                || data.isEmpty()
                || !data.get(0).path("embedding").isArray()) {
            throw upstream.malformed("/embeddings without data[0].embedding", null);
        }
        JsonNode vector = data.get(0).get("embedding");
        if (vector.isEmpty()) {
            throw upstream.malformed("/embeddings with an empty embedding", null);
        }
        double[] out = new double[vector.size()];
        for (int i = 0; i < out.length; i++) {
            if (!vector.get(i).isNumber()) {
                throw upstream.malformed("/embeddings with a non-number at data[0].embedding[" + i + "]", null);
            }
            out[i] = vector.get(i).asDouble();
        }
        return out;
    }

    ModerationVerdict moderate(String model, String input) {
        JsonNode results = call("/moderations", model, input).get("results");
        if (results == null
                || !results.isArray()
                || results.isEmpty()
                || !results.get(0).isObject()) {
            throw upstream.malformed("/moderations without results[0]", null);
        }
        JsonNode result = results.get(0);
        JsonNode categories = result.get("categories");
        if (categories == null || !categories.isObject()) {
            throw upstream.malformed("/moderations without results[0].categories", null);
        }
        Set<String> flagged = new LinkedHashSet<>();
        for (Map.Entry<String, JsonNode> category : categories.properties()) {
            if (category.getValue().asBoolean(false)) {
                flagged.add(category.getKey());
            }
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        JsonNode categoryScores = result.get("category_scores");
        if (categoryScores != null && categoryScores.isObject()) {
            for (Map.Entry<String, JsonNode> score : categoryScores.properties()) {
                if (score.getValue().isNumber()) {
                    scores.put(score.getKey(), score.getValue().asDouble());
                }
            }
        }
        return new ModerationVerdict(flagged, scores);
    }

    private JsonNode call(String path, String model, String input) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("input", input);
        byte[] answer = upstream.post(path, headers, JSON.writeValueAsBytes(body), model);
        try {
            JsonNode json = JSON.readTree(answer);
            if (json == null || !json.isObject()) {
                throw upstream.malformed(path + " with a body that is not a JSON object", null);
            }
            return json;
        } catch (JacksonException e) {
            throw upstream.malformed(path + " with a body that is not JSON", e);
        }
    }
}
