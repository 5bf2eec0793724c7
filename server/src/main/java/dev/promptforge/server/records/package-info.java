/**
 * Records: every execution (success or failure) with its latency, tokens and cost, written with a
 * group commit, and the feedback scores attached to it.
 */
@org.jspecify.annotations.NullMarked
package dev.promptforge.server.records;
