package dev.promptforge.server.lab.pipeline;

import dev.promptforge.server.shared.Validation;
import org.jspecify.annotations.Nullable;

/**
 * A prompt id as a pipeline run names it: {@code name@3} (a version), {@code name@staging} (a
 * label) or {@code name} (its production label).
 */
record PromptRef(
        String prompt, @Nullable Integer version, @Nullable String label) {

    static final String FORMAT = "must be prompt@version or prompt@label, e.g. \"support-answer@3\"";

    static @Nullable PromptRef parse(@Nullable String text) {
        if (text == null || text.length() > 200) {
            return null;
        }
        int at = text.indexOf('@');
        String name = at < 0 ? text : text.substring(0, at);
        String after = at < 0 ? null : text.substring(at + 1);
        if (!Validation.isSlug(name)) {
            return null;
        }
        if (after == null) {
            return new PromptRef(name, null, null);
        }
        if (after.matches("[0-9]+")) {
            if (after.length() > 9) {
                return null;
            }
            int version = Integer.parseInt(after);
            return version < 1 ? null : new PromptRef(name, version, null);
        }
        return Validation.isSlug(after) ? new PromptRef(name, null, after) : null;
    }
}
