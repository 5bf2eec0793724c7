package dev.promptforge.server.lab.dataset;

import dev.promptforge.eval.suite.Csv;
import dev.promptforge.eval.suite.SuiteException;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Json;
import dev.promptforge.server.shared.PlainJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Dataset items as CSV and JSONL. CSV follows promptfoo's test files: a column per variable, {@code
 * __expected} (or {@code __expected1}, {@code __expected2} …) holding assertion strings, {@code
 * __description} the item's name; PromptForge adds {@code __context} and {@code __metadata} (a JSON
 * object). A JSONL line is an item ({@code {"vars": …, "expected": …, "context": …, "metadata": …,
 * "name": …}}), a promptfoo test ({@code vars}, {@code assert}, {@code description}), or a flat
 * object whose {@code __}-columns work as in CSV.
 */
final class DatasetFormats {

    static final Set<String> FORMATS = Set.of("csv", "jsonl");

    private DatasetFormats() {}

    static String format(@Nullable String format) {
        String f = format == null ? "jsonl" : format.toLowerCase(java.util.Locale.ROOT);
        if (!FORMATS.contains(f)) {
            throw ApiException.badRequest("Parameter 'format' must be 'csv' or 'jsonl'.");
        }
        return f;
    }

    static List<Datasets.NewItem> parse(String format, String text) {
        return format.equals("csv") ? csv(text) : jsonl(text);
    }

    static String write(String format, @Nullable List<DatasetItem> items) {
        List<DatasetItem> all = items == null ? List.of() : items;
        return format.equals("csv") ? writeCsv(all) : writeJsonl(all);
    }

    // --- CSV

    private static List<Datasets.NewItem> csv(String text) {
        List<Csv.Row> rows;
        try {
            rows = Csv.parse(text, "the CSV");
        } catch (SuiteException e) {
            throw ApiException.unprocessable(String.valueOf(e.getMessage()));
        }
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> header = rows.get(0).fields().stream().map(String::strip).toList();
        for (int c = 0; c < header.size(); c++) {
            String column = header.get(c);
            if (column.isEmpty()) {
                throw ApiException.unprocessable("CSV column " + (c + 1) + " has no name.");
            }
            if (column.startsWith("_") && !special(column)) {
                throw ApiException.unprocessable("CSV column '" + abbreviate(column)
                        + "' is not supported (special columns: __expected, __expected1…, __description,"
                        + " __context, __metadata).");
            }
        }
        List<Datasets.NewItem> items = new ArrayList<>();
        for (Csv.Row row : rows.subList(1, rows.size())) {
            if (row.fields().size() != header.size()) {
                throw ApiException.unprocessable("CSV line " + row.line() + " has "
                        + row.fields().size() + " fields, the header " + header.size() + ".");
            }
            Map<String, Object> flat = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                flat.put(header.get(c), row.fields().get(c));
            }
            items.add(flat(flat, "CSV line " + row.line()));
        }
        return items;
    }

    private static boolean special(String column) {
        return column.startsWith("__expected")
                || column.equals("__description")
                || column.equals("__context")
                || column.equals("__metadata");
    }

    /** A CSV row or a flat JSONL object: {@code __}-columns are special, the rest are variables. */
    private static Datasets.NewItem flat(Map<String, Object> columns, String where) {
        Map<String, Object> vars = new LinkedHashMap<>();
        List<String> expected = new ArrayList<>();
        String name = null;
        String context = null;
        Map<String, Object> metadata = null;
        for (Map.Entry<String, Object> column : columns.entrySet()) {
            String key = column.getKey();
            Object value = column.getValue();
            if (key.startsWith("__expected")) {
                if (value instanceof String s && !s.isBlank()) {
                    expected.add(s);
                } else if (value != null && !(value instanceof String)) {
                    throw ApiException.unprocessable(where + ": " + key + " must be an assertion string.");
                }
            } else if (key.equals("__description")) {
                name = blankToNull(value, where, key);
            } else if (key.equals("__context")) {
                context = blankToNull(value, where, key);
            } else if (key.equals("__metadata")) {
                metadata = metadata(value, where);
            } else if (key.startsWith("_")) {
                throw ApiException.unprocessable(where + ": '" + abbreviate(key) + "' is not supported.");
            } else {
                vars.put(key, value);
            }
        }
        return new Datasets.NewItem(name, vars, expected, context, metadata);
    }

    private static @Nullable String blankToNull(@Nullable Object value, String where, String key) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw ApiException.unprocessable(where + ": " + key + " must be text.");
        }
        return s.isBlank() ? null : s;
    }

    @SuppressWarnings("unchecked")
    private static @Nullable Map<String, Object> metadata(@Nullable Object value, String where) {
        if (value == null || value instanceof String s && s.isBlank()) {
            return null;
        }
        Object parsed = value;
        if (value instanceof String s) {
            try {
                parsed = PlainJson.read(s.getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                throw ApiException.unprocessable(where + ": __metadata must be a JSON object.");
            }
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw ApiException.unprocessable(where + ": __metadata must be a JSON object.");
        }
        return (Map<String, Object>) map;
    }

    private static String writeCsv(List<DatasetItem> items) {
        Set<String> vars = new LinkedHashSet<>();
        int expected = 0;
        boolean names = false;
        boolean contexts = false;
        boolean metadata = false;
        for (DatasetItem item : items) {
            vars.addAll(item.vars().keySet());
            expected = Math.max(expected, item.expected().size());
            names |= item.name() != null;
            contexts |= item.context() != null;
            metadata |= !item.metadata().isEmpty();
        }
        List<String> header = new ArrayList<>(vars);
        for (int i = 0; i < expected; i++) {
            header.add(expected == 1 ? "__expected" : "__expected" + (i + 1));
        }
        if (names) {
            header.add("__description");
        }
        if (contexts) {
            header.add("__context");
        }
        if (metadata) {
            header.add("__metadata");
        }
        StringBuilder out = new StringBuilder();
        line(out, header);
        for (DatasetItem item : items) {
            List<String> fields = new ArrayList<>();
            for (String var : vars) {
                Object value = item.vars().get(var);
                fields.add(value == null ? "" : value instanceof String s ? s : Json.write(value));
            }
            for (int i = 0; i < expected; i++) {
                fields.add(i < item.expected().size() ? item.expected().get(i) : "");
            }
            if (names) {
                fields.add(item.name() == null ? "" : item.name());
            }
            if (contexts) {
                fields.add(item.context() == null ? "" : item.context());
            }
            if (metadata) {
                fields.add(item.metadata().isEmpty() ? "" : Json.write(item.metadata()));
            }
            line(out, fields);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            String field = fields.get(i);
            if (i > 0) {
                out.append(',');
            }
            if (field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")) {
                out.append('"').append(field.replace("\"", "\"\"")).append('"');
            } else {
                out.append(field);
            }
        }
        out.append("\r\n");
    }

    // --- JSONL

    @SuppressWarnings("unchecked")
    private static List<Datasets.NewItem> jsonl(String text) {
        List<Datasets.NewItem> items = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = "JSONL line " + (i + 1);
            Object value;
            try {
                value = PlainJson.read(line.getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                throw ApiException.unprocessable(where + " is not JSON.");
            }
            if (!(value instanceof Map<?, ?> map)) {
                throw ApiException.unprocessable(where + " must be a JSON object.");
            }
            Map<String, Object> object = (Map<String, Object>) map;
            items.add(object.containsKey("vars") ? structured(object, where) : flat(object, where));
        }
        return items;
    }

    @SuppressWarnings("unchecked")
    private static Datasets.NewItem structured(Map<String, Object> object, String where) {
        Set<String> known = Set.of("vars", "expected", "assert", "context", "metadata", "name", "description");
        for (String key : object.keySet()) {
            if (!known.contains(key)) {
                throw ApiException.unprocessable(
                        where + ": unknown key '" + abbreviate(key) + "' (known: " + known + ").");
            }
        }
        if (!(object.get("vars") instanceof Map<?, ?> vars)) {
            throw ApiException.unprocessable(where + ": vars must be an object.");
        }
        List<String> expected = new ArrayList<>();
        Object given = object.get("expected");
        if (given instanceof String s) {
            expected.add(s);
        } else if (given instanceof List<?> list) {
            for (Object e : list) {
                if (!(e instanceof String s)) {
                    throw ApiException.unprocessable(where + ": expected must hold assertion strings.");
                }
                expected.add(s);
            }
        } else if (given != null) {
            throw ApiException.unprocessable(where + ": expected must be an assertion string or a list of them.");
        }
        if (object.get("assert") instanceof List<?> asserts) {
            for (Object a : asserts) {
                expected.add(promptfooAssertion(a, where));
            }
        } else if (object.get("assert") != null) {
            throw ApiException.unprocessable(where + ": assert must be a list.");
        }
        Object name = object.get("name") != null ? object.get("name") : object.get("description");
        return new Datasets.NewItem(
                blankToNull(name, where, "name"),
                (Map<String, Object>) vars,
                expected,
                blankToNull(object.get("context"), where, "context"),
                metadata(object.get("metadata"), where));
    }

    /** A promptfoo {@code {type, value, threshold}} assertion as the compact string. */
    private static String promptfooAssertion(@Nullable Object a, String where) {
        if (!(a instanceof Map<?, ?> map) || !(map.get("type") instanceof String type)) {
            throw ApiException.unprocessable(where + ": each assertion needs a 'type'.");
        }
        Object value = map.get("value");
        Object threshold = map.get("threshold");
        StringBuilder text = new StringBuilder(type);
        if (threshold instanceof Number n) {
            text.append('(').append(n).append(')');
        }
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            text.append(':')
                    .append(String.join(
                            ",", list.stream().map(String.class::cast).toList()));
        } else if (value instanceof String || value instanceof Number) {
            text.append(':').append(value);
        } else if (value != null) {
            throw ApiException.unprocessable(where + ": the value of a '" + abbreviate(type)
                    + "' assertion must be text, a number or a list of texts.");
        }
        return text.toString();
    }

    private static String writeJsonl(List<DatasetItem> items) {
        StringBuilder out = new StringBuilder();
        for (DatasetItem item : items) {
            Map<String, Object> line = new LinkedHashMap<>();
            if (item.name() != null) {
                line.put("name", item.name());
            }
            line.put("vars", item.vars());
            if (!item.expected().isEmpty()) {
                line.put("expected", item.expected());
            }
            if (item.context() != null) {
                line.put("context", item.context());
            }
            if (!item.metadata().isEmpty()) {
                line.put("metadata", item.metadata());
            }
            out.append(Json.write(line)).append('\n');
        }
        return out.toString();
    }

    private static String abbreviate(String text) {
        return dev.promptforge.server.shared.Validation.abbreviate(text);
    }
}
