package dev.promptforge.server.lab.pipeline;

import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The testing lab's settings ({@code promptforge.lab.*}).
 *
 * @param providerConcurrency the most calls all pipeline runs of this instance make to one provider at once
 * @param maxConcurrency the highest {@code concurrency} a pipeline may ask for
 * @param staleAfter a run whose instance has not written a heartbeat for this long is taken as
 *     interrupted (crash, restart) and resumed or failed
 * @param resume resume interrupted runs (finished items are not executed again); false fails them
 * @param maxResumes how many times one run is resumed before it is failed
 * @param contextWindows context windows in tokens by model ({@code provider/model}) for the
 *     validation stage, on top of the defaults
 * @param defaultContextWindow the context window of a model not listed
 * @param optimizerModel the model that writes prompt rewrites in the optimization stage when a
 *     pipeline names none; none by default
 */
@ConfigurationProperties("promptforge.lab")
public record LabProperties(
        @Nullable Integer providerConcurrency,
        @Nullable Integer maxConcurrency,
        @Nullable Duration staleAfter,
        @Nullable Boolean resume,
        @Nullable Integer maxResumes,
        @Nullable Map<String, Integer> contextWindows,
        @Nullable Integer defaultContextWindow,
        @Nullable String optimizerModel) {

    static final Map<String, Integer> KNOWN_WINDOWS = Map.of(
            "openai/gpt-4o-mini", 128_000,
            "openai/gpt-4o", 128_000,
            "openai/gpt-4.1-mini", 1_047_576,
            "anthropic/claude-haiku-4-5", 200_000,
            "anthropic/claude-sonnet-4-5", 200_000,
            "anthropic/claude-3-5-haiku-latest", 200_000,
            "local/echo", 32_768,
            "local/extractive", 32_768);

    public LabProperties {
        providerConcurrency = providerConcurrency == null ? 8 : providerConcurrency;
        maxConcurrency = maxConcurrency == null ? 32 : maxConcurrency;
        staleAfter = staleAfter == null ? Duration.ofSeconds(30) : staleAfter;
        resume = resume == null || resume;
        maxResumes = maxResumes == null ? 3 : maxResumes;
        contextWindows = contextWindows == null ? Map.of() : Map.copyOf(contextWindows);
        defaultContextWindow = defaultContextWindow == null ? 128_000 : defaultContextWindow;
        optimizerModel = optimizerModel == null || optimizerModel.isBlank() ? null : optimizerModel;
        if (providerConcurrency < 1 || maxConcurrency < 1) {
            throw new IllegalArgumentException("promptforge.lab concurrency settings must be at least 1");
        }
        if (staleAfter.isNegative()) {
            throw new IllegalArgumentException("promptforge.lab.stale-after must not be negative");
        }
    }

    int contextWindow(String model) {
        Integer window = contextWindows.get(model);
        if (window == null) {
            window = KNOWN_WINDOWS.get(model);
        }
        return window == null ? defaultContextWindow : window;
    }
}
