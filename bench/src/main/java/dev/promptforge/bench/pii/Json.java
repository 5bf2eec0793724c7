package dev.promptforge.bench.pii;

import dev.promptforge.pii.corpus.Span;
import java.util.ArrayList;
import java.util.List;

/** The little JSON the harness exchanges with the node peer script: strings out, spans in. */
final class Json {

    private Json() {}

    static String string(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /**
     * Parses {@code {"entities":[{"type":"X","start":1,"end":2},...]}} as written by run.js: fields in
     * that order, no nesting beyond it.
     */
    static List<Span> entities(String line) {
        List<Span> spans = new ArrayList<>();
        int i = line.indexOf('[');
        while (true) {
            int open = line.indexOf('{', i);
            if (open < 0) {
                break;
            }
            int close = line.indexOf('}', open);
            String object = line.substring(open + 1, close);
            String type = null;
            int start = -1;
            int end = -1;
            for (String field : object.split(",")) {
                String[] kv = field.split(":", 2);
                String key = kv[0].strip().replace("\"", "");
                String value = kv[1].strip();
                switch (key) {
                    case "type" -> type = value.replace("\"", "");
                    case "start" -> start = Integer.parseInt(value);
                    case "end" -> end = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unexpected field " + key + " in " + line);
                }
            }
            spans.add(new Span(type, start, end));
            i = close + 1;
        }
        return spans;
    }
}
