package dev.promptforge.pii;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

final class DefaultPiiGuard implements PiiGuard {

    private final PiiAnalyzer analyzer;
    private final PiiAnonymizer anonymizer;

    DefaultPiiGuard(PiiAnalyzer analyzer, PiiAnonymizer anonymizer) {
        this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
        this.anonymizer = Objects.requireNonNull(anonymizer, "anonymizer");
    }

    @Override
    public Anonymized protect(String text, PiiPolicy policy, PiiVault vault) {
        return protect(text, policy, AnalysisOptions.defaults(), vault);
    }

    @Override
    public Anonymized protect(String text, PiiPolicy policy, AnalysisOptions options, PiiVault vault) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(vault, "vault");
        if (policy.mode() == PiiPolicy.Mode.OFF) {
            return new Anonymized(text, List.of());
        }
        try {
            List<PiiEntity> entities = analyzer.analyze(text, policy.analysisOptions(options));
            if (policy.mode() == PiiPolicy.Mode.BLOCK) {
                if (!entities.isEmpty()) {
                    Set<String> types = new LinkedHashSet<>();
                    entities.forEach(e -> types.add(e.type()));
                    throw new PiiBlockedException(types);
                }
                return new Anonymized(text, List.of());
            }
            return anonymizer.anonymize(text, entities, policy, vault);
        } catch (PiiException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // The cause stays attached for operators; the message carries no text.
            throw new PiiException(
                    "PII protection failed (" + e.getClass().getSimpleName() + "); the text must not be sent", e);
        }
    }
}
