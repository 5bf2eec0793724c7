package dev.promptforge.cli.eval;

import static java.util.Objects.requireNonNull;

import dev.promptforge.eval.EvaluationException;
import dev.promptforge.eval.Judge;
import dev.promptforge.eval.Message;
import dev.promptforge.server.gateway.ProviderException;
import dev.promptforge.server.gateway.provider.UpstreamClient;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenAI's embeddings ({@code POST /embeddings}) or moderation ({@code POST /moderations}) endpoint
 * as a judge, through the gateway's {@link UpstreamClient} (the same HTTP client, time limits and
 * failure messages as chat). One judge does one of the two; a chat judge is a suite provider.
 */
final class OpenAiJudge implements Judge {

    /** What the judge calls. */
    enum Api {
        EMBEDDINGS("/embeddings"),
        MODERATIONS("/moderations");

        final String path;

        Api(String path) {
            this.path = path;
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, String> HEADERS = Map.of("Accept", "application/json");

    private final String id;
    private final Api api;
    private final String model;
    private final Map<String, Object> extra;
    private final UpstreamClient upstream;
    private final Map<String, String> headers;

    /**
     * @param extra further body fields, sent as given (e.g. {@code dimensions})
     */
    OpenAiJudge(
            String id,
            Api api,
            String model,
            Map<String, Object> extra,
            UpstreamClient upstream,
            @Nullable String apiKey) {
        this.id = requireNonNull(id, "id");
        this.api = requireNonNull(api, "api");
        this.model = requireNonNull(model, "model");
        this.extra = Map.copyOf(extra);
        this.upstream = requireNonNull(upstream, "upstream");
        Map<String, String> h = new LinkedHashMap<>(HEADERS);
        if (apiKey != null && !apiKey.isBlank()) {
            h.put("Authorization", "Bearer " + apiKey);
        }
        this.headers = Map.copyOf(h);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean supportsChat() {
        return false;
    }

    @Override
    public String complete(List<Message> messages) {
        throw new EvaluationException(
                "The judge " + id + " is an " + api.path.substring(1) + " endpoint, not a chat" + " model");
    }

    @Override
    public boolean supportsEmbeddings() {
        return api == Api.EMBEDDINGS;
    }

    @Override
    public double[] embed(String text) {
        if (api != Api.EMBEDDINGS) {
            return Judge.super.embed(text);
        }
        JsonNode data = call(text).get("data");
        if (data == null
                || !data.isArray()
                || data.isEmpty()
                || !data.get(0).path("embedding").isArray()) {
            throw malformed("no data[0].embedding");
        }
        JsonNode vector = data.get(0).get("embedding");
        double[] out = new double[vector.size()];
        for (int i = 0; i < out.length; i++) {
            if (!vector.get(i).isNumber()) {
                throw malformed("an embedding with a non-number at " + i);
            }
            out[i] = vector.get(i).asDouble();
        }
        if (out.length == 0) {
            throw malformed("an empty embedding");
        }
        return out;
    }

    @Override
    public boolean supportsModeration() {
        return api == Api.MODERATIONS;
    }

    @Override
    public Moderation moderate(String text) {
        if (api != Api.MODERATIONS) {
            return Judge.super.moderate(text);
        }
        JsonNode results = call(text).get("results");
        if (results == null
                || !results.isArray()
                || results.isEmpty()
                || !results.get(0).isObject()) {
            throw malformed("no results[0]");
        }
        JsonNode result = results.get(0);
        JsonNode categories = result.get("categories");
        if (categories == null || !categories.isObject()) {
            throw malformed("no results[0].categories");
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
        return new Moderation(flagged, scores);
    }

    private JsonNode call(String input) {
        Map<String, Object> body = new LinkedHashMap<>(extra);
        body.put("model", model);
        body.put("input", input);
        byte[] answer;
        try {
            answer = upstream.post(api.path, headers, JSON.writeValueAsBytes(body), model);
        } catch (ProviderException e) {
            throw new EvaluationException("the judge " + id + " failed: " + e.getMessage(), e);
        }
        try {
            JsonNode json = JSON.readTree(answer);
            if (json == null || !json.isObject()) {
                throw malformed("a body that is not a JSON object");
            }
            return json;
        } catch (JacksonException e) {
            throw malformed("a body that is not JSON: " + abbreviate(new String(answer, StandardCharsets.UTF_8)));
        }
    }

    private EvaluationException malformed(String what) {
        return new EvaluationException("the judge " + id + " answered " + api.path + " with " + what);
    }

    private static String abbreviate(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= 200 ? flat : flat.substring(0, 197) + "...";
    }
}
