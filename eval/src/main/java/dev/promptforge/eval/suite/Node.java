package dev.promptforge.eval.suite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A YAML/JSON value with the place it was written, so every error can name its line. */
sealed interface Node permits Node.MapNode, Node.ListNode, Node.Scalar {

    Location location();

    /** The plain Java value: Map, List, String, Long, Double, Boolean or null. */
    @Nullable
    Object plain();

    /** A map; keys keep their order and their own locations. */
    record MapNode(Map<String, Entry> entries, Location location) implements Node {
        @Override
        public Map<String, Object> plain() {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Entry entry : entries.values()) {
                out.put(entry.key(), entry.value().plain());
            }
            return out;
        }

        @Nullable
        Node get(String key) {
            Entry entry = entries.get(key);
            return entry == null ? null : entry.value();
        }
    }

    record Entry(String key, Location keyLocation, Node value) {}

    record ListNode(List<Node> items, Location location) implements Node {
        @Override
        public List<Object> plain() {
            List<Object> out = new ArrayList<>();
            for (Node item : items) {
                out.add(item.plain());
            }
            return out;
        }
    }

    record Scalar(@Nullable Object value, Location location) implements Node {
        @Override
        public @Nullable Object plain() {
            return value;
        }
    }
}
