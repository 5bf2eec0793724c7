package dev.promptforge.eval.template;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The Nunjucks filters PromptForge implements, with Nunjucks' behaviour. */
final class Filters {

    private static final Set<String> NAMES = Set.of(
            "abs",
            "capitalize",
            "d",
            "default",
            "dump",
            "e",
            "escape",
            "first",
            "float",
            "int",
            "join",
            "last",
            "length",
            "lower",
            "replace",
            "round",
            "safe",
            "string",
            "title",
            "trim",
            "truncate",
            "upper");

    private static final JsonMapper PRETTY =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private Filters() {}

    static boolean exists(String name) {
        return NAMES.contains(name);
    }

    static @Nullable Object apply(String name, @Nullable Object value, List<Object> args) {
        return switch (name) {
            case "upper" -> text(value).toUpperCase(Locale.ROOT);
            case "lower" -> text(value).toLowerCase(Locale.ROOT);
            case "trim" -> text(value).strip();
            case "capitalize" -> capitalize(text(value));
            case "title" -> title(text(value));
            case "length" -> length(value);
            case "dump" -> dump(value, args);
            case "default", "d" -> defaultValue(value, args);
            case "join" -> join(value, args);
            case "replace" -> replace(value, args);
            case "first" -> first(value);
            case "last" -> last(value);
            case "safe" -> value;
            case "escape", "e" -> escape(text(value));
            case "string" -> text(value);
            case "int" -> toInt(value);
            case "float" -> toFloat(value);
            case "round" -> round(value, args);
            case "abs" -> abs(value);
            case "truncate" -> truncate(value, args);
            default -> throw new TemplateException("unknown filter '" + name + "'");
        };
    }

    private static String text(@Nullable Object value) {
        return Values.toText(value);
    }

    private static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
    }

    private static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean start = true;
        for (char c : s.toCharArray()) {
            out.append(start ? Character.toUpperCase(c) : Character.toLowerCase(c));
            start = Character.isWhitespace(c);
        }
        return out.toString();
    }

    private static int length(@Nullable Object value) {
        if (value instanceof List<?> list) {
            return list.size();
        }
        if (value instanceof Map<?, ?> map) {
            return map.size();
        }
        return value == null ? 0 : text(value).length();
    }

    private static String dump(@Nullable Object value, List<Object> args) {
        if (!args.isEmpty() && args.get(0) != null) {
            return PRETTY.writeValueAsString(value);
        }
        return Values.toJson(value);
    }

    private static @Nullable Object defaultValue(@Nullable Object value, List<Object> args) {
        if (args.isEmpty()) {
            throw new TemplateException("default needs a value: default('something')");
        }
        boolean onFalsy = args.size() > 1 && Values.truthy(args.get(1));
        boolean useDefault = onFalsy ? !Values.truthy(value) : value == null;
        return useDefault ? args.get(0) : value;
    }

    private static String join(@Nullable Object value, List<Object> args) {
        String separator = args.isEmpty() ? "" : text(args.get(0));
        if (value instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            for (Object item : list) {
                items.add(text(item));
            }
            return String.join(separator, items);
        }
        return text(value);
    }

    private static String replace(@Nullable Object value, List<Object> args) {
        if (args.size() < 2) {
            throw new TemplateException("replace needs two values: replace('old', 'new')");
        }
        String old = text(args.get(0));
        if (old.isEmpty()) {
            return text(value);
        }
        return text(value).replace(old, text(args.get(1)));
    }

    private static @Nullable Object first(@Nullable Object value) {
        if (value instanceof List<?> list) {
            return list.isEmpty() ? null : list.get(0);
        }
        String s = text(value);
        return s.isEmpty() ? "" : s.substring(0, 1);
    }

    private static @Nullable Object last(@Nullable Object value) {
        if (value instanceof List<?> list) {
            return list.isEmpty() ? null : list.get(list.size() - 1);
        }
        String s = text(value);
        return s.isEmpty() ? "" : s.substring(s.length() - 1);
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static long toInt(@Nullable Object value) {
        if (value instanceof Number n) {
            return (long) n.doubleValue();
        }
        try {
            return (long) Double.parseDouble(text(value).strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static double toFloat(@Nullable Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(text(value).strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static double round(@Nullable Object value, List<Object> args) {
        int precision = args.isEmpty() ? 0 : (int) toInt(args.get(0));
        double d = toFloat(value);
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return d;
        }
        return new BigDecimal(Double.toString(d))
                .setScale(precision, RoundingMode.HALF_UP)
                .doubleValue();
    }

    private static double abs(@Nullable Object value) {
        return Math.abs(toFloat(value));
    }

    private static String truncate(@Nullable Object value, List<Object> args) {
        int length = args.isEmpty() ? 255 : (int) toInt(args.get(0));
        String s = text(value);
        return s.length() <= length ? s : s.substring(0, Math.max(0, length)) + "...";
    }
}
