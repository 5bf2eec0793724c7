/**
 * Providers that need nothing but HTTP: promptfoo's {@code http} provider and {@code
 * promptforge:<project>/<prompt>@<label>}, which runs a registry prompt on a PromptForge server;
 * {@link dev.promptforge.eval.provider.ProviderRegistry} resolves suite provider ids.
 */
@org.jspecify.annotations.NullMarked
package dev.promptforge.eval.provider;
