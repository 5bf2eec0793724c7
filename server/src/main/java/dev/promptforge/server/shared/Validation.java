package dev.promptforge.server.shared;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Collects field errors of one request and throws them together, so a client fixes everything in
 * one round trip.
 */
public final class Validation {

    private static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?");

    private final List<ApiException.FieldError> errors = new ArrayList<>();

    public static Validation start() {
        return new Validation();
    }

    public Validation require(boolean condition, String field, String message) {
        if (!condition) {
            errors.add(new ApiException.FieldError(field, message));
        }
        return this;
    }

    public Validation slug(String value, String field) {
        if (value == null || value.isBlank()) {
            errors.add(new ApiException.FieldError(field, "is required"));
        } else if (!isSlug(value)) {
            errors.add(new ApiException.FieldError(field, slugMessage(value)));
        }
        return this;
    }

    public Validation maxLength(String value, int max, String field) {
        if (value != null && value.length() > max) {
            errors.add(new ApiException.FieldError(field, "must be at most " + max + " characters"));
        }
        return this;
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    public static boolean isSlug(String value) {
        return value != null && SLUG.matcher(value).matches();
    }

    public static String slugMessage(String value) {
        return "'" + abbreviate(value) + "' is not a valid name: use 1-64 lower-case letters, digits and"
                + " dashes, starting and ending with a letter or digit (e.g. 'customer-support')";
    }

    /** Throws 404 for a path segment that cannot name anything (not a slug). */
    public static void requireSlugPath(String value, String what) {
        if (!isSlug(value)) {
            throw ApiException.notFound(
                    what + " '" + abbreviate(value) + "' does not exist (" + slugMessage(value) + ")");
        }
    }

    public static String abbreviate(String value) {
        if (value == null) {
            return "null";
        }
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }
}
