/** The OpenAI Chat Completions provider, for OpenAI and every OpenAI-compatible server. */
@org.jspecify.annotations.NullMarked
package dev.promptforge.server.gateway.provider.openai;
