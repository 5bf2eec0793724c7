package dev.promptforge.server.registry;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The Mustache subset prompts use: {@code {{name}}}, {@code {{{name}}}} and {@code {{&name}}} (all
 * unescaped: a prompt is not HTML), dotted names, sections {@code {{#list}}…{{/list}}} over lists,
 * maps and booleans with {@code {{.}}}, inverted sections {@code {{^x}}…{{/x}}}, and comments {@code
 * {{! …}}}. A tag alone on its line takes its line with it, as the Mustache spec says. Partials and
 * delimiter changes are rejected with the place they occur.
 */
final class MustacheTemplate {

    private sealed interface Node permits Text, Var, Section {}

    private record Text(String text) implements Node {}

    private record Var(String name, int line) implements Node {}

    private record Section(String name, boolean inverted, List<Node> children, int line) implements Node {}

    private final List<Node> nodes;

    private MustacheTemplate(List<Node> nodes) {
        this.nodes = nodes;
    }

    static MustacheTemplate parse(String source) {
        return new MustacheTemplate(new Parser(source).parse());
    }

    /**
     * The names the template needs from its caller: variables outside any section and the names of
     * sections (inside a section a name may be a field of the current item, so it is not required).
     */
    Set<String> requiredVariables() {
        Set<String> names = new LinkedHashSet<>();
        for (Node node : nodes) {
            switch (node) {
                case Text text -> {}
                case Var v -> {
                    if (!v.name().equals(".")) {
                        names.add(root(v.name()));
                    }
                }
                case Section s -> names.add(root(s.name()));
            }
        }
        return names;
    }

    String render(Map<String, ?> variables) {
        for (String name : requiredVariables()) {
            if (!variables.containsKey(name)) {
                throw new TemplateException("missing variable '" + name + "'", name);
            }
        }
        StringBuilder out = new StringBuilder();
        Deque<Object> context = new ArrayDeque<>();
        context.push(variables);
        render(nodes, context, out);
        return out.toString();
    }

    private static void render(List<Node> nodes, Deque<Object> context, StringBuilder out) {
        for (Node node : nodes) {
            switch (node) {
                case Text text -> out.append(text.text());
                case Var v -> out.append(stringify(lookup(v.name(), context, v.line())));
                case Section s -> {
                    Object value = lookup(s.name(), context, s.line());
                    boolean truthy = truthy(value);
                    if (s.inverted()) {
                        if (!truthy) {
                            render(s.children(), context, out);
                        }
                    } else if (truthy) {
                        if (value instanceof Collection<?> items) {
                            for (Object item : items) {
                                context.push(item == null ? "" : item);
                                render(s.children(), context, out);
                                context.pop();
                            }
                        } else {
                            context.push(value);
                            render(s.children(), context, out);
                            context.pop();
                        }
                    }
                }
            }
        }
    }

    private static @Nullable Object lookup(String name, Deque<Object> context, int line) {
        if (name.equals(".")) {
            return context.peek();
        }
        String[] parts = name.split("\\.");
        for (Object frame : context) {
            if (frame instanceof Map<?, ?> map && map.containsKey(parts[0])) {
                Object value = map.get(parts[0]);
                for (int i = 1; i < parts.length; i++) {
                    if (value instanceof Map<?, ?> inner && inner.containsKey(parts[i])) {
                        value = inner.get(parts[i]);
                    } else {
                        throw new TemplateException(
                                "missing variable '" + name + "' (line " + line + "): '" + parts[i]
                                        + "' is not a field of '"
                                        + String.join(".", List.of(parts).subList(0, i))
                                        + "'",
                                name);
                    }
                }
                return value;
            }
        }
        throw new TemplateException("missing variable '" + name + "' (line " + line + ")", name);
    }

    private static boolean truthy(@Nullable Object value) {
        return switch (value) {
            case null -> false;
            case Boolean b -> b;
            case Collection<?> c -> !c.isEmpty();
            case String s -> !s.isEmpty();
            default -> true;
        };
    }

    private static String stringify(@Nullable Object value) {
        return switch (value) {
            case null -> "";
            case String s -> s;
            case Double d
            when d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 1e15 -> Long.toString(d.longValue());
            case Float f when f == Math.rint(f) && !f.isInfinite() && Math.abs(f) < 1e7 -> Long.toString(f.longValue());
            case BigDecimal b -> b.stripTrailingZeros().toPlainString();
            case Map<?, ?> m -> dev.promptforge.server.shared.Json.write(m);
            case Collection<?> c -> dev.promptforge.server.shared.Json.write(c);
            default -> value.toString();
        };
    }

    private static String root(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    private static final class Parser {
        private final String src;
        private int pos;

        Parser(String src) {
            this.src = src;
        }

        List<Node> parse() {
            Deque<List<Node>> stack = new ArrayDeque<>();
            Deque<String> open = new ArrayDeque<>();
            Deque<int[]> openInfo = new ArrayDeque<>();
            List<Node> current = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            while (pos < src.length()) {
                int start = src.indexOf("{{", pos);
                if (start < 0) {
                    text.append(src, pos, src.length());
                    pos = src.length();
                    break;
                }
                text.append(src, pos, start);
                boolean triple = src.startsWith("{{{", start);
                String closer = triple ? "}}}" : "}}";
                int contentStart = start + (triple ? 3 : 2);
                int end = src.indexOf(closer, contentStart);
                if (end < 0) {
                    throw syntax("unclosed tag '" + closer.replace('}', '{') + "'", start);
                }
                String raw = src.substring(contentStart, end).strip();
                int after = end + closer.length();
                char sigil = triple || raw.isEmpty() ? 'v' : raw.charAt(0);
                boolean standaloneCandidate = sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!';
                if (standaloneCandidate && isStandalone(start, after)) {
                    trimLineStart(text);
                    after = skipLineEnd(after);
                }
                pos = after;
                if (!text.isEmpty()) {
                    current.add(new Text(text.toString()));
                    text.setLength(0);
                }
                int line = lineOf(start);
                switch (sigil) {
                    case '!' -> {}
                    case '#', '^' -> {
                        String name = name(raw.substring(1).strip(), start);
                        stack.push(current);
                        open.push(name);
                        openInfo.push(new int[] {sigil == '^' ? 1 : 0, line, start});
                        current = new ArrayList<>();
                    }
                    case '/' -> {
                        String name = raw.substring(1).strip();
                        if (open.isEmpty()) {
                            throw syntax("'{{/" + name + "}}' closes a section that was never opened", start);
                        }
                        if (!open.peek().equals(name)) {
                            throw syntax(
                                    "'{{/" + name + "}}' closes section '" + open.peek() + "' opened on line "
                                            + openInfo.peek()[1],
                                    start);
                        }
                        open.pop();
                        int[] info = openInfo.pop();
                        Section section = new Section(name, info[0] == 1, List.copyOf(current), info[1]);
                        current = stack.pop();
                        current.add(section);
                    }
                    case '>' -> throw syntax("partials ('{{>…}}') are not supported", start);
                    case '=' -> throw syntax("delimiter changes ('{{=…=}}') are not supported", start);
                    case '&' -> current.add(new Var(name(raw.substring(1).strip(), start), line));
                    default -> current.add(new Var(name(raw, start), line));
                }
            }
            if (!open.isEmpty()) {
                throw syntax("section '" + open.peek() + "' is never closed", openInfo.peek()[2]);
            }
            if (!text.isEmpty()) {
                current.add(new Text(text.toString()));
            }
            return List.copyOf(current);
        }

        private String name(String raw, int at) {
            if (raw.equals(".") || raw.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
                return raw;
            }
            throw syntax("'{{" + raw + "}}' is not a variable name (use letters, digits and '_', dots for fields)", at);
        }

        /** A tag is standalone when only blanks share its line. */
        private boolean isStandalone(int start, int after) {
            for (int i = start - 1; i >= 0 && src.charAt(i) != '\n'; i--) {
                if (src.charAt(i) != ' ' && src.charAt(i) != '\t') {
                    return false;
                }
            }
            for (int i = after; i < src.length(); i++) {
                char c = src.charAt(i);
                if (c == '\n' || c == '\r') {
                    return true;
                }
                if (c != ' ' && c != '\t') {
                    return false;
                }
            }
            return true;
        }

        private static void trimLineStart(StringBuilder text) {
            int i = text.length();
            while (i > 0 && (text.charAt(i - 1) == ' ' || text.charAt(i - 1) == '\t')) {
                i--;
            }
            text.setLength(i);
        }

        private int skipLineEnd(int after) {
            int i = after;
            while (i < src.length() && (src.charAt(i) == ' ' || src.charAt(i) == '\t')) {
                i++;
            }
            if (i < src.length() && src.charAt(i) == '\r') {
                i++;
            }
            if (i < src.length() && src.charAt(i) == '\n') {
                i++;
            }
            return i;
        }

        private int lineOf(int index) {
            int line = 1;
            for (int i = 0; i < index; i++) {
                if (src.charAt(i) == '\n') {
                    line++;
                }
            }
            return line;
        }

        private TemplateException syntax(String message, int at) {
            int line = lineOf(at);
            int column = at - (src.lastIndexOf('\n', at - 1) + 1) + 1;
            return new TemplateException(message + " (line " + line + ", column " + column + ")", null);
        }
    }
}
