package dev.promptforge.pii;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Finds personal data in text. Immutable and thread-safe; build one with {@link #builder()} and
 * share it.
 *
 * <p>Every character is covered by at most one returned entity: overlapping candidates are resolved
 * in favour of a validated one (checksum, structure, number plan), then one supported by context
 * words, then the highest score, then the longest. Results are sorted by start.
 */
public interface PiiAnalyzer {

    /** Analyzes {@code text} with {@link AnalysisOptions#defaults()}. */
    List<PiiEntity> analyze(String text);

    /**
     * Analyzes {@code text}.
     *
     * @throws PiiTimeoutException if the analysis exceeds its time budget
     */
    List<PiiEntity> analyze(String text, AnalysisOptions options);

    /** The entity types the registered recognizers can return. */
    Set<String> entityTypes();

    /** A builder with no recognizer registered. */
    static Builder builder() {
        return new Builder();
    }

    /** An analyzer with every built-in recognizer and default thresholds. */
    static PiiAnalyzer withDefaults() {
        return builder().addDefaultRecognizers().build();
    }

    /** Builds a {@link PiiAnalyzer}; {@link #build()} fails fast on an inconsistent configuration. */
    final class Builder {

        /** Regions tried for phone numbers written without a {@code +} country code. */
        public static final List<String> DEFAULT_PHONE_REGIONS = List.of(
                "US", "GB", "DE", "FR", "IN", "CA", "BR", "AU", "ES", "IT", "NL", "MX", "IE", "CH", "AT", "BE", "SE",
                "PL", "PT", "JP", "SG", "ZA", "NG");

        private boolean defaults;
        private final List<Recognizer> recognizers = new ArrayList<>();
        private final Map<String, Double> thresholds = new LinkedHashMap<>();
        private double defaultThreshold = 0.5;
        private Duration timeBudget;
        private List<String> phoneRegions = DEFAULT_PHONE_REGIONS;

        Builder() {}

        /** Registers every built-in recognizer. */
        public Builder addDefaultRecognizers() {
            defaults = true;
            return this;
        }

        /** Registers {@code recognizer}; its {@link Recognizer#name()} must be unique. */
        public Builder add(Recognizer recognizer) {
            recognizers.add(Objects.requireNonNull(recognizer, "recognizer"));
            return this;
        }

        /** The minimum score of an entity of {@code type} (default: {@link #defaultThreshold}). */
        public Builder threshold(String type, double score) {
            PiiTypes.requireValid(type);
            thresholds.put(type, checkScore(score));
            return this;
        }

        /** The minimum score of an entity whose type has no threshold of its own; 0.5 unless set. */
        public Builder defaultThreshold(double score) {
            defaultThreshold = checkScore(score);
            return this;
        }

        /** The longest one analysis may take; unlimited unless set. */
        public Builder timeBudget(Duration budget) {
            if (budget != null && (budget.isNegative() || budget.isZero())) {
                throw new IllegalArgumentException("time budget must be positive, got " + budget);
            }
            timeBudget = budget;
            return this;
        }

        /**
         * The ISO 3166 regions tried, in order, for phone numbers without a {@code +} country code;
         * {@link #DEFAULT_PHONE_REGIONS} unless set.
         */
        public Builder phoneRegions(List<String> regions) {
            if (regions == null || regions.isEmpty()) {
                throw new IllegalArgumentException("at least one phone region is required");
            }
            phoneRegions = List.copyOf(regions);
            return this;
        }

        /**
         * Builds the analyzer.
         *
         * @throws IllegalStateException if no recognizer is registered, a name is registered twice, a
         *     phone region is unknown, or a threshold names a type no recognizer returns
         */
        public PiiAnalyzer build() {
            List<Recognizer> all = new ArrayList<>();
            if (defaults) {
                all.addAll(DefaultRecognizers.create(phoneRegions));
            }
            all.addAll(recognizers);
            if (all.isEmpty()) {
                throw new IllegalStateException("no recognizer registered: call addDefaultRecognizers() or add()");
            }
            Set<String> names = new LinkedHashSet<>();
            Set<String> types = new LinkedHashSet<>();
            for (Recognizer recognizer : all) {
                if (!names.add(recognizer.name())) {
                    throw new IllegalStateException("recognizer '" + recognizer.name() + "' is registered twice");
                }
                recognizer.entityTypes().forEach(PiiTypes::requireValid);
                types.addAll(recognizer.entityTypes());
            }
            for (String type : thresholds.keySet()) {
                if (!types.contains(type)) {
                    throw new IllegalStateException("threshold set for " + type + ", which no recognizer returns");
                }
            }
            return new DefaultPiiAnalyzer(all, types, thresholds, defaultThreshold, timeBudget);
        }

        private static double checkScore(double score) {
            if (!(score >= 0 && score <= 1)) {
                throw new IllegalArgumentException("threshold must be from 0 to 1, got " + score);
            }
            return score;
        }
    }
}
