package dev.promptforge.eval;

import dev.promptforge.pii.PiiAnalyzer;
import java.util.List;
import java.util.function.Supplier;

/**
 * Finds personal data in text, for the {@code pii-leak} assertion. PromptForge's {@code pii} engine
 * implements it; without a detector, {@code pii-leak} is rejected when a suite loads (never a silent
 * pass).
 */
public interface PiiDetector {

    /** The personal data found in {@code text}, with its type and position. */
    List<Finding> detect(String text);

    /** PromptForge's PII engine with every built-in recognizer, built on first use. */
    static PiiDetector engine() {
        return engine(PiiAnalyzer::withDefaults);
    }

    /** The given analyzer of the PII engine, built on first use (building one takes a moment). */
    static PiiDetector engine(Supplier<PiiAnalyzer> analyzer) {
        return new EnginePiiDetector(analyzer);
    }

    /**
     * One piece of personal data.
     *
     * @param type the entity type, e.g. {@code EMAIL_ADDRESS}, {@code US_SSN}
     * @param start the first character's index
     * @param end the index after the last character
     * @param score the detector's confidence, 0 to 1
     */
    record Finding(String type, int start, int end, double score) {}
}
