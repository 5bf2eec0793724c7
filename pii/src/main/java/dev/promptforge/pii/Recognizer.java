package dev.promptforge.pii;

import java.util.List;
import java.util.Set;

/**
 * Finds entities of some types in a text. The built-in recognizers share one scan of the text; a
 * recognizer plugged in from outside (for example one backed by an NER model) implements
 * {@link #recognize(String)}. Implementations must be thread-safe.
 */
public interface Recognizer {

    /** A unique name, used in {@link PiiEntity#recognizer()} and to reject duplicate registrations. */
    String name();

    /** The entity types this recognizer can return. */
    Set<String> entityTypes();

    /**
     * Finds entities in {@code text}. Scores are final unless {@link #context()} is not empty, in
     * which case the analyzer raises the score of an entity with one of those words nearby.
     */
    List<PiiEntity> recognize(String text);

    /** Words or phrases that, found near an entity, make it more likely. Empty by default. */
    default List<String> context() {
        return List.of();
    }
}
