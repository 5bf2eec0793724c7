/**
 * PromptForge's evaluation engine, plain Java without Spring: evaluators (deterministic assertions,
 * similarity, model-graded through a judge interface), promptfoo-compatible suites, the runner and
 * the statistics that compare runs. The server scores records with the same evaluators.
 */
package dev.promptforge.eval;
