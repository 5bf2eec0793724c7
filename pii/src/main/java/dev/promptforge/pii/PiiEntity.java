package dev.promptforge.pii;

/**
 * One piece of personal data found in a text.
 *
 * @param type the entity type, e.g. {@link PiiTypes#CREDIT_CARD}
 * @param start index of the first character (UTF-16 code unit) in the analyzed text
 * @param end index after the last character, exclusive
 * @param score confidence from 0 to 1
 * @param recognizer name of the recognizer that found it
 */
public record PiiEntity(String type, int start, int end, double score, String recognizer) {

    public PiiEntity {
        PiiTypes.requireValid(type);
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException(
                    "entity span must have 0 <= start < end, got [" + start + ", " + end + ")");
        }
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("score must be from 0 to 1, got " + score);
        }
        if (recognizer == null || recognizer.isBlank()) {
            throw new IllegalArgumentException("recognizer name is required");
        }
    }

    /** The number of characters covered. */
    public int length() {
        return end - start;
    }

    /** The covered characters of {@code text}, which must be the analyzed text. */
    public String textIn(String text) {
        return text.substring(start, end);
    }
}
