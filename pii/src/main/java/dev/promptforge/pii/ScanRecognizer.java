package dev.promptforge.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

// A built-in recognizer: it reads the shared scan instead of the raw text.
abstract class ScanRecognizer implements Recognizer {

    private final String name;
    private final Set<String> types;

    ScanRecognizer(String name, Set<String> types) {
        this.name = name;
        this.types = Set.copyOf(types);
    }

    abstract void scan(Scan scan, Sink sink);

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Set<String> entityTypes() {
        return types;
    }

    // Standalone use: every candidate, context applied, no threshold and no overlap resolution.
    @Override
    public final List<PiiEntity> recognize(String text) {
        Scan scan = new Scan(text, null);
        Sink sink = new Sink();
        scan(scan, sink);
        List<PiiEntity> entities = new ArrayList<>();
        for (Candidate candidate : sink.candidates) {
            DefaultPiiAnalyzer.applyContext(scan, candidate);
            entities.add(candidate.toEntity());
        }
        return entities;
    }

    @Override
    public String toString() {
        return name;
    }
}
