package dev.promptforge.server.shared;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Sentences a person can act on for a request body that could not be read: where the JSON breaks,
 * which field is unknown or has the wrong type. Used by the MVC problem handler and by the proxy's
 * own servlet, so both explain the same mistake the same way.
 */
public final class RequestBodyErrors {

    private RequestBodyErrors() {}

    /** What is wrong with a body whose reading failed with {@code e} (or a cause of it). */
    public static String describe(Throwable e) {
        UnrecognizedPropertyException unknown = find(e, UnrecognizedPropertyException.class);
        if (unknown != null) {
            String known = unknown.getKnownPropertyIds() == null
                    ? ""
                    : " Known fields: "
                            + unknown.getKnownPropertyIds().stream()
                                    .map(String::valueOf)
                                    .sorted()
                                    .collect(Collectors.joining(", "))
                            + ".";
            return "Unknown field '" + fieldPath(unknown) + "'." + known;
        }
        InvalidFormatException format = find(e, InvalidFormatException.class);
        if (format != null) {
            return "Field '" + fieldPath(format) + "' must be " + typeName(format.getTargetType()) + ", got '"
                    + abbreviate(String.valueOf(format.getValue())) + "'.";
        }
        MismatchedInputException mismatch = find(e, MismatchedInputException.class);
        if (mismatch != null) {
            String field = fieldPath(mismatch);
            String target = mismatch.getTargetType() == null ? "a different type" : typeName(mismatch.getTargetType());
            return field.isEmpty()
                    ? "The request body must be " + target + "."
                    : "Field '" + field + "' must be " + target + ".";
        }
        StreamReadException malformed = find(e, StreamReadException.class);
        if (malformed != null) {
            TokenStreamLocation at = malformed.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            String reason = malformed.getOriginalMessage() == null
                    ? ""
                    : ": "
                            + abbreviate(malformed
                                    .getOriginalMessage()
                                    .lines()
                                    .findFirst()
                                    .orElse(""));
            return "The request body is not valid JSON" + where + reason;
        }
        if (e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")) {
            return "A JSON request body is required.";
        }
        return "The request body could not be read as JSON.";
    }

    private static String fieldPath(JacksonException e) {
        StringBuilder path = new StringBuilder();
        List<JacksonException.Reference> references = e.getPath();
        for (JacksonException.Reference ref : references) {
            if (ref.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    public static String typeName(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        if (type.isEnum()) {
            return "one of " + List.of(type.getEnumConstants());
        }
        return "a " + type.getSimpleName();
    }

    public static <T extends Throwable> @Nullable T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    public static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }
}
