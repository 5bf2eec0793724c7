package dev.promptforge.eval.suite;

import static java.util.Objects.requireNonNull;

/** A place in a suite file: the file as the user named it, a 1-based line and column (0 when unknown). */
public record Location(String file, int line, int column) {
    public Location {
        requireNonNull(file, "file");
    }

    @Override
    public String toString() {
        if (line <= 0) {
            return file;
        }
        return column <= 0 ? file + ":" + line : file + ":" + line + ":" + column;
    }
}
