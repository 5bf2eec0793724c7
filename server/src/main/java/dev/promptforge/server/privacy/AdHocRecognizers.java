package dev.promptforge.server.privacy;

import dev.promptforge.pii.PiiTypes;
import dev.promptforge.pii.Recognizer;
import dev.promptforge.pii.Recognizers;
import dev.promptforge.server.privacy.PolicyDocument.RecognizerDocument;
import dev.promptforge.server.shared.Validation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns the ad-hoc recognizers and allow lists of a policy or of one playground request into the
 * PII library's, naming every invalid field. Patterns are compiled by {@link Recognizers#pattern}
 * on RE2J, so a user's expression runs in linear time and cannot backtrack.
 */
final class AdHocRecognizers {

    static final int MAX_RECOGNIZERS = 50;
    static final int MAX_PATTERN = 1_000;
    static final int MAX_WORDS = 10_000;
    static final int MAX_CONTEXT = 100;
    static final int MAX_ALLOW_LIST = 10_000;
    static final int MAX_ENTRY = 200;
    static final double DEFAULT_SCORE = 0.8;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9])?");

    private AdHocRecognizers() {}

    /**
     * The recognizers, named {@code scope + ":" + name} inside the analyzer so that a project's and a
     * request's never clash with each other or with a built-in one; {@code null} entries are skipped
     * after being reported.
     */
    static List<Recognizer> parse(
            @Nullable List<RecognizerDocument> documents, String field, String scope, Validation validation) {
        if (documents == null || documents.isEmpty()) {
            return List.of();
        }
        if (documents.size() > MAX_RECOGNIZERS) {
            validation.require(false, field, "at most " + MAX_RECOGNIZERS + " recognizers");
            return List.of();
        }
        List<Recognizer> recognizers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < documents.size(); i++) {
            Recognizer recognizer = parse(documents.get(i), field + "[" + i + "]", scope, names, validation);
            if (recognizer != null) {
                recognizers.add(recognizer);
            }
        }
        return recognizers;
    }

    private static @Nullable Recognizer parse(
            @Nullable RecognizerDocument document,
            String field,
            String scope,
            Set<String> names,
            Validation validation) {
        if (document == null) {
            validation.require(false, field, "must be an object with name, entity and a pattern or a denyList");
            return null;
        }
        boolean valid = true;
        String name = document.name();
        if (name == null || !NAME.matcher(name).matches()) {
            validation.require(
                    false,
                    field + ".name",
                    name == null
                            ? "is required"
                            : "'" + Validation.abbreviate(name) + "' is not a valid name: use 1-64 letters,"
                                    + " digits, '.', '_' and '-' (e.g. 'employee-id')");
            valid = false;
        } else if (!names.add(name)) {
            validation.require(false, field + ".name", "'" + name + "' is used by another recognizer of this list");
            valid = false;
        }
        String entity = document.entity();
        String entityProblem = entityProblem(entity);
        if (entityProblem != null) {
            validation.require(false, field + ".entity", entityProblem);
            valid = false;
        }
        boolean hasPattern = document.pattern() != null;
        boolean hasWords = document.denyList() != null;
        if (hasPattern == hasWords) {
            validation.require(
                    false,
                    field,
                    hasPattern
                            ? "give either a pattern or a denyList, not both"
                            : "needs a pattern (RE2 syntax, e.g. \"EMP-[0-9]{6}\") or a denyList of words");
            return null;
        }
        Double score = document.score();
        if (score != null && !(score >= 0 && score <= 1)) {
            validation.require(false, field + ".score", "must be from 0 to 1");
            valid = false;
        }
        List<String> context = document.context() == null ? List.of() : document.context();
        if (hasWords && score != null) {
            validation.require(
                    false, field + ".score", "applies to pattern recognizers only: deny list matches score 1");
            valid = false;
        }
        if (hasWords && !context.isEmpty()) {
            validation.require(false, field + ".context", "applies to pattern recognizers only");
            valid = false;
        }
        if (context.size() > MAX_CONTEXT) {
            validation.require(false, field + ".context", "at most " + MAX_CONTEXT + " words or phrases");
            valid = false;
        }
        for (int c = 0; c < context.size(); c++) {
            String word = context.get(c);
            if (word == null || word.isBlank() || word.length() > MAX_ENTRY) {
                validation.require(
                        false,
                        field + ".context[" + c + "]",
                        "must be a word or phrase of 1 to " + MAX_ENTRY + " characters");
                valid = false;
            }
        }
        if (hasPattern && document.pattern().length() > MAX_PATTERN) {
            validation.require(false, field + ".pattern", "must be at most " + MAX_PATTERN + " characters");
            valid = false;
        }
        if (hasWords) {
            List<String> words = document.denyList();
            if (words.isEmpty() || words.size() > MAX_WORDS) {
                validation.require(false, field + ".denyList", "must hold 1 to " + MAX_WORDS + " words or phrases");
                valid = false;
            }
            for (int w = 0; w < words.size() && w < MAX_WORDS; w++) {
                String word = words.get(w);
                if (word == null || word.isBlank() || word.length() > MAX_ENTRY) {
                    validation.require(
                            false,
                            field + ".denyList[" + w + "]",
                            "must be a word or phrase of 1 to " + MAX_ENTRY + " characters");
                    valid = false;
                }
            }
        }
        if (!valid) {
            return null;
        }
        String qualified = scope + ":" + name;
        try {
            return hasPattern
                    ? Recognizers.pattern(
                            qualified, entity, document.pattern(), score == null ? DEFAULT_SCORE : score, context)
                    : Recognizers.denyList(qualified, entity, document.denyList());
        } catch (IllegalArgumentException e) {
            String message =
                    e.getMessage() == null ? "is invalid" : e.getMessage().replace(qualified, name);
            validation.require(false, field + (hasPattern ? ".pattern" : ".denyList"), message);
            return null;
        }
    }

    /** Why {@code entity} cannot name a recognizer's type, or {@code null} when it can. */
    static @Nullable String entityProblem(@Nullable String entity) {
        if (entity == null) {
            return "is required: an upper-case type such as EMPLOYEE_ID, or a built-in one such as PERSON";
        }
        try {
            PiiTypes.requireValid(entity);
            return null;
        } catch (IllegalArgumentException e) {
            return "'" + Validation.abbreviate(entity) + "' is not a valid entity type: use upper-case letters,"
                    + " digits and '_', starting with a letter (e.g. EMPLOYEE_ID)";
        }
    }

    /** The allow list with its entries trimmed; a blank or overlong entry is reported. */
    static Set<String> allowList(@Nullable List<String> texts, String field, Validation validation) {
        if (texts == null || texts.isEmpty()) {
            return Set.of();
        }
        if (texts.size() > MAX_ALLOW_LIST) {
            validation.require(false, field, "at most " + MAX_ALLOW_LIST + " entries");
            return Set.of();
        }
        Set<String> allowed = new LinkedHashSet<>();
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null || text.isBlank() || text.length() > MAX_ENTRY) {
                validation.require(false, field + "[" + i + "]", "must be a text of 1 to " + MAX_ENTRY + " characters");
            } else {
                allowed.add(text.strip());
            }
        }
        return allowed;
    }

    /** The entity types the recognizers return. */
    static Set<String> types(List<Recognizer> recognizers) {
        Set<String> types = new LinkedHashSet<>();
        recognizers.forEach(r -> types.addAll(r.entityTypes()));
        return types;
    }
}
