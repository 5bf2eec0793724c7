package dev.promptforge.server.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The gateway's configuration ({@code promptforge.gateway.*}).
 *
 * @param timeout default time limit of one provider call
 * @param maxRetries retries after the first attempt, for retriable failures
 * @param retryBudget the share of calls that may be retries (0..1), so retries cannot multiply load
 * @param retryBudgetReserve retries allowed beyond the budget's share, so a quiet service can retry at all
 * @param initialBackoff the first backoff; it doubles per retry, with full jitter
 * @param maxBackoff the longest wait between attempts, also for a {@code Retry-After}
 * @param breakerWindow calls in the circuit breaker's sliding window
 * @param breakerFailureRate share of failed calls (0..1) in the window that opens the breaker
 * @param breakerOpenFor how long an open breaker refuses calls before trying again
 * @param pricingFile a YAML file that overrides or extends the shipped pricing table
 * @param defaultProject the project of proxied calls whose key names none and that send no header
 * @param logContent log each prompt and answer at INFO (off by default: prompts carry customer data)
 * @param providers the configured providers by name ({@code openai}, {@code anthropic}, {@code groq} …)
 * @param local the offline {@code local} provider's latency and failure injection
 */
@ConfigurationProperties("promptforge.gateway")
public record GatewayProperties(
        @DefaultValue("60s") Duration timeout,
        @DefaultValue("2") int maxRetries,
        @DefaultValue("0.2") double retryBudget,
        @DefaultValue("10") int retryBudgetReserve,
        @DefaultValue("200ms") Duration initialBackoff,
        @DefaultValue("10s") Duration maxBackoff,
        @DefaultValue("20") int breakerWindow,
        @DefaultValue("0.5") float breakerFailureRate,
        @DefaultValue("30s") Duration breakerOpenFor,
        @Nullable String pricingFile,
        @DefaultValue("default") String defaultProject,
        @DefaultValue("false") boolean logContent,
        @DefaultValue Map<String, ProviderSettings> providers,
        @DefaultValue Local local) {

    /**
     * One remote provider.
     *
     * @param type {@code openai} (any OpenAI-compatible server) or {@code anthropic}
     * @param baseUrl e.g. {@code https://api.openai.com/v1} or {@code http://localhost:11434/v1}
     * @param apiKey the key; never logged
     * @param timeout overrides the gateway's timeout for this provider
     * @param models the models listed by {@code GET /v1/models}
     */
    public record ProviderSettings(
            String type,
            @Nullable URI baseUrl,
            @Nullable String apiKey,
            @Nullable Duration timeout,
            @DefaultValue List<String> models) {}

    /**
     * The offline provider.
     *
     * @param latency added to every call (demos, resilience tests)
     * @param failureRate share of calls that fail with a 503-like failure (0..1)
     * @param seed seed of the failure injection, so a run is repeatable
     */
    public record Local(
            @DefaultValue("0ms") Duration latency,
            @DefaultValue("0") double failureRate,
            @DefaultValue("42") long seed) {}
}
