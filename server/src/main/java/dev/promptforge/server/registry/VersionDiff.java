package dev.promptforge.server.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What changed between two versions: a line diff of the content (template or messages), the model,
 * each changed parameter and the declared variables added or removed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VersionDiff(
        String prompt,
        int from,
        int to,
        boolean identical,
        ContentDiff content,
        @Nullable Change model,
        List<ParameterChange> parameters,
        VariableChange variables) {

    /** The unified diff text and its hunks. */
    public record ContentDiff(String unified, List<Hunk> hunks) {}

    /** One changed region: lines removed from the old version and added in the new, 1-based. */
    public record Hunk(String type, int fromLine, List<String> removed, int toLine, List<String> added) {}

    public record Change(Object from, Object to) {}

    /** A parameter added (from null), removed (to null) or changed. */
    public record ParameterChange(
            String name, @Nullable Object from, @Nullable Object to) {}

    public record VariableChange(List<String> added, List<String> removed) {}
}
