package dev.promptforge.server.privacy;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.promptforge.pii.Operator;
import dev.promptforge.pii.PiiPolicy;
import dev.promptforge.pii.PiiTypes;
import dev.promptforge.pii.Recognizer;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Validation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A project's PII policy as JSON: {@code mode} ({@code anonymize}, {@code block}, {@code off}),
 * {@code entities} (empty: every type), per-type {@code thresholds}, per-type {@code operators} and a
 * {@code defaultOperator}. An operator is {@code {"type": "placeholder"}} ({@code <PERSON_1>},
 * restored in the answer), {@code replace} (optional {@code value}), {@code redact}, {@code mask}
 * ({@code char}, {@code count}, {@code fromEnd}, {@code keepLast}), {@code hash} (HMAC-SHA256 with the
 * project's key), {@code encrypt} (AES-256-GCM with the project's key) or {@code keep}. An
 * {@code allowList} names texts never reported; {@code recognizers} adds the project's own ad-hoc
 * recognizers (a pattern or a deny list each), whose entity types may then be named in
 * {@code entities}, {@code thresholds} and {@code operators} too.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyDocument(
        @Nullable String mode,
        @Nullable List<String> entities,
        @Nullable Map<String, Double> thresholds,
        @Nullable Map<String, OperatorDocument> operators,
        @Nullable OperatorDocument defaultOperator,
        @Nullable List<String> allowList,
        @Nullable List<RecognizerDocument> recognizers) {

    /** One operator as JSON. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OperatorDocument(
            @Nullable String type,
            @Nullable String value,
            @Nullable String character,
            @Nullable Integer count,
            @Nullable Boolean fromEnd,
            @Nullable Integer keepLast) {}

    /**
     * An ad-hoc recognizer as JSON: a unique {@code name}, the {@code entity} type it reports (a
     * built-in one or a new upper-case one such as {@code EMPLOYEE_ID}), and either a {@code pattern}
     * (RE2 syntax, linear time) with a {@code score} (default 0.8) raised by nearby {@code context}
     * words, or a {@code denyList} of words and phrases (whole words, ignoring case, score 1).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RecognizerDocument(
            @Nullable String name,
            @Nullable String entity,
            @Nullable String pattern,
            @Nullable Double score,
            @Nullable List<String> context,
            @Nullable List<String> denyList) {}

    static PolicyDocument of(PiiPolicy policy) {
        return of(policy, List.of());
    }

    // The policy as stored and shown: its recognizers as they were given (the policy holds them compiled).
    private static PolicyDocument of(PiiPolicy policy, List<RecognizerDocument> recognizers) {
        Map<String, OperatorDocument> operators = new LinkedHashMap<>();
        policy.operators().forEach((type, operator) -> operators.put(type, document(operator)));
        return new PolicyDocument(
                policy.mode().name().toLowerCase(Locale.ROOT),
                List.copyOf(new TreeSet<>(policy.entities())),
                new java.util.TreeMap<>(policy.thresholds()),
                operators,
                document(policy.defaultOperator()),
                List.copyOf(new TreeSet<>(policy.allowList())),
                recognizers);
    }

    /** This document as stored: validated, defaults filled in. */
    PolicyDocument normalized() {
        PiiPolicy policy = toPolicy();
        List<RecognizerDocument> given = recognizers == null ? List.of() : recognizers;
        return of(
                policy,
                given.stream()
                        .map(r -> r.pattern() == null
                                ? new RecognizerDocument(r.name(), r.entity(), null, null, null, r.denyList())
                                : new RecognizerDocument(
                                        r.name(),
                                        r.entity(),
                                        r.pattern(),
                                        r.score() == null ? AdHocRecognizers.DEFAULT_SCORE : r.score(),
                                        r.context() == null ? List.of() : r.context(),
                                        null))
                        .toList());
    }

    /** The policy, or a 422 naming every invalid field. */
    PiiPolicy toPolicy() {
        Validation validation = Validation.start();
        List<Recognizer> adHoc = AdHocRecognizers.parse(recognizers, "recognizers", "project", validation);
        Set<String> allowed = AdHocRecognizers.allowList(allowList, "allowList", validation);
        Set<String> own = AdHocRecognizers.types(adHoc);
        PiiPolicy.Mode parsedMode = PiiPolicy.Mode.ANONYMIZE;
        if (mode != null) {
            try {
                parsedMode = PiiPolicy.Mode.valueOf(mode.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                validation.require(false, "mode", "must be one of anonymize, block, off");
            }
        }
        List<String> types = entities == null ? List.of() : entities;
        for (int i = 0; i < types.size(); i++) {
            validation.require(known(types.get(i), own), "entities[" + i + "]", unknownType(types.get(i)));
        }
        Map<String, Double> scores = thresholds == null ? Map.of() : thresholds;
        scores.forEach((type, score) -> {
            validation.require(known(type, own), "thresholds." + type, unknownType(type));
            validation.require(score != null && score >= 0 && score <= 1, "thresholds." + type, "must be from 0 to 1");
        });
        Map<String, Operator> parsed = new LinkedHashMap<>();
        if (operators != null) {
            operators.forEach((type, document) -> {
                validation.require(known(type, own), "operators." + type, unknownType(type));
                Operator operator = operator(document, "operators." + type, validation);
                if (operator != null && known(type, own)) {
                    parsed.put(type, operator);
                }
            });
        }
        Operator fallback = defaultOperator == null
                ? Operator.placeholder()
                : operator(defaultOperator, "defaultOperator", validation);
        validation.throwIfInvalid();
        try {
            return new PiiPolicy(
                    parsedMode,
                    new java.util.LinkedHashSet<>(types),
                    scores,
                    parsed,
                    fallback == null ? Operator.placeholder() : fallback,
                    allowed,
                    adHoc);
        } catch (IllegalArgumentException e) {
            throw ApiException.unprocessable(e.getMessage());
        }
    }

    private static @Nullable Operator operator(
            @Nullable OperatorDocument document, String field, Validation validation) {
        if (document == null || document.type() == null) {
            validation.require(
                    false, field + ".type", "is required: placeholder, replace, redact, mask, hash, encrypt or keep");
            return null;
        }
        try {
            return switch (document.type()) {
                case "placeholder" -> Operator.placeholder();
                case "replace" ->
                    document.value() == null ? Operator.replace() : Operator.replaceWith(document.value());
                case "redact" -> Operator.redact();
                case "mask" ->
                    new Operator.Mask(
                            document.character() == null || document.character().isEmpty()
                                    ? '*'
                                    : document.character().charAt(0),
                            document.count() == null ? Integer.MAX_VALUE : document.count(),
                            Boolean.TRUE.equals(document.fromEnd()),
                            document.keepLast() == null ? 0 : document.keepLast());
                case "hash" -> Operator.hash();
                case "encrypt" -> Operator.encrypt();
                case "keep" -> Operator.keep();
                default -> {
                    validation.require(
                            false,
                            field + ".type",
                            "'" + Validation.abbreviate(document.type())
                                    + "' is not an operator: use placeholder, replace, redact, mask, hash, encrypt or keep");
                    yield null;
                }
            };
        } catch (IllegalArgumentException e) {
            validation.require(false, field, e.getMessage());
            return null;
        }
    }

    private static OperatorDocument document(Operator operator) {
        return switch (operator) {
            case Operator.Replace r -> new OperatorDocument("replace", r.value(), null, null, null, null);
            case Operator.Placeholder p -> new OperatorDocument("placeholder", null, null, null, null, null);
            case Operator.Redact r -> new OperatorDocument("redact", null, null, null, null, null);
            case Operator.Mask m ->
                new OperatorDocument(
                        "mask",
                        null,
                        String.valueOf(m.character()),
                        m.count() == Integer.MAX_VALUE ? null : m.count(),
                        m.fromEnd(),
                        m.keepLast());
            case Operator.Hash h -> new OperatorDocument("hash", null, null, null, null, null);
            case Operator.Encrypt e -> new OperatorDocument("encrypt", null, null, null, null, null);
            case Operator.Keep k -> new OperatorDocument("keep", null, null, null, null, null);
        };
    }

    static boolean known(@Nullable String type, Set<String> adHocTypes) {
        return type != null && (PiiTypes.ALL.contains(type) || adHocTypes.contains(type));
    }

    static String unknownType(@Nullable String type) {
        return "'" + Validation.abbreviate(String.valueOf(type)) + "' is not an entity type (e.g. CREDIT_CARD, PERSON,"
                + " EMAIL_ADDRESS) nor one of an ad-hoc recognizer";
    }
}
