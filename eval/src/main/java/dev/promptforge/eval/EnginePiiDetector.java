package dev.promptforge.eval;

import static java.util.Objects.requireNonNull;

import dev.promptforge.pii.PiiAnalyzer;
import dev.promptforge.pii.PiiEntity;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** The {@code pii} engine's analyzer as a {@link PiiDetector}, made on first use and then shared. */
final class EnginePiiDetector implements PiiDetector {

    private final Supplier<PiiAnalyzer> factory;
    private volatile @Nullable PiiAnalyzer analyzer;

    EnginePiiDetector(Supplier<PiiAnalyzer> factory) {
        this.factory = requireNonNull(factory, "factory");
    }

    @Override
    public List<Finding> detect(String text) {
        List<PiiEntity> entities = analyzer().analyze(text);
        List<Finding> findings = new ArrayList<>(entities.size());
        for (PiiEntity e : entities) {
            findings.add(new Finding(e.type(), e.start(), e.end(), e.score()));
        }
        return findings;
    }

    private PiiAnalyzer analyzer() {
        PiiAnalyzer current = analyzer;
        if (current == null) {
            synchronized (this) {
                current = analyzer;
                if (current == null) {
                    current = requireNonNull(factory.get(), "the PII analyzer factory returned null");
                    analyzer = current;
                }
            }
        }
        return current;
    }
}
