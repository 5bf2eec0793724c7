package dev.promptforge.server.dashboard;

import dev.promptforge.server.registry.VersionDiff;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link VersionDiff} as the pages draw it: the unified diff's lines, each marked added, removed,
 * context or hunk header (the text stays plain; the template escapes it), and the changed model,
 * parameters and variables in words.
 */
record DiffView(String prompt, int from, int to, boolean identical, List<Line> lines, List<String> changes) {

    /** One line of the diff; {@code kind} is added, removed, context or hunk. */
    record Line(String kind, String text) {}

    static DiffView of(VersionDiff diff) {
        List<Line> lines = new ArrayList<>();
        for (String line : diff.content().unified().split("\n", -1)) {
            if (line.startsWith("+++") || line.startsWith("---") || line.isEmpty() && lines.isEmpty()) {
                continue;
            }
            if (line.startsWith("@@")) {
                lines.add(new Line("hunk", line));
            } else if (line.startsWith("+")) {
                lines.add(new Line("added", line.substring(1)));
            } else if (line.startsWith("-")) {
                lines.add(new Line("removed", line.substring(1)));
            } else {
                lines.add(new Line("context", line.startsWith(" ") ? line.substring(1) : line));
            }
        }
        List<String> changes = new ArrayList<>();
        if (diff.model() != null) {
            changes.add("Model: " + diff.model().from() + " → " + diff.model().to());
        }
        for (VersionDiff.ParameterChange p : diff.parameters()) {
            changes.add("Parameter " + p.name() + ": " + (p.from() == null ? "(none)" : Objects.toString(p.from()))
                    + " → " + (p.to() == null ? "(none)" : Objects.toString(p.to())));
        }
        if (!diff.variables().added().isEmpty()) {
            changes.add("Variables added: " + String.join(", ", diff.variables().added()));
        }
        if (!diff.variables().removed().isEmpty()) {
            changes.add(
                    "Variables removed: " + String.join(", ", diff.variables().removed()));
        }
        return new DiffView(diff.prompt(), diff.from(), diff.to(), diff.identical(), lines, changes);
    }
}
