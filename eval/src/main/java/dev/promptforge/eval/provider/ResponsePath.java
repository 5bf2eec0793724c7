package dev.promptforge.eval.provider;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * promptfoo's {@code transformResponse} written as a path: {@code json.choices[0].message.content},
 * {@code json['output text']}, {@code json} or {@code text}. PromptForge does not evaluate
 * JavaScript, so anything else is rejected when the suite loads.
 */
final class ResponsePath {

    private final String source;
    private final boolean text;
    private final List<Object> steps;

    private ResponsePath(String source, boolean text, List<Object> steps) {
        this.source = source;
        this.text = text;
        this.steps = List.copyOf(steps);
    }

    static ResponsePath parse(String source) {
        String s = source.strip();
        if (s.equals("text")) {
            return new ResponsePath(source, true, List.of());
        }
        if (!s.startsWith("json")) {
            throw invalid(source);
        }
        List<Object> steps = new ArrayList<>();
        int i = 4;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '.') {
                int start = ++i;
                while (i < s.length()
                        && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '$')) {
                    i++;
                }
                if (start == i) {
                    throw invalid(source);
                }
                steps.add(s.substring(start, i));
            } else if (c == '[') {
                int close = s.indexOf(']', i);
                if (close < 0) {
                    throw invalid(source);
                }
                String inner = s.substring(i + 1, close).strip();
                if (inner.matches("\\d+")) {
                    steps.add(Integer.parseInt(inner));
                } else if (inner.length() >= 2
                        && (inner.charAt(0) == '\'' || inner.charAt(0) == '"')
                        && inner.charAt(inner.length() - 1) == inner.charAt(0)) {
                    steps.add(inner.substring(1, inner.length() - 1));
                } else {
                    throw invalid(source);
                }
                i = close + 1;
            } else {
                throw invalid(source);
            }
        }
        return new ResponsePath(source, false, steps);
    }

    private static IllegalArgumentException invalid(String source) {
        return new IllegalArgumentException("transformResponse '" + source + "' is not a path PromptForge can follow:"
                + " write json.field[0].other, json['key'], json or text (JavaScript is not evaluated)");
    }

    boolean wantsText() {
        return text;
    }

    /** The node the path leads to, or null when a step is missing. */
    @Nullable
    JsonNode follow(JsonNode root) {
        JsonNode current = root;
        for (Object step : steps) {
            current = step instanceof Integer index ? current.get(index) : current.get((String) step);
            if (current == null || current.isMissingNode()) {
                return null;
            }
        }
        return current;
    }

    @Override
    public String toString() {
        return source;
    }
}
