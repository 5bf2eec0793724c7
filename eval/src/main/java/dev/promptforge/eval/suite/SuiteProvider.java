package dev.promptforge.eval.suite;

import static java.util.Objects.requireNonNull;

import dev.promptforge.eval.EvalProvider;

/** A suite's provider: how it was written and the provider made from it. */
public record SuiteProvider(ProviderSpec spec, EvalProvider provider) {
    public SuiteProvider {
        requireNonNull(spec, "spec");
        requireNonNull(provider, "provider");
    }

    /** The suite's label, else the provider's. */
    public String label() {
        return spec.label() != null ? spec.label() : provider.label();
    }
}
