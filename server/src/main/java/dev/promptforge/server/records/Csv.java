package dev.promptforge.server.records;

import java.io.IOException;
import java.io.Writer;
import org.jspecify.annotations.Nullable;

/**
 * CSV cells as RFC 4180 has them (comma separated, CRLF line ends, a cell with a comma, quote or
 * line break in double quotes with its quotes doubled). A text cell that a spreadsheet would take
 * for a formula (it starts with =, +, -, @, a tab or a carriage return) gets a leading apostrophe.
 */
public final class Csv {

    private final Writer out;
    private boolean lineStarted;

    public Csv(Writer out) {
        this.out = out;
    }

    /** A text cell (null is empty), protected against formula injection. */
    public Csv text(@Nullable String value) throws IOException {
        return raw(value == null ? "" : quote(defuse(value)));
    }

    /** A number cell (null is empty). */
    public Csv number(@Nullable Number value) throws IOException {
        return raw(value == null ? "" : value.toString());
    }

    /** Ends the line (CRLF). */
    public void end() throws IOException {
        out.write("\r\n");
        lineStarted = false;
    }

    private Csv raw(String cell) throws IOException {
        if (lineStarted) {
            out.write(',');
        }
        out.write(cell);
        lineStarted = true;
        return this;
    }

    static String defuse(String value) {
        if (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0) {
            return "'" + value;
        }
        return value;
    }

    static String quote(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return '"' + value.replace("\"", "\"\"") + '"';
            }
        }
        return value;
    }
}
