/**
 * PromptForge's PII engine: find personal data in text, replace it before a model provider sees it,
 * and put it back in the answer.
 *
 * <p>{@link dev.promptforge.pii.PiiAnalyzer} finds entities ({@link dev.promptforge.pii.PiiEntity});
 * {@link dev.promptforge.pii.PiiAnonymizer} applies an {@link dev.promptforge.pii.Operator} per entity
 * type; {@link dev.promptforge.pii.PiiVault} remembers the originals of numbered placeholders and
 * restores them, also from a streamed answer; {@link dev.promptforge.pii.PiiGuard} joins the three
 * under a {@link dev.promptforge.pii.PiiPolicy} and fails closed.
 *
 * <p>Offsets are UTF-16 code unit indices of the analyzed {@link java.lang.String}, end exclusive.
 */
package dev.promptforge.pii;
