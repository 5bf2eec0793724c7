package dev.promptforge.eval;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.promptforge.eval.Check.Outcome;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Structure assertions: is-json and contains-json (with an optional JSON schema), is-xml, contains-xml. */
final class StructureChecks {

    /**
     * The schema machinery, built on first use only: a suite without schemas does not load the
     * validator (and the logging it brings along), which a short CLI run would feel.
     */
    private static final class Schemas {
        /** JSON Schema draft 7 unless the schema names its own {@code $schema} (promptfoo uses Ajv's default, draft 7). */
        static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);

        static final YAMLMapper YAML = YAMLMapper.builder().build();
    }

    private static final java.util.regex.Pattern XML_START =
            java.util.regex.Pattern.compile("<([A-Za-z_][\\w.:-]*)(?=[\\s/>])");

    private StructureChecks() {}

    static CompiledAssertion isJson(Assertion assertion) {
        var schema = Expected.of(assertion, StructureChecks::schema);
        return new Check(assertion, context -> {
            JsonNode json = Json.parse(context.output());
            if (json == null) {
                return Outcome.of(false, "", "Output is not valid JSON");
            }
            Schema s = schema.get(context);
            if (s == null) {
                return Outcome.of(true, "Output is valid JSON", "");
            }
            List<Error> errors = s.validate(json);
            return Outcome.of(
                    errors.isEmpty(),
                    "Output is JSON that conforms to the schema",
                    "Output is JSON but does not conform to the schema: " + describe(errors));
        });
    }

    static CompiledAssertion containsJson(Assertion assertion) {
        var schema = Expected.of(assertion, StructureChecks::schema);
        return new Check(assertion, context -> {
            List<JsonNode> objects = Json.extractObjects(context.output());
            if (objects.isEmpty()) {
                return Outcome.of(false, "", "Output contains no JSON object");
            }
            Schema s = schema.get(context);
            if (s == null) {
                return Outcome.of(true, "Output contains a JSON object", "");
            }
            List<Error> lastErrors = List.of();
            for (JsonNode object : objects) {
                List<Error> errors = s.validate(object);
                if (errors.isEmpty()) {
                    return Outcome.of(true, "Output contains a JSON object that conforms to the schema", "");
                }
                lastErrors = errors;
            }
            return Outcome.of(
                    false, "", "Output contains JSON, but none conforms to the schema: " + describe(lastErrors));
        });
    }

    /** A schema from a map, or from JSON/YAML text; null when there is no value (plain is-json). */
    private static @Nullable Schema schema(@Nullable Object value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            return null;
        }
        JsonNode node;
        if (value instanceof String s) {
            try {
                node = Schemas.YAML.readTree(s);
            } catch (JacksonException e) {
                throw new IllegalArgumentException(
                        "value is not a JSON schema (not JSON or YAML): " + e.getOriginalMessage());
            }
        } else if (value instanceof Map<?, ?> || value instanceof Boolean) {
            node = Json.tree(value);
        } else {
            throw new IllegalArgumentException(
                    "value must be a JSON schema (a map, or JSON/YAML text), not " + Shapes.describe(value));
        }
        if (!node.isObject() && !node.isBoolean()) {
            throw new IllegalArgumentException("value must be a JSON schema object");
        }
        try {
            return Schemas.REGISTRY.getSchema(node);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("value is not a valid JSON schema: " + e.getMessage());
        }
    }

    private static String describe(List<Error> errors) {
        List<String> messages = new ArrayList<>();
        for (Error error : errors.subList(0, Math.min(5, errors.size()))) {
            String at = error.getInstanceLocation() == null
                    ? ""
                    : error.getInstanceLocation().toString();
            messages.add((at.isEmpty() || at.equals("$") ? "(root)" : at) + ": " + error.getMessage());
        }
        return String.join("; ", messages) + (errors.size() > 5 ? " (+" + (errors.size() - 5) + " more)" : "");
    }

    static CompiledAssertion isXml(Assertion assertion, boolean fragment) {
        var required = Expected.of(assertion, StructureChecks::requiredElements);
        return new Check(assertion, context -> {
            Document document = fragment
                    ? findXml(context.output())
                    : parseXml(context.output().strip());
            String what = fragment ? "Output contains" : "Output is";
            if (document == null) {
                return Outcome.of(false, "", what + (fragment ? " no well-formed XML" : " not well-formed XML"));
            }
            List<String> paths = required.get(context);
            List<String> missing = new ArrayList<>();
            for (String path : paths) {
                if (!hasPath(document.getDocumentElement(), path)) {
                    missing.add(path);
                }
            }
            return Outcome.of(
                    missing.isEmpty(),
                    what + " well-formed XML" + (paths.isEmpty() ? "" : " with " + paths),
                    what + " well-formed XML without the required elements " + missing);
        });
    }

    private static List<String> requiredElements(@Nullable Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof Map<?, ?> map) {
            for (Object key : map.keySet()) {
                if (!"requiredElements".equals(key)) {
                    throw new IllegalArgumentException("value may only have 'requiredElements', not '" + key + "'");
                }
            }
            return Shapes.textList(map.get("requiredElements"));
        }
        if (value instanceof String s) {
            return Shapes.textList(s);
        }
        throw new IllegalArgumentException(
                "value must be {requiredElements: [root.child, …]}, not " + Shapes.describe(value));
    }

    private static boolean hasPath(Element root, String path) {
        String[] names = path.split("\\.");
        if (!names[0].equals(root.getTagName())) {
            return false;
        }
        List<Element> current = List.of(root);
        for (int i = 1; i < names.length; i++) {
            List<Element> next = new ArrayList<>();
            for (Element element : current) {
                for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
                    if (child instanceof Element e && e.getTagName().equals(names[i])) {
                        next.add(e);
                    }
                }
            }
            if (next.isEmpty()) {
                return false;
            }
            current = next;
        }
        return true;
    }

    /** The first XML element in a text that parses, from its start tag to its last matching end tag. */
    private static @Nullable Document findXml(String text) {
        Matcher start = XML_START.matcher(text);
        while (start.find()) {
            String name = start.group(1);
            int from = start.start();
            int selfClose = text.indexOf('>', from);
            if (selfClose > 0 && text.charAt(selfClose - 1) == '/') {
                Document single = parseXml(text.substring(from, selfClose + 1));
                if (single != null) {
                    return single;
                }
            }
            String closing = "</" + name + ">";
            for (int end = text.lastIndexOf(closing); end > from; end = text.lastIndexOf(closing, end - 1)) {
                Document document = parseXml(text.substring(from, end + closing.length()));
                if (document != null) {
                    return document;
                }
            }
        }
        return null;
    }

    /** Parses one XML document; DTDs are refused and nothing external is loaded. */
    static @Nullable Document parseXml(String text) {
        if (text.isEmpty() || text.charAt(0) != '<') {
            return null;
        }
        try {
            DocumentBuilder builder = newBuilder();
            return builder.parse(new InputSource(new StringReader(text)));
        } catch (SAXException | java.io.IOException e) {
            return null;
        }
    }

    private static DocumentBuilder newBuilder() {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        try {
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(QUIET);
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("The JDK's XML parser cannot be configured securely", e);
        }
    }

    /** The default handler prints parse errors to stderr; a failed parse is a verdict, not noise. */
    private static final ErrorHandler QUIET = new ErrorHandler() {
        @Override
        public void warning(SAXParseException exception) {}

        @Override
        public void error(SAXParseException exception) throws SAXException {
            throw exception;
        }

        @Override
        public void fatalError(SAXParseException exception) throws SAXException {
            throw exception;
        }
    };
}
