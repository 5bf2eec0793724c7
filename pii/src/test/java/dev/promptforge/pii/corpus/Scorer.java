package dev.promptforge.pii.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Precision, recall and F1 per entity type. A prediction matches a gold span of the same type when
 * their characters overlap by at least half of their union (a "Dr." or a trailing "'s" does not
 * make a miss); each gold span matches at most one prediction. Exact-boundary matches are counted
 * too. Predictions on unlabeled text (the negatives) are false positives of their type.
 */
public final class Scorer {

    /** Counts for one entity type. */
    public static final class Counts {
        public int truePositives;
        public int falsePositives;
        public int falseNegatives;
        public int exact;
        public long goldChars;
        public long coveredChars;

        /** The share of gold characters covered by any prediction, whatever its type. */
        public double coverage() {
            return goldChars == 0 ? 1.0 : (double) coveredChars / goldChars;
        }

        public double precision() {
            int predicted = truePositives + falsePositives;
            return predicted == 0 ? 1.0 : (double) truePositives / predicted;
        }

        public double recall() {
            int gold = truePositives + falseNegatives;
            return gold == 0 ? 1.0 : (double) truePositives / gold;
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }

        public int support() {
            return truePositives + falseNegatives;
        }
    }

    private final Map<String, Counts> byType = new TreeMap<>();
    private final Counts anyType = new Counts();
    private final List<String> errors = new ArrayList<>();
    private final int keepErrors;

    public Scorer() {
        this(0);
    }

    /** A scorer that also keeps the first {@code keepErrors} misses and false alarms, for tuning. */
    public Scorer(int keepErrors) {
        this.keepErrors = keepErrors;
    }

    /** Scores the predictions for one text. */
    public void add(LabeledText gold, List<Span> predicted) {
        match(gold, gold.spans(), predicted, true);
        match(gold, gold.spans(), predicted, false);
        boolean[] redacted = new boolean[gold.text().length()];
        for (Span p : predicted) {
            for (int i = Math.max(0, p.start()); i < Math.min(redacted.length, p.end()); i++) {
                redacted[i] = true;
            }
        }
        for (Span g : gold.spans()) {
            Counts counts = counts(g.type());
            for (int i = g.start(); i < g.end(); i++) {
                if (!Character.isWhitespace(gold.text().charAt(i))) {
                    counts.goldChars++;
                    anyType.goldChars++;
                    if (redacted[i]) {
                        counts.coveredChars++;
                        anyType.coveredChars++;
                    }
                }
            }
        }
    }

    private void match(LabeledText gold, List<Span> goldSpans, List<Span> predicted, boolean typed) {
        boolean[] used = new boolean[predicted.size()];
        for (Span g : goldSpans) {
            int best = -1;
            double bestOverlap = 0.5 - 1e-9;
            for (int i = 0; i < predicted.size(); i++) {
                Span p = predicted.get(i);
                if (used[i] || (typed && !p.type().equals(g.type()))) {
                    continue;
                }
                double overlap = g.overlap(p);
                if (overlap > bestOverlap) {
                    bestOverlap = overlap;
                    best = i;
                }
            }
            Counts counts = typed ? counts(g.type()) : anyType;
            if (best >= 0) {
                used[best] = true;
                counts.truePositives++;
                Span p = predicted.get(best);
                if (p.start() == g.start() && p.end() == g.end()) {
                    counts.exact++;
                }
            } else {
                counts.falseNegatives++;
                if (typed) {
                    error("MISS", g, gold.text());
                }
            }
        }
        for (int i = 0; i < predicted.size(); i++) {
            if (!used[i]) {
                Span p = predicted.get(i);
                (typed ? counts(p.type()) : anyType).falsePositives++;
                if (typed) {
                    error("FALSE", p, gold.text());
                }
            }
        }
    }

    private void error(String kind, Span span, String text) {
        if (errors.size() < keepErrors) {
            int from = Math.max(0, span.start() - 40);
            int to = Math.min(text.length(), span.end() + 40);
            errors.add(kind + " " + span.type() + " '" + text.substring(span.start(), span.end()) + "' in: "
                    + text.substring(from, to).replace('\n', '|'));
        }
    }

    private Counts counts(String type) {
        return byType.computeIfAbsent(type, t -> new Counts());
    }

    /** Counts per entity type, by type name. */
    public Map<String, Counts> byType() {
        return byType;
    }

    /** Counts ignoring the type: did the redaction cover the personal data at all. */
    public Counts anyType() {
        return anyType;
    }

    /** Micro-averaged counts over all types. */
    public Counts micro() {
        Counts total = new Counts();
        for (Counts c : byType.values()) {
            total.truePositives += c.truePositives;
            total.falsePositives += c.falsePositives;
            total.falseNegatives += c.falseNegatives;
            total.exact += c.exact;
            total.goldChars += c.goldChars;
            total.coveredChars += c.coveredChars;
        }
        return total;
    }

    public List<String> errors() {
        return errors;
    }

    /** A markdown table: type, support, precision, recall, F1, exact-boundary share. */
    public String table() {
        StringBuilder b = new StringBuilder(
                "| entity | support | precision | recall | F1 | exact boundaries | characters covered |\n");
        b.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Map.Entry<String, Counts> e : byType.entrySet()) {
            row(b, e.getKey(), e.getValue());
        }
        row(b, "**all (micro)**", micro());
        row(b, "**any type (redaction)**", anyType);
        return b.toString();
    }

    private static void row(StringBuilder b, String name, Counts c) {
        String exact =
                c.truePositives == 0 ? "-" : String.format(Locale.ROOT, "%.3f", (double) c.exact / c.truePositives);
        String covered = c.goldChars == 0 ? "-" : String.format(Locale.ROOT, "%.4f", c.coverage());
        b.append(String.format(
                Locale.ROOT,
                "| %s | %d | %.4f | %.4f | %.4f | %s | %s |%n",
                name,
                c.support(),
                c.precision(),
                c.recall(),
                c.f1(),
                exact,
                covered));
    }
}
