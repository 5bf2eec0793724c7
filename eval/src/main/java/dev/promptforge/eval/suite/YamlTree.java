package dev.promptforge.eval.suite;

import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLParser;

/**
 * Reads YAML (and so JSON) into {@link Node}s that keep each value's line and column, from Jackson's
 * streaming parser. Anchors, aliases and merge keys ({@code <<: *defaults}) work; duplicate keys are
 * errors.
 */
final class YamlTree {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private final String file;
    private final int firstLine;
    private final JsonParser parser;
    private final Map<String, Node> anchors = new HashMap<>();

    private YamlTree(String file, int firstLine, JsonParser parser) {
        this.file = file;
        this.firstLine = firstLine;
        this.parser = parser;
    }

    /** Parses a whole document; an empty document is a null scalar. */
    static Node parse(String text, String file) {
        return parse(text, file, 1);
    }

    /** Parses a document that starts on {@code firstLine} of its file (a line of a JSONL file). */
    static Node parse(String text, String file, int firstLine) {
        try (JsonParser parser = YAML.createParser(new StringReader(text))) {
            return new YamlTree(file, firstLine, parser).document();
        } catch (JacksonException e) {
            TokenStreamLocation where = e.getLocation();
            Location location = where == null
                    ? new Location(file, firstLine, 0)
                    : new Location(file, where.getLineNr() + firstLine - 1, where.getColumnNr());
            throw new SuiteException(location, "not valid YAML: " + e.getOriginalMessage());
        }
    }

    private Node document() {
        JsonToken token = parser.nextToken();
        if (token == null) {
            return new Node.Scalar(null, new Location(file, firstLine, 1));
        }
        return value(token);
    }

    private Location here() {
        TokenStreamLocation where = parser.currentTokenLocation();
        return new Location(file, where.getLineNr() + firstLine - 1, where.getColumnNr());
    }

    private Node value(JsonToken token) {
        Location location = here();
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            String name = parser.getString();
            Node target = anchors.get(name);
            if (target == null) {
                throw new SuiteException(location, "the alias *" + name + " refers to no anchor");
            }
            return target;
        }
        String anchor = parser instanceof YAMLParser yaml ? yaml.getObjectId() : null;
        Node node = switch (token) {
            case START_OBJECT -> map(location);
            case START_ARRAY -> list(location);
            case VALUE_STRING -> new Node.Scalar(parser.getString(), location);
            case VALUE_NUMBER_INT -> new Node.Scalar(integer(parser.getNumberValue()), location);
            case VALUE_NUMBER_FLOAT -> new Node.Scalar(parser.getDoubleValue(), location);
            case VALUE_TRUE -> new Node.Scalar(Boolean.TRUE, location);
            case VALUE_FALSE -> new Node.Scalar(Boolean.FALSE, location);
            case VALUE_NULL -> new Node.Scalar(null, location);
            default -> throw new SuiteException(location, "unexpected " + token);
        };
        if (anchor != null) {
            anchors.put(anchor, node);
        }
        return node;
    }

    private static Object integer(Number number) {
        if (number instanceof BigInteger big) {
            return big.bitLength() < 64 ? (Object) big.longValue() : (Object) big.doubleValue();
        }
        return number.longValue();
    }

    private Node map(Location location) {
        Map<String, Node.Entry> entries = new LinkedHashMap<>();
        List<Node> merges = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_OBJECT) {
            if (token != JsonToken.PROPERTY_NAME) {
                throw new SuiteException(here(), "expected a key, found " + token);
            }
            String key = parser.currentName();
            Location keyLocation = here();
            Node value = value(parser.nextToken());
            if ("<<".equals(key)) {
                merges.add(value);
                continue;
            }
            if (entries.containsKey(key)) {
                throw new SuiteException(
                        keyLocation,
                        "duplicate key '" + key + "' (first at "
                                + entries.get(key).keyLocation() + ")");
            }
            entries.put(key, new Node.Entry(key, keyLocation, value));
        }
        for (Node merge : merges) {
            List<Node> sources = merge instanceof Node.ListNode list ? list.items() : List.of(merge);
            for (Node source : sources) {
                if (!(source instanceof Node.MapNode sourceMap)) {
                    throw new SuiteException(source.location(), "a merge key (<<) needs a map or a list of maps");
                }
                for (Node.Entry entry : sourceMap.entries().values()) {
                    entries.putIfAbsent(entry.key(), entry);
                }
            }
        }
        return new Node.MapNode(entries, location);
    }

    private Node list(Location location) {
        List<Node> items = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            items.add(value(token));
        }
        return new Node.ListNode(items, location);
    }

    /** The plain value of a YAML text, for files a suite refers to (schemas, expected values). */
    static @Nullable Object plain(String text, String file) {
        return parse(text, file).plain();
    }
}
