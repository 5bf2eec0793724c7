/**
 * Privacy: per-project PII policies, the PII playground endpoints, and the guard that anonymizes
 * every prompt before a provider sees it and restores the originals in the answer.
 */
@org.jspecify.annotations.NullMarked
package dev.promptforge.server.privacy;
