package dev.promptforge.server.gateway;

import dev.promptforge.server.shared.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Splits generation parameters (a version's, an execute request's, or an OpenAI request body's) into
 * the options PromptForge understands, the fallback models, and the rest, passed through untouched.
 */
record ExecutionOptions(ChatOptions options, List<String> fallbacks, Map<String, Object> passthrough) {

    static final String FALLBACKS = "fallback_models";

    static ExecutionOptions from(Map<String, Object> parameters) {
        Map<String, Object> rest = new LinkedHashMap<>(parameters);
        Double temperature = number(rest.remove("temperature"), "temperature");
        Object maxTokens = rest.remove("max_tokens");
        Object maxCompletion = rest.get("max_completion_tokens");
        Integer max = integer(maxTokens != null ? maxTokens : maxCompletion, "max_tokens");
        if (maxTokens == null && maxCompletion != null) {
            rest.remove("max_completion_tokens");
        }
        Double topP = number(rest.remove("top_p"), "top_p");
        List<String> stop = stop(rest.remove("stop"));
        Integer seed = integer(rest.remove("seed"), "seed");
        List<String> fallbacks = strings(rest.remove(FALLBACKS), FALLBACKS);
        return new ExecutionOptions(new ChatOptions(temperature, max, topP, stop, seed), fallbacks, rest);
    }

    private static @Nullable Double number(@Nullable Object value, String name) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        throw ApiException.unprocessable(name + ": must be a number");
    }

    private static @Nullable Integer integer(@Nullable Object value, String name) {
        if (value == null) {
            return null;
        }
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).intValue();
        }
        throw ApiException.unprocessable(name + ": must be a whole number");
    }

    private static @Nullable List<String> stop(@Nullable Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return List.of(s);
        }
        return strings(value, "stop");
    }

    private static List<String> strings(@Nullable Object value, String name) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            List<String> result = new ArrayList<>();
            list.forEach(item -> result.add((String) item));
            return result;
        }
        throw ApiException.unprocessable(name + ": must be a list of strings");
    }
}
