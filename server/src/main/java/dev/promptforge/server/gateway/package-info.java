/**
 * The gateway: providers, the one execution path (resolve, render, PII, call with retries, breaker
 * and fallback, record), the execute API and the OpenAI-compatible proxy.
 */
@org.jspecify.annotations.NullMarked
package dev.promptforge.server.gateway;
