package dev.promptforge.eval;

import dev.promptforge.eval.template.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Checks that an assertion's value has the shape its type needs; failures are IllegalArgumentException. */
final class Shapes {

    private Shapes() {}

    /** A non-empty string; numbers become their text, as promptfoo's {@code String(value)}. */
    static String text(@Nullable Object value) {
        if (value instanceof String s && !s.isEmpty()) {
            return s;
        }
        if (value instanceof Number n) {
            return Values.numberToString(n);
        }
        throw new IllegalArgumentException("value must be a non-empty string or a number"
                + (value == null ? " (it is missing)" : ", not " + describe(value)));
    }

    /** A list of non-empty strings, or a comma-separated string (quotes keep commas). */
    static List<String> textList(@Nullable Object value) {
        if (value instanceof String s) {
            List<String> items = splitCommaSeparated(s);
            if (items.isEmpty()) {
                throw new IllegalArgumentException("value must list at least one string");
            }
            return items;
        }
        if (value instanceof List<?> list && !list.isEmpty()) {
            List<String> items = new ArrayList<>();
            for (Object item : list) {
                items.add(text(item));
            }
            return items;
        }
        throw new IllegalArgumentException("value must be a list of strings or a comma-separated string"
                + (value == null ? " (it is missing)" : ", not " + describe(value)));
    }

    /** Splits {@code a, "b, c", d} into {@code [a, b, c, d]}: trimmed, quotes removed, empties dropped. */
    static List<String> splitCommaSeparated(String text) {
        List<String> items = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    current.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == ',' && !quoted) {
                addTrimmed(items, current);
            } else {
                current.append(c);
            }
        }
        addTrimmed(items, current);
        return items;
    }

    private static void addTrimmed(List<String> items, StringBuilder current) {
        String item = current.toString().strip();
        if (!item.isEmpty()) {
            items.add(item);
        }
        current.setLength(0);
    }

    /** Absent, or a string / list of strings. */
    static @Nullable List<String> optionalTextList(@Nullable Object value) {
        return value == null ? null : textList(value);
    }

    static String describe(Object value) {
        if (value instanceof Map<?, ?>) {
            return "a map";
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Number) {
            return "a number";
        }
        return "'" + Values.toText(value) + "'";
    }

    static String quote(String text) {
        String shown = text.length() > 120 ? text.substring(0, 117) + "..." : text;
        return "\"" + shown + "\"";
    }
}
