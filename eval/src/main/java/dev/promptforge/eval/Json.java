package dev.promptforge.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** JSON as promptfoo's {@code JSON.parse} sees it: strict, whole text, numbers compared by value. */
final class Json {

    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private Json() {}

    /** The whole text as JSON, or null when it is not JSON. */
    static @Nullable JsonNode parse(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(text);
            return node == null || node.isMissingNode() ? null : node;
        } catch (JacksonException e) {
            return null;
        }
    }

    static JsonNode tree(@Nullable Object value) {
        return MAPPER.valueToTree(value);
    }

    static String compact(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    /** Deep equality where 1 and 1.0 are the same number, like JavaScript. */
    static boolean sameValue(JsonNode expected, JsonNode actual) {
        return expected.equals(NUMBERS_BY_VALUE, actual);
    }

    /**
     * The JSON objects embedded in a text, in order: each '{' that starts a balanced, parseable
     * object (as promptfoo's contains-json looks for them).
     */
    static List<JsonNode> extractObjects(String text) {
        List<JsonNode> found = new ArrayList<>();
        int from = 0;
        while (true) {
            int start = text.indexOf('{', from);
            if (start < 0) {
                return found;
            }
            int end = balancedEnd(text, start);
            if (end > 0) {
                JsonNode node = parse(text.substring(start, end + 1));
                if (node != null && node.isObject()) {
                    found.add(node);
                    from = end + 1;
                    continue;
                }
            }
            from = start + 1;
        }
    }

    /** Index of the brace closing the one at {@code start}, skipping strings; -1 when unbalanced. */
    private static int balancedEnd(String text, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth == 0) {
                    return c == '}' ? i : -1;
                }
            }
        }
        return -1;
    }
}
