package dev.promptforge.eval.template;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * How suite values (strings, numbers, booleans, lists, maps, null: what YAML, JSON and CSV give)
 * become text, the way promptfoo's JavaScript would show them: {@code 1.0} is {@code "1"}, {@code
 * 1e-7} is {@code "1e-7"}, null is empty. Lists and maps are shown as JSON.
 */
public final class Values {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Values() {}

    /** The text of a value as a template or an assertion sees it. */
    public static String toText(@Nullable Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Number n) {
            return numberToString(n);
        }
        if (value instanceof Boolean b) {
            return b.toString();
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            return toJson(value);
        }
        return value.toString();
    }

    /** Compact JSON of a value. */
    public static String toJson(@Nullable Object value) {
        if (value instanceof Map<?, ?> map) {
            String plain = plainJson(map);
            if (plain != null) {
                return plain;
            }
        }
        return JSON.writeValueAsString(value);
    }

    /**
     * The JSON Jackson writes for a map of printable-ASCII strings, integers and booleans (a test's
     * variables, as CSV and most suites give them), without Jackson: reports name each test by its
     * variables, and Jackson's serializer costs ≈ 10 ms of a 1,000-test run. Null for any other map.
     */
    private static @Nullable String plainJson(Map<?, ?> map) {
        StringBuilder json = new StringBuilder(64).append('{');
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key) || !plain(key)) {
                return null;
            }
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(key).append("\":");
            Object value = entry.getValue();
            if (value instanceof String text && plain(text)) {
                json.append('"').append(text).append('"');
            } else if (value instanceof Long || value instanceof Integer || value instanceof Boolean) {
                json.append(value);
            } else {
                return null;
            }
        }
        return json.append('}').toString();
    }

    /** Printable ASCII that JSON does not escape. */
    private static boolean plain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** A number as JavaScript's {@code String(n)} writes it. */
    public static String numberToString(Number number) {
        if (number instanceof Long || number instanceof Integer || number instanceof Short || number instanceof Byte) {
            return number.toString();
        }
        if (number instanceof BigDecimal big) {
            return numberToString(big.doubleValue());
        }
        double d = number.doubleValue();
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return "0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int exponent = exact.precision() - exact.scale() - 1;
        if (exponent >= 21 || exponent <= -7) {
            String digits = exact.unscaledValue().abs().toString();
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return (d < 0 ? "-" : "") + mantissa + "e" + (exponent > 0 ? "+" : "") + exponent;
        }
        return exact.toPlainString();
    }

    /** JavaScript truthiness, as Nunjucks' {@code default(value, true)} uses it. */
    public static boolean truthy(@Nullable Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s) {
            return !s.isEmpty();
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return d != 0 && !Double.isNaN(d);
        }
        return true;
    }
}
