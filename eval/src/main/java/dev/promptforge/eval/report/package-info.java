/**
 * Writes run results: JSON (read back by {@link dev.promptforge.eval.report.JsonReport#read} for
 * comparisons), JUnit XML for CI systems, CSV, a self-contained HTML page and the console summary.
 */
@org.jspecify.annotations.NullMarked
package dev.promptforge.eval.report;
