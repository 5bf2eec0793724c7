/**
 * Statistics that compare two runs: {@link dev.promptforge.eval.stats.Comparison} pairs their
 * cells and gives a paired bootstrap confidence interval of the score difference, McNemar's test on
 * pass/fail, and a verdict.
 */
@org.jspecify.annotations.NullMarked
package dev.promptforge.eval.stats;
