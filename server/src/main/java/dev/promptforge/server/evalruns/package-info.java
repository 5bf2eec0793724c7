/**
 * Evaluation runs: the results of {@code promptforge eval --server} (summary and matrix) as the CLI
 * sends them at the end of a run, listed per project and compared with a baseline run.
 */
@org.jspecify.annotations.NullMarked
package dev.promptforge.server.evalruns;
