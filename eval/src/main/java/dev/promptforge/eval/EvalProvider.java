package dev.promptforge.eval;

import java.util.Map;

/**
 * A model (or an application) that a suite evaluates. Calls block; the runner calls from
 * several threads at a time, so implementations must be thread-safe. A failure is a {@link
 * ProviderCallException}: the test is then an error, not a failure.
 */
public interface EvalProvider {

    /** The provider's id as the suite writes it: {@code openai:chat:gpt-4o-mini}, {@code local/echo}. */
    String id();

    /** What reports show: the suite's {@code label}, else the id. */
    default String label() {
        return id();
    }

    ProviderResponse call(ProviderRequest request);

    /**
     * True when the provider renders its own prompt from the test's variables (a PromptForge registry
     * prompt), so a suite of such providers needs no {@code prompts}.
     */
    default boolean rendersItsOwnPrompt() {
        return false;
    }

    /**
     * False when the same request may rightly get a different answer later (a registry label that
     * can move to another version): the runner then never caches it.
     */
    default boolean cacheable() {
        return true;
    }

    /**
     * Everything besides the request that changes the answer (model, temperature, URL …), for the
     * response cache's key. Secrets must not be part of it.
     */
    default Map<String, Object> cacheIdentity() {
        return Map.of("id", id());
    }
}
