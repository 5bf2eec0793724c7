package dev.promptforge.server.gateway;

/**
 * Token usage of one call. {@code estimated} is true when the provider gave none and PromptForge
 * counted the tokens itself.
 */
public record Usage(int inputTokens, int outputTokens, boolean estimated) {}
