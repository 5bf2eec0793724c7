package dev.promptforge.eval.suite;

import dev.promptforge.eval.EvalProvider;

/** Makes the provider a suite names; the CLI registers the provider types it knows. */
@FunctionalInterface
public interface ProviderResolver {

    /**
     * @throws IllegalArgumentException when the id or the config is not valid; the message says
     *     what to change (the loader adds the file and line)
     */
    EvalProvider resolve(ProviderSpec spec);
}
