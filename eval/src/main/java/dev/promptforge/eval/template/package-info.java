/** The Nunjucks subset of promptfoo suites: {@link dev.promptforge.eval.template.Template}. */
@org.jspecify.annotations.NullMarked
package dev.promptforge.eval.template;
