/**
 * Limits and abuse defense: rate limits per API key and route class (token buckets), budgets of
 * tokens and cost per project and per key, and the prompt-injection detector with its per-project
 * policy. The gateway asks {@link dev.promptforge.server.limits.ExecutionGuard} before every provider
 * call.
 */
@org.jspecify.annotations.NullMarked
package dev.promptforge.server.limits;
