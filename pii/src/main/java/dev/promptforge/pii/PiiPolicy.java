package dev.promptforge.pii;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a project does with personal data: which types to look for, how sure to be, what to put in
 * their place, and whether to anonymize, block or do nothing. Plain data, to be stored per project.
 *
 * @param mode {@link Mode#ANONYMIZE}, {@link Mode#BLOCK} or {@link Mode#OFF}
 * @param entities the types to look for; empty means all the analyzer knows
 * @param thresholds minimum score per type, over the analyzer's own
 * @param operators operator per type
 * @param defaultOperator operator for a type without one of its own
 */
public record PiiPolicy(
        Mode mode,
        Set<String> entities,
        Map<String, Double> thresholds,
        Map<String, Operator> operators,
        Operator defaultOperator) {

    /** What {@link PiiGuard} does with a text. */
    public enum Mode {
        /** Replace personal data by the operators, then let the text through. */
        ANONYMIZE,
        /** Refuse a text that contains personal data ({@link PiiBlockedException}). */
        BLOCK,
        /** Let every text through unchanged, without analysis. */
        OFF
    }

    public PiiPolicy {
        Objects.requireNonNull(mode, "mode");
        entities = entities == null ? Set.of() : Set.copyOf(entities);
        entities.forEach(PiiTypes::requireValid);
        thresholds = thresholds == null ? Map.of() : Map.copyOf(thresholds);
        thresholds.forEach((type, score) -> {
            PiiTypes.requireValid(type);
            if (!(score >= 0 && score <= 1)) {
                throw new IllegalArgumentException("threshold of " + type + " must be from 0 to 1, got " + score);
            }
        });
        operators = operators == null ? Map.of() : Map.copyOf(operators);
        operators.keySet().forEach(PiiTypes::requireValid);
        Objects.requireNonNull(defaultOperator, "defaultOperator");
    }

    /** Anonymize every type with numbered placeholders, so answers can be restored. */
    public static PiiPolicy defaults() {
        return new PiiPolicy(Mode.ANONYMIZE, Set.of(), Map.of(), Map.of(), Operator.placeholder());
    }

    /** The operator for {@code type}. */
    public Operator operatorFor(String type) {
        return operators.getOrDefault(type, defaultOperator);
    }

    /** This policy with another mode. */
    public PiiPolicy withMode(Mode newMode) {
        return new PiiPolicy(newMode, entities, thresholds, operators, defaultOperator);
    }

    /** This policy looking only for {@code types}. */
    public PiiPolicy withEntities(Set<String> types) {
        return new PiiPolicy(mode, types, thresholds, operators, defaultOperator);
    }

    /** This policy with a minimum score for {@code type}. */
    public PiiPolicy withThreshold(String type, double score) {
        Map<String, Double> copy = new LinkedHashMap<>(thresholds);
        copy.put(type, score);
        return new PiiPolicy(mode, entities, copy, operators, defaultOperator);
    }

    /** This policy applying {@code operator} to {@code type}. */
    public PiiPolicy withOperator(String type, Operator operator) {
        Map<String, Operator> copy = new LinkedHashMap<>(operators);
        copy.put(type, Objects.requireNonNull(operator, "operator"));
        return new PiiPolicy(mode, entities, thresholds, copy, defaultOperator);
    }

    /** This policy with another default operator. */
    public PiiPolicy withDefaultOperator(Operator operator) {
        return new PiiPolicy(mode, entities, thresholds, operators, operator);
    }

    /**
     * {@code request}'s options restricted to this policy's types (unless the request narrows them
     * further) and with this policy's thresholds (unless the request sets its own for a type).
     */
    public AnalysisOptions analysisOptions(AnalysisOptions request) {
        Set<String> types = request.entities().isEmpty() ? entities : request.entities();
        Map<String, Double> merged = new LinkedHashMap<>(thresholds);
        merged.putAll(request.thresholds());
        return new AnalysisOptions(types, merged, request.allowList(), request.recognizers(), request.timeBudget());
    }
}
