package dev.promptforge.pii.corpus;

/** A labeled or predicted entity: type and [start, end) in UTF-16 code units. */
public record Span(String type, int start, int end) {

    public int length() {
        return end - start;
    }

    /** Intersection over union of the two character ranges. */
    public double overlap(Span other) {
        int intersection = Math.min(end, other.end) - Math.max(start, other.start);
        if (intersection <= 0) {
            return 0;
        }
        int union = Math.max(end, other.end) - Math.min(start, other.start);
        return (double) intersection / union;
    }
}
