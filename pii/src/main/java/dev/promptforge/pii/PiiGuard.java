package dev.promptforge.pii;

/**
 * Makes a text safe to send under a {@link PiiPolicy}, failing closed: if analysis throws, exceeds
 * its time budget or the policy blocks the text, the caller gets a {@link PiiException} and never the
 * unredacted text.
 */
public interface PiiGuard {

    /**
     * Analyzes and anonymizes {@code text} by {@code policy}; with {@link PiiPolicy.Mode#OFF} returns it
     * unchanged.
     *
     * @throws PiiBlockedException if the mode is {@link PiiPolicy.Mode#BLOCK} and personal data is found
     * @throws PiiTimeoutException if the analysis exceeds its time budget
     * @throws PiiException if anything else fails
     */
    Anonymized protect(String text, PiiPolicy policy, PiiVault vault);

    /**
     * As {@link #protect(String, PiiPolicy, PiiVault)}, with per-request options (allow list, ad-hoc
     * recognizers, time budget) merged under the policy by {@link PiiPolicy#analysisOptions}.
     */
    Anonymized protect(String text, PiiPolicy policy, AnalysisOptions options, PiiVault vault);

    /** A guard over {@code analyzer} and {@code anonymizer}. */
    static PiiGuard of(PiiAnalyzer analyzer, PiiAnonymizer anonymizer) {
        return new DefaultPiiGuard(analyzer, anonymizer);
    }
}
