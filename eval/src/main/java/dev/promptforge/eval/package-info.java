/**
 * PromptForge's evaluation engine, plain Java without Spring: evaluators (deterministic assertions,
 * similarity, model-graded through a judge interface), promptfoo-compatible suites, the runner and
 * the statistics that compare runs. The server scores records with the same evaluators.
 *
 * <p>The API of this package: an {@link dev.promptforge.eval.Assertion} (what a suite asks for) is
 * compiled by {@link dev.promptforge.eval.Evaluators} into a {@link
 * dev.promptforge.eval.CompiledAssertion}, which grades an {@link
 * dev.promptforge.eval.AssertionContext} (a provider's answer with its test's variables) into a
 * {@link dev.promptforge.eval.GradingResult}. Providers are {@link
 * dev.promptforge.eval.EvalProvider}s; model-graded assertions ask a {@link
 * dev.promptforge.eval.Judge}; {@code pii-leak} asks a {@link dev.promptforge.eval.PiiDetector}.
 */
@org.jspecify.annotations.NullMarked
package dev.promptforge.eval;
