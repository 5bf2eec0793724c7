package dev.promptforge.eval.report;

import dev.promptforge.eval.run.RunResult;
import java.nio.file.Path;
import java.util.Locale;

/** Writes a run in the format its file name asks for. */
public final class Reports {

    /** The file endings {@link #write} understands. */
    public static final String FORMATS = ".json, .xml (JUnit), .csv, .html";

    private Reports() {}

    /**
     * Checks that a file name ends with a known format, before anything runs.
     *
     * @throws IllegalArgumentException naming the formats when it does not
     */
    public static void check(Path file) {
        format(file);
    }

    public static void write(RunResult run, Path file) {
        switch (format(file)) {
            case "json" -> JsonReport.write(run, file);
            case "xml" -> JUnitXmlReport.write(run, file);
            case "csv" -> CsvReport.write(run, file);
            default -> HtmlReport.write(run, file);
        }
    }

    private static String format(Path file) {
        String name =
                file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            return "json";
        }
        if (name.endsWith(".xml")) {
            return "xml";
        }
        if (name.endsWith(".csv")) {
            return "csv";
        }
        if (name.endsWith(".html") || name.endsWith(".htm")) {
            return "html";
        }
        throw new IllegalArgumentException(
                "cannot tell the format of " + file + " from its name (use " + FORMATS + ")");
    }
}
