package dev.promptforge.pii.corpus;

import java.util.List;

/** A generated text and its gold entities. */
public record LabeledText(String text, List<Span> spans) {

    public LabeledText {
        spans = List.copyOf(spans);
    }
}
