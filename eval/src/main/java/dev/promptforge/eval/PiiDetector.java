package dev.promptforge.eval;

import java.util.List;

/**
 * Finds personal data in text, for the {@code pii-leak} assertion. PromptForge's {@code pii} engine
 * implements it; without a detector, {@code pii-leak} is rejected when a suite loads (never a silent
 * pass).
 */
public interface PiiDetector {

    /** The personal data found in {@code text}, with its type and position. */
    List<Finding> detect(String text);

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
