package dev.promptforge.pii;

// A possible entity before context, thresholds and overlap resolution.
final class Candidate {

    final String type;
    final int start;
    final int end;
    final String recognizer;
    final Context context;
    final boolean negatable;
    int negativeWindow = 3;
    double score;
    Tier tier;
    int contextDistance = Integer.MAX_VALUE;

    Candidate(
            String type,
            int start,
            int end,
            double score,
            Tier tier,
            String recognizer,
            Context context,
            boolean negatable) {
        this.type = type;
        this.start = start;
        this.end = end;
        this.score = score;
        this.tier = tier;
        this.recognizer = recognizer;
        this.context = context;
        this.negatable = negatable;
    }

    int length() {
        return end - start;
    }

    PiiEntity toEntity() {
        // scores are heuristics: four decimals are plenty and avoid 0.9500000000000001
        double rounded = Math.round(Math.min(1.0, Math.max(0.0, score)) * 10_000) / 10_000.0;
        return new PiiEntity(type, start, end, rounded, recognizer);
    }
}
