/**
 * Runs suites: {@link dev.promptforge.eval.run.SuiteRunner} calls every provider with every prompt
 * for every test, several calls at a time, grades the answers and returns a {@link
 * dev.promptforge.eval.run.RunResult}; answers are cached on disk by the full request.
 */
@org.jspecify.annotations.NullMarked
package dev.promptforge.eval.run;
