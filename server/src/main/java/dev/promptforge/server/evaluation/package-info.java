/**
 * Evaluation in the server: evaluators configured per project (and per prompt) score the records of
 * their executions with the eval module's evaluators — deterministic ones inline, committed with the
 * record, model-graded ones afterwards through a gateway model as judge — into the feedback table.
 */
@org.jspecify.annotations.NullMarked
package dev.promptforge.server.evaluation;
