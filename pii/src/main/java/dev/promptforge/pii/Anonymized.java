package dev.promptforge.pii;

import java.util.List;

/**
 * An anonymized text and what was replaced in it. Contains no original value.
 *
 * @param text the text with the operators applied
 * @param items the replacements, in text order
 */
public record Anonymized(String text, List<AnonymizedItem> items) {

    public Anonymized {
        items = List.copyOf(items);
    }
}
