package dev.promptforge.pii;

import java.util.Set;
import java.util.TreeSet;

/** The policy's mode is {@link PiiPolicy.Mode#BLOCK} and the text contains personal data. */
public final class PiiBlockedException extends PiiException {

    private final Set<String> types;

    public PiiBlockedException(Set<String> types) {
        super("the text contains personal data (" + String.join(", ", new TreeSet<>(types))
                + ") and the PII policy blocks it");
        this.types = Set.copyOf(types);
    }

    /** The entity types found, without their values. */
    public Set<String> types() {
        return types;
    }
}
