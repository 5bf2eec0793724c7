package dev.promptforge.server.shared;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** A plain JSON mapper for values stored as JSON text in the database. */
public final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {}

    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    public static <T> T read(String json, TypeReference<T> type) {
        return MAPPER.readValue(json, type);
    }

    /**
     * A request body as plain values (maps, lists, strings, numbers, booleans, null); anything after
     * the first value and duplicate keys are errors.
     */
    public static @Nullable Object readTree(byte[] json) {
        return PlainJson.read(json);
    }

    public static <T> T read(String json, Class<T> type) {
        return MAPPER.readValue(json, type);
    }
}
