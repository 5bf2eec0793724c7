package dev.promptforge.pii;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
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
 * @param allowList texts never reported (compared ignoring case and surrounding blanks)
 * @param recognizers the project's ad-hoc recognizers ({@link Recognizers#pattern},
 *     {@link Recognizers#denyList}); their types are looked for even when {@code entities} names
 *     only built-in types
 */
public record PiiPolicy(
        Mode mode,
        Set<String> entities,
        Map<String, Double> thresholds,
        Map<String, Operator> operators,
        Operator defaultOperator,
        Set<String> allowList,
        List<Recognizer> recognizers) {

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
        allowList = allowList == null ? Set.of() : Set.copyOf(allowList);
        recognizers = recognizers == null ? List.of() : List.copyOf(recognizers);
    }

    /** A policy without allow list or ad-hoc recognizers. */
    public PiiPolicy(
            Mode mode,
            Set<String> entities,
            Map<String, Double> thresholds,
            Map<String, Operator> operators,
            Operator defaultOperator) {
        this(mode, entities, thresholds, operators, defaultOperator, Set.of(), List.of());
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
        return new PiiPolicy(newMode, entities, thresholds, operators, defaultOperator, allowList, recognizers);
    }

    /** This policy looking only for {@code types}. */
    public PiiPolicy withEntities(Set<String> types) {
        return new PiiPolicy(mode, types, thresholds, operators, defaultOperator, allowList, recognizers);
    }

    /** This policy with a minimum score for {@code type}. */
    public PiiPolicy withThreshold(String type, double score) {
        Map<String, Double> copy = new LinkedHashMap<>(thresholds);
        copy.put(type, score);
        return new PiiPolicy(mode, entities, copy, operators, defaultOperator, allowList, recognizers);
    }

    /** This policy applying {@code operator} to {@code type}. */
    public PiiPolicy withOperator(String type, Operator operator) {
        Map<String, Operator> copy = new LinkedHashMap<>(operators);
        copy.put(type, Objects.requireNonNull(operator, "operator"));
        return new PiiPolicy(mode, entities, thresholds, copy, defaultOperator, allowList, recognizers);
    }

    /** This policy with another default operator. */
    public PiiPolicy withDefaultOperator(Operator operator) {
        return new PiiPolicy(mode, entities, thresholds, operators, operator, allowList, recognizers);
    }

    /** This policy never reporting {@code texts}. */
    public PiiPolicy withAllowList(Set<String> texts) {
        return new PiiPolicy(mode, entities, thresholds, operators, defaultOperator, texts, recognizers);
    }

    /** This policy with the project's ad-hoc {@code recognizers}. */
    public PiiPolicy withRecognizers(List<Recognizer> adHoc) {
        return new PiiPolicy(mode, entities, thresholds, operators, defaultOperator, allowList, adHoc);
    }

    /**
     * {@code request}'s options under this policy: the request's types if it names any, else this
     * policy's types plus those of every ad-hoc recognizer (the policy's and the request's); this
     * policy's thresholds unless the request sets its own for a type; both allow lists; this policy's
     * ad-hoc recognizers, then the request's.
     */
    public AnalysisOptions analysisOptions(AnalysisOptions request) {
        List<Recognizer> adHoc = recognizers;
        if (!request.recognizers().isEmpty()) {
            adHoc = new ArrayList<>(recognizers);
            adHoc.addAll(request.recognizers());
        }
        Set<String> types = request.entities();
        if (types.isEmpty() && !entities.isEmpty()) {
            Set<String> union = new LinkedHashSet<>(entities);
            adHoc.forEach(recognizer -> union.addAll(recognizer.entityTypes()));
            types = union;
        }
        Map<String, Double> merged = new LinkedHashMap<>(thresholds);
        merged.putAll(request.thresholds());
        Set<String> allowed = allowList;
        if (!request.allowList().isEmpty()) {
            allowed = new LinkedHashSet<>(allowList);
            allowed.addAll(request.allowList());
        }
        return new AnalysisOptions(types, merged, allowed, adHoc, request.timeBudget());
    }
}
