package dev.promptforge.eval.report;

import dev.promptforge.eval.GradingResult;
import dev.promptforge.eval.run.RunResult;
import dev.promptforge.eval.run.RunSummary;
import dev.promptforge.eval.run.TestResult;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * JUnit XML as CI systems read it (Jenkins, GitLab, GitHub test reporters): one {@code <testsuite>}
 * per prompt × provider, one {@code <testcase>} per test (and repetition), a failing verdict as
 * {@code <failure>} with its assertions' reasons, a cell that could not be evaluated as {@code
 * <error>}, the answer in {@code <system-out>}.
 */
public final class JUnitXmlReport {

    private JUnitXmlReport() {}

    public static String toXml(RunResult run) {
        Map<String, List<TestResult>> suites = new LinkedHashMap<>();
        for (TestResult result : run.results()) {
            suites.computeIfAbsent(result.promptLabel() + " × " + result.providerLabel(), k -> new ArrayList<>())
                    .add(result);
        }
        RunSummary summary = run.summary();
        String className = run.description() != null ? run.description() : run.configFile();
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuites");
            xml.writeAttribute("name", "promptforge eval: " + className);
            xml.writeAttribute("tests", Integer.toString(summary.total()));
            xml.writeAttribute("failures", Integer.toString(summary.failed()));
            xml.writeAttribute("errors", Integer.toString(summary.errors()));
            xml.writeAttribute("time", seconds(run.durationMs()));
            xml.writeAttribute("timestamp", run.startedAt().toString());
            for (var entry : suites.entrySet()) {
                writeSuite(xml, entry.getKey(), entry.getValue(), className, run.repeat() > 1);
            }
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write JUnit XML: " + e.getMessage(), e);
        }
        return out.toString() + "\n";
    }

    private static void writeSuite(
            XMLStreamWriter xml, String name, List<TestResult> cells, String className, boolean repeated)
            throws XMLStreamException {
        int failures = 0;
        int errors = 0;
        double time = 0;
        for (TestResult cell : cells) {
            failures += cell.status() == TestResult.Status.FAIL ? 1 : 0;
            errors += cell.status() == TestResult.Status.ERROR ? 1 : 0;
            time += cell.latencyMs() == null ? 0 : cell.latencyMs();
        }
        xml.writeCharacters("\n  ");
        xml.writeStartElement("testsuite");
        xml.writeAttribute("name", clean(name));
        xml.writeAttribute("tests", Integer.toString(cells.size()));
        xml.writeAttribute("failures", Integer.toString(failures));
        xml.writeAttribute("errors", Integer.toString(errors));
        xml.writeAttribute("skipped", "0");
        xml.writeAttribute("time", seconds((long) time));
        xml.writeCharacters("\n    ");
        xml.writeStartElement("properties");
        property(xml, "prompt", cells.get(0).promptLabel());
        property(xml, "provider", cells.get(0).providerId());
        xml.writeEndElement();
        for (TestResult cell : cells) {
            xml.writeCharacters("\n    ");
            xml.writeStartElement("testcase");
            String testName = cell.testName() + (repeated ? " [run " + (cell.repeatIndex() + 1) + "]" : "");
            xml.writeAttribute("name", clean(testName));
            xml.writeAttribute("classname", clean(className));
            xml.writeAttribute(
                    "time",
                    seconds(cell.latencyMs() == null ? 0 : cell.latencyMs().longValue()));
            switch (cell.status()) {
                case PASS -> {}
                case FAIL -> {
                    xml.writeStartElement("failure");
                    xml.writeAttribute("type", "assertion");
                    xml.writeAttribute("message", clean(cell.grading().reason()));
                    xml.writeCharacters(clean(details(cell.grading())));
                    xml.writeEndElement();
                }
                case ERROR -> {
                    xml.writeStartElement("error");
                    xml.writeAttribute("type", "error");
                    xml.writeAttribute("message", clean(cell.error()));
                    xml.writeCharacters(clean(cell.error()));
                    xml.writeEndElement();
                }
            }
            if (cell.output() != null) {
                xml.writeStartElement("system-out");
                xml.writeCharacters(clean(cell.output()));
                xml.writeEndElement();
            }
            xml.writeEndElement();
        }
        xml.writeCharacters("\n  ");
        xml.writeEndElement();
    }

    private static void property(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeEmptyElement("property");
        xml.writeAttribute("name", name);
        xml.writeAttribute("value", clean(value));
    }

    /** Every assertion with its verdict, one per line. */
    static String details(GradingResult grading) {
        StringBuilder out = new StringBuilder();
        appendComponents(out, grading, "");
        return out.toString();
    }

    private static void appendComponents(StringBuilder out, GradingResult grading, String indent) {
        for (GradingResult component : grading.components()) {
            out.append(indent)
                    .append(component.pass() ? "PASS " : "FAIL ")
                    .append(component.type())
                    .append(" (score ")
                    .append(String.format(Locale.ROOT, "%.2f", component.score()))
                    .append("): ")
                    .append(component.reason())
                    .append('\n');
            appendComponents(out, component, indent + "  ");
        }
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    /** XML 1.0 cannot carry most control characters; answers sometimes do. */
    static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            boolean allowed = c == 0x9
                    || c == 0xA
                    || c == 0xD
                    || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD)
                    || (c >= 0x10000 && c <= 0x10FFFF);
            out.appendCodePoint(allowed ? c : 0xFFFD);
        });
        return out.toString();
    }

    public static void write(RunResult run, Path file) {
        try {
            Files.writeString(file, toXml(run));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
