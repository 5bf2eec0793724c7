/**
 * promptfoo-compatible suites: {@link dev.promptforge.eval.suite.SuiteLoader} reads a YAML config
 * into a {@link dev.promptforge.eval.suite.Suite}, reporting every problem with its file and line.
 */
@org.jspecify.annotations.NullMarked
package dev.promptforge.eval.suite;
