package dev.promptforge.pii;

/**
 * One replacement in an anonymized text.
 *
 * @param type the entity type
 * @param start where the replacement starts in the anonymized text
 * @param end where it ends, exclusive
 * @param operator the {@link Operator#name()} applied
 */
public record AnonymizedItem(String type, int start, int end, String operator) {}
