package dev.promptforge.eval.suite;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A loaded suite, ready to run: prompts × providers × tests.
 *
 * @param configFile the file it was loaded from
 * @param description its description
 * @param tags its tags
 * @param prompts the prompts
 * @param providers the providers, made
 * @param tests the tests, expanded and compiled
 * @param options how to run it
 * @param outputPaths where promptfoo's {@code outputPath} asks results to be written
 */
public record Suite(
        Path configFile,
        @Nullable String description,
        Map<String, String> tags,
        List<SuitePrompt> prompts,
        List<SuiteProvider> providers,
        List<TestCase> tests,
        EvaluateOptions options,
        List<String> outputPaths) {

    public Suite {
        requireNonNull(configFile, "configFile");
        tags = Map.copyOf(tags);
        prompts = List.copyOf(prompts);
        providers = List.copyOf(providers);
        tests = List.copyOf(tests);
        requireNonNull(options, "options");
        outputPaths = List.copyOf(outputPaths);
    }

    public Suite withOptions(EvaluateOptions newOptions) {
        return new Suite(configFile, description, tags, prompts, providers, tests, newOptions, outputPaths);
    }
}
