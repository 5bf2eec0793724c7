package dev.promptforge.eval.template;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The subset of Nunjucks that promptfoo configurations use, parsed once and rendered many times.
 *
 * <p>Supported: {@code {{ name }}}, member access ({@code {{ user.name }}}, {@code {{ items[0] }}},
 * {@code {{ row['key'] }}}), string and number literals, filters with arguments ({@code {{ name |
 * upper }}}, {@code {{ x | default('none') }}}), comments {@code {# … #}}, {@code {% raw %}…{%
 * endraw %}} and whitespace control ({@code {{-}} / {@code -}}}). Filters: {@value #FILTER_NAMES}.
 * Other tags ({@code {% if %}}, {@code {% for %}} …) are rejected when the template is parsed, so a
 * suite that needs them fails at load time instead of rendering something else.
 *
 * <p>As in Nunjucks, an undefined variable renders as empty text. Unlike Nunjucks, lists and maps
 * render as JSON (Nunjucks would print {@code [object Object]}).
 */
public final class Template {

    static final String FILTER_NAMES = "abs, capitalize, default (d), dump, escape (e), first, float, int, join, last,"
            + " length, lower, replace, round, safe, string, title, trim, truncate, upper";

    private sealed interface Part permits Text, Output {}

    private record Text(String text) implements Part {}

    private record Output(Expression expression) implements Part {}

    private final String source;
    private final List<Part> parts;

    private Template(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
    }

    /** Parses a template; a syntax error or an unsupported tag is a {@link TemplateException}. */
    public static Template parse(String source) {
        return new Parser(source).parse();
    }

    /** True when the text has no template syntax at all (rendering returns it unchanged). */
    public static boolean isLiteral(String text) {
        return !text.contains("{{") && !text.contains("{%") && !text.contains("{#");
    }

    public String source() {
        return source;
    }

    /** The top-level variable names the template reads, in order of first use. */
    public Set<String> variables() {
        Set<String> names = new LinkedHashSet<>();
        for (Part part : parts) {
            if (part instanceof Output output) {
                output.expression().collectVariables(names);
            }
        }
        return Collections.unmodifiableSet(names);
    }

    /** Renders with the given variables; undefined ones render as empty text. */
    public String render(Map<String, ?> vars) {
        StringBuilder out = new StringBuilder(source.length() + 64);
        for (Part part : parts) {
            // instanceof rather than a pattern switch, whose bootstrap generates classes on each CLI run
            if (part instanceof Text text) {
                out.append(text.text());
            } else if (part instanceof Output output) {
                out.append(Values.toText(output.expression().evaluate(vars)));
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return source;
    }

    /** An expression: a value followed by filters. */
    record Expression(Value value, List<Filter> filters) {
        @Nullable
        Object evaluate(Map<String, ?> vars) {
            Object result = value.evaluate(vars);
            for (Filter filter : filters) {
                List<Object> args = new ArrayList<>();
                for (Value arg : filter.args()) {
                    args.add(arg.evaluate(vars));
                }
                result = Filters.apply(filter.name(), result, args);
            }
            return result;
        }

        void collectVariables(Set<String> names) {
            value.collectVariables(names);
            for (Filter filter : filters) {
                for (Value arg : filter.args()) {
                    arg.collectVariables(names);
                }
            }
        }
    }

    record Filter(String name, List<Value> args) {}

    sealed interface Value permits Literal, Path {
        @Nullable
        Object evaluate(Map<String, ?> vars);

        void collectVariables(Set<String> names);
    }

    record Literal(@Nullable Object value) implements Value {
        @Override
        public @Nullable Object evaluate(Map<String, ?> vars) {
            return value;
        }

        @Override
        public void collectVariables(Set<String> names) {}
    }

    /** A variable and member accesses: each step is a String (name/key) or an Integer (index). */
    record Path(String root, List<Object> steps) implements Value {
        @Override
        public @Nullable Object evaluate(Map<String, ?> vars) {
            Object current = vars.get(root);
            for (Object step : steps) {
                current = member(current, step);
                if (current == null) {
                    return null;
                }
            }
            return current;
        }

        private static @Nullable Object member(@Nullable Object target, Object step) {
            if (target instanceof Map<?, ?> map) {
                return map.get(step instanceof Integer i ? i.toString() : step);
            }
            if (target instanceof List<?> list) {
                if (step instanceof Integer i) {
                    return i >= 0 && i < list.size() ? list.get(i) : null;
                }
                return "length".equals(step) ? list.size() : null;
            }
            if (target instanceof String s && "length".equals(step)) {
                return s.length();
            }
            return null;
        }

        @Override
        public void collectVariables(Set<String> names) {
            names.add(root);
        }
    }

    private static final class Parser {
        private final String src;
        private int pos;
        private final List<Part> parts = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();
        private boolean trimNextText;

        Parser(String src) {
            this.src = src;
        }

        Template parse() {
            while (pos < src.length()) {
                int open = nextOpening(pos);
                if (open < 0) {
                    appendText(src.substring(pos));
                    pos = src.length();
                    break;
                }
                appendText(src.substring(pos, open));
                char kind = src.charAt(open + 1);
                boolean trimBefore = open + 2 < src.length() && src.charAt(open + 2) == '-';
                if (trimBefore) {
                    trimTrailingWhitespace();
                }
                int bodyStart = open + 2 + (trimBefore ? 1 : 0);
                switch (kind) {
                    case '{' -> parseOutput(open, bodyStart);
                    case '#' -> parseComment(open, bodyStart);
                    default -> parseTag(open, bodyStart);
                }
            }
            flushText();
            return new Template(src, parts);
        }

        private int nextOpening(int from) {
            for (int i = from; i < src.length() - 1; i++) {
                if (src.charAt(i) == '{') {
                    char next = src.charAt(i + 1);
                    if (next == '{' || next == '%' || next == '#') {
                        return i;
                    }
                }
            }
            return -1;
        }

        private void appendText(String piece) {
            if (trimNextText) {
                piece = piece.stripLeading();
                trimNextText = false;
            }
            text.append(piece);
        }

        private void trimTrailingWhitespace() {
            int end = text.length();
            while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
                end--;
            }
            text.setLength(end);
        }

        private void flushText() {
            if (!text.isEmpty()) {
                parts.add(new Text(text.toString()));
                text.setLength(0);
            }
        }

        /** Finds the closing delimiter, noting a '-' before it, and sets pos after it. */
        private int close(int open, String closing, String what) {
            int end = findClosing(open + 2, closing);
            if (end < 0) {
                throw error("unclosed " + what + " (no '" + closing + "')", open);
            }
            boolean trimAfter = end > 0 && src.charAt(end - 1) == '-' && end - 1 >= open + 2;
            pos = end + closing.length();
            if (trimAfter) {
                trimNextText = true;
                return end - 1;
            }
            return end;
        }

        /** The closing delimiter outside string literals. */
        private int findClosing(int from, String closing) {
            char quote = 0;
            for (int i = from; i < src.length(); i++) {
                char c = src.charAt(i);
                if (quote != 0) {
                    if (c == '\\') {
                        i++;
                    } else if (c == quote) {
                        quote = 0;
                    }
                } else if ((c == '\'' || c == '"') && !"#}".equals(closing)) {
                    quote = c;
                } else if (src.startsWith(closing, i)) {
                    return i;
                }
            }
            return -1;
        }

        private void parseOutput(int open, int bodyStart) {
            int bodyEnd = close(open, "}}", "'{{'");
            flushText();
            ExpressionParser parser = new ExpressionParser(src, bodyStart, bodyEnd);
            parts.add(new Output(parser.parseExpression()));
        }

        private void parseComment(int open, int bodyStart) {
            close(open, "#}", "comment");
        }

        private void parseTag(int open, int bodyStart) {
            int bodyEnd = close(open, "%}", "'{%'");
            String tag = src.substring(bodyStart, bodyEnd).strip();
            if (!tag.equals("raw") && !tag.equals("verbatim")) {
                String name = tag.isEmpty() ? "" : tag.split("\\s+", 2)[0];
                throw error(
                        "the Nunjucks tag '{% " + name + " %}' is not supported: PromptForge templates support"
                                + " {{ variables }} with filters, {# comments #} and {% raw %}",
                        open);
            }
            String endTag = tag.equals("raw") ? "endraw" : "endverbatim";
            int search = pos;
            while (true) {
                int next = src.indexOf("{%", search);
                if (next < 0) {
                    throw error("'{% " + tag + " %}' without '{% " + endTag + " %}'", open);
                }
                int end = src.indexOf("%}", next);
                if (end < 0) {
                    throw error("unclosed '{%'", next);
                }
                String inner = src.substring(next + 2, end).replace("-", "").strip();
                if (inner.equals(endTag)) {
                    appendText(src.substring(pos, next));
                    pos = end + 2;
                    return;
                }
                search = end + 2;
            }
        }

        private TemplateException error(String message, int offset) {
            return Parser.errorAt(src, message, offset);
        }

        static TemplateException errorAt(String src, String message, int offset) {
            int line = 1;
            int column = 1;
            for (int i = 0; i < offset && i < src.length(); i++) {
                if (src.charAt(i) == '\n') {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            }
            return new TemplateException(message, line, column);
        }
    }

    /** Parses {@code value (| filter(args))*} between two offsets. */
    private static final class ExpressionParser {
        private final String src;
        private int pos;
        private final int end;

        ExpressionParser(String src, int start, int end) {
            this.src = src;
            this.pos = start;
            this.end = end;
        }

        Expression parseExpression() {
            skipSpaces();
            if (pos >= end) {
                throw error("empty '{{ }}'");
            }
            Value value = parseValue();
            List<Filter> filters = new ArrayList<>();
            skipSpaces();
            while (pos < end && src.charAt(pos) == '|') {
                pos++;
                skipSpaces();
                String name = identifier("a filter name after '|'");
                if (!Filters.exists(name)) {
                    throw error("unknown filter '" + name + "' (supported: " + FILTER_NAMES + ")");
                }
                List<Value> args = new ArrayList<>();
                skipSpaces();
                if (pos < end && src.charAt(pos) == '(') {
                    pos++;
                    skipSpaces();
                    if (pos < end && src.charAt(pos) == ')') {
                        pos++;
                    } else {
                        while (true) {
                            skipSpaces();
                            args.add(parseValue());
                            skipSpaces();
                            if (pos < end && src.charAt(pos) == ',') {
                                pos++;
                            } else if (pos < end && src.charAt(pos) == ')') {
                                pos++;
                                break;
                            } else {
                                throw error("expected ',' or ')' in the arguments of '" + name + "'");
                            }
                        }
                    }
                }
                filters.add(new Filter(name, args));
                skipSpaces();
            }
            if (pos < end) {
                throw error("unexpected '" + src.substring(pos, end).strip()
                        + "' (supported: a variable or a literal, then | filters)");
            }
            return new Expression(value, filters);
        }

        private Value parseValue() {
            if (pos >= end) {
                throw error("expected a value");
            }
            char c = src.charAt(pos);
            if (c == '\'' || c == '"') {
                return new Literal(string(c));
            }
            if (Character.isDigit(c) || (c == '-' && pos + 1 < end && Character.isDigit(src.charAt(pos + 1)))) {
                return new Literal(number());
            }
            String name = identifier("a variable name");
            switch (name) {
                case "true", "True" -> {
                    return new Literal(Boolean.TRUE);
                }
                case "false", "False" -> {
                    return new Literal(Boolean.FALSE);
                }
                case "none", "None", "null" -> {
                    return new Literal(null);
                }
                default -> {}
            }
            List<Object> steps = new ArrayList<>();
            while (pos < end) {
                char next = src.charAt(pos);
                if (next == '.') {
                    pos++;
                    steps.add(identifier("a name after '.'"));
                } else if (next == '[') {
                    pos++;
                    skipSpaces();
                    char k = pos < end ? src.charAt(pos) : 0;
                    if (k == '\'' || k == '"') {
                        steps.add(string(k));
                    } else if (Character.isDigit(k)) {
                        Object n = number();
                        if (!(n instanceof Long l) || l > Integer.MAX_VALUE) {
                            throw error("an index must be a whole number");
                        }
                        steps.add(l.intValue());
                    } else {
                        throw error("expected a quoted key or an index inside '[ ]'");
                    }
                    skipSpaces();
                    if (pos >= end || src.charAt(pos) != ']') {
                        throw error("expected ']'");
                    }
                    pos++;
                } else {
                    break;
                }
            }
            return new Path(name, steps);
        }

        private String identifier(String what) {
            int start = pos;
            while (pos < end
                    && (Character.isLetterOrDigit(src.charAt(pos))
                            || src.charAt(pos) == '_'
                            || src.charAt(pos) == '$')) {
                pos++;
            }
            if (start == pos || Character.isDigit(src.charAt(start))) {
                throw error("expected " + what);
            }
            return src.substring(start, pos);
        }

        private String string(char quote) {
            StringBuilder out = new StringBuilder();
            pos++;
            while (pos < end) {
                char c = src.charAt(pos++);
                if (c == quote) {
                    return out.toString();
                }
                if (c == '\\' && pos < end) {
                    char escaped = src.charAt(pos++);
                    out.append(
                            switch (escaped) {
                                case 'n' -> '\n';
                                case 't' -> '\t';
                                case 'r' -> '\r';
                                default -> escaped;
                            });
                } else {
                    out.append(c);
                }
            }
            throw error("unclosed string literal");
        }

        private Object number() {
            int start = pos;
            if (src.charAt(pos) == '-') {
                pos++;
            }
            while (pos < end && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '.')) {
                pos++;
            }
            String digits = src.substring(start, pos);
            try {
                return digits.contains(".") ? (Object) Double.parseDouble(digits) : (Object) Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw error("'" + digits + "' is not a number");
            }
        }

        private void skipSpaces() {
            while (pos < end && Character.isWhitespace(src.charAt(pos))) {
                pos++;
            }
        }

        private TemplateException error(String message) {
            return Parser.errorAt(src, message, Math.min(pos, src.length()));
        }
    }

    /** Lower-case helper shared with the filters. */
    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
