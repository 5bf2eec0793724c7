/**
 * The prompt registry: projects, prompts, immutable versions, labels (environments) with their move
 * history, diffs and Mustache template rendering.
 */
@org.jspecify.annotations.NullMarked
package dev.promptforge.server.registry;
