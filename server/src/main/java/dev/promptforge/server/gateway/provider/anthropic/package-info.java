/** The Anthropic Messages API provider. */
@org.jspecify.annotations.NullMarked
package dev.promptforge.server.gateway.provider.anthropic;
