package dev.promptforge.pii;

import java.util.ArrayList;
import java.util.List;

// Collects the candidates of one analysis.
final class Sink {

    final List<Candidate> candidates = new ArrayList<>();

    // As add(...) with a narrower window for negative context words.
    void add(
            String type,
            int start,
            int end,
            double score,
            Tier tier,
            String recognizer,
            Context context,
            int negativeWindow) {
        Candidate candidate = new Candidate(type, start, end, score, tier, recognizer, context, true);
        candidate.negativeWindow = negativeWindow;
        candidates.add(candidate);
    }

    void add(
            String type,
            int start,
            int end,
            double score,
            Tier tier,
            String recognizer,
            Context context,
            boolean negatable) {
        candidates.add(new Candidate(type, start, end, score, tier, recognizer, context, negatable));
    }
}
