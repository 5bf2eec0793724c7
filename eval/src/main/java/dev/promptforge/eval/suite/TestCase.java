package dev.promptforge.eval.suite;

import static java.util.Objects.requireNonNull;

import dev.promptforge.eval.CompiledAssertion;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One test of a suite, with {@code defaultTest} and its scenario merged in and its assertions
 * compiled.
 *
 * @param index position in the suite, from 0
 * @param description the test's description, when it has one
 * @param vars the variables the prompt and assertions see
 * @param assertions {@code defaultTest}'s assertions, then the test's
 * @param threshold the test's threshold, which overrides its assertions' pass/fail
 * @param metadata free-form metadata, carried to the results
 * @param prefix text put before the rendered prompt
 * @param suffix text put after it
 * @param location where the test is written
 */
public record TestCase(
        int index,
        @Nullable String description,
        Map<String, Object> vars,
        List<CompiledAssertion> assertions,
        @Nullable Double threshold,
        Map<String, Object> metadata,
        @Nullable String prefix,
        @Nullable String suffix,
        Location location) {

    public TestCase {
        vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
        assertions = List.copyOf(assertions);
        metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
        requireNonNull(location, "location");
    }

    /** The description, else the variables, for reports. */
    public String name() {
        if (description != null && !description.isBlank()) {
            return description;
        }
        if (vars.isEmpty()) {
            return "test " + (index + 1);
        }
        String shown = dev.promptforge.eval.template.Values.toJson(vars);
        return shown.length() > 80 ? shown.substring(0, 77) + "..." : shown;
    }
}
