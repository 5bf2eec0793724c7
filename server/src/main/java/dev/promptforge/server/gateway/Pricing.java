package dev.promptforge.server.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The versioned pricing table: US dollars per million input and output tokens, per model. The table
 * shipped in the jar ({@code pricing.yml}) can be overridden or extended by a file of the same shape.
 */
public final class Pricing {

    private static final Pattern DATE_SUFFIX = Pattern.compile("-\\d{4}-?\\d{2}-?\\d{2}$");

    /** The price of one model in dollars per million tokens. */
    public record Price(double input, double output) {}

    private final String version;
    private final Map<String, Price> prices;

    private Pricing(String version, Map<String, Price> prices) {
        this.version = version;
        this.prices = Map.copyOf(prices);
    }

    /** The shipped table, then the override file's entries on top (when given). */
    public static Pricing load(@Nullable Path overrideFile) {
        Map<String, Price> prices = new HashMap<>();
        String version;
        try (InputStream in = Pricing.class.getResourceAsStream("/pricing.yml")) {
            if (in == null) {
                throw new IllegalStateException("pricing.yml is missing from the jar");
            }
            version = read(new YAMLMapper().readTree(in), "pricing.yml", prices);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (overrideFile != null) {
            if (!Files.isReadable(overrideFile)) {
                throw new IllegalStateException("The pricing file " + overrideFile + " cannot be read");
            }
            try (InputStream in = Files.newInputStream(overrideFile)) {
                version = read(new YAMLMapper().readTree(in), overrideFile.toString(), prices);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Pricing(version, prices);
    }

    private static String read(JsonNode root, String source, Map<String, Price> into) {
        JsonNode models = root.get("models");
        if (models == null || !models.isObject()) {
            throw new IllegalStateException(source + ": expected a 'models' map of {input, output} per model");
        }
        for (var entry : models.properties()) {
            JsonNode in = entry.getValue().get("input");
            JsonNode out = entry.getValue().get("output");
            if (in == null
                    || out == null
                    || !in.isNumber()
                    || !out.isNumber()
                    || in.asDouble() < 0
                    || out.asDouble() < 0) {
                throw new IllegalStateException(
                        source + ": model '" + entry.getKey() + "' needs non-negative numbers 'input' and 'output'");
            }
            into.put(entry.getKey(), new Price(in.asDouble(), out.asDouble()));
        }
        JsonNode version = root.get("version");
        return version == null ? "unversioned" : version.asString();
    }

    public String version() {
        return version;
    }

    /** The price of {@code provider/model}, or null when the table does not know it. */
    public @Nullable Price price(String model) {
        Price price = prices.get(model);
        if (price == null) {
            price = prices.get(DATE_SUFFIX.matcher(model).replaceFirst(""));
        }
        return price;
    }

    /** The cost in dollars, or null for a model without a price. */
    public @Nullable Double cost(String model, int inputTokens, int outputTokens) {
        Price price = price(model);
        return price == null ? null : (inputTokens * price.input() + outputTokens * price.output()) / 1_000_000.0;
    }
}
