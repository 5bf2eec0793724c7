package dev.promptforge.eval;

import static dev.promptforge.eval.OverlapChecks.two;
import static dev.promptforge.eval.TextChecks.fmt;

import dev.promptforge.eval.Check.Outcome;
import dev.promptforge.eval.template.Values;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Model-graded assertions with promptfoo's semantics, asking a {@link Judge}. Without a judge they do
 * not compile (never a silent pass); a judge's answer that cannot be read is an {@link
 * EvaluationException} (the test is an error), so negation never turns a broken grader into a pass.
 */
final class ModelGradedChecks {

    private static final Pattern LEGACY_CATEGORY = Pattern.compile("\\(?([A-Ea-e])\\)");
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+|\\R+");

    private ModelGradedChecks() {}

    static CompiledAssertion compile(
            Assertion assertion, @Nullable Judge defaultJudge, @Nullable Function<Object, Judge> factory) {
        String base = assertion.baseType();
        Judge judge = judge(assertion, defaultJudge, factory);
        return switch (base) {
            case "llm-rubric" -> llmRubric(assertion, needsChat(assertion, judge));
            case "g-eval" -> gEval(assertion, needsChat(assertion, judge));
            case "factuality", "model-graded-factuality" -> factuality(assertion, needsChat(assertion, judge));
            case "model-graded-closedqa" -> closedQa(assertion, needsChat(assertion, judge));
            case "answer-relevance" ->
                answerRelevance(assertion, needsEmbeddings(assertion, needsChat(assertion, judge)));
            case "context-faithfulness" -> contextFaithfulness(assertion, needsChat(assertion, judge));
            case "context-relevance" -> contextRelevance(assertion, needsChat(assertion, judge));
            case "context-recall" -> contextRecall(assertion, needsChat(assertion, judge));
            case "moderation" -> moderation(assertion, judge);
            case "similar", "similar:cosine" -> similar(assertion, needsEmbeddings(assertion, judge));
            default -> throw new InvalidAssertionException("unknown model-graded type '" + assertion.type() + "'");
        };
    }

    private static Judge judge(
            Assertion assertion, @Nullable Judge defaultJudge, @Nullable Function<Object, Judge> factory) {
        if (assertion.provider() != null) {
            if (factory == null) {
                throw new InvalidAssertionException(assertion.type() + ": provider " + assertion.provider()
                        + " cannot be used as a judge here (no judge factory is configured)");
            }
            try {
                return factory.apply(assertion.provider());
            } catch (IllegalArgumentException e) {
                throw new InvalidAssertionException(
                        assertion.type() + ": provider " + assertion.provider() + ": " + e.getMessage());
            }
        }
        if (defaultJudge == null) {
            throw new InvalidAssertionException("'" + assertion.type() + "' is model-graded and needs a judge: set"
                    + " defaultTest.options.provider (or --grader, or the assertion's provider) to the provider that"
                    + " grades; without one it never passes silently");
        }
        return defaultJudge;
    }

    private static Judge needsEmbeddings(Assertion assertion, Judge judge) {
        if (!judge.supportsEmbeddings()) {
            throw new InvalidAssertionException(assertion.type() + " compares embeddings, and the judge " + judge.id()
                    + " has none: name an embeddings provider in defaultTest.options.provider.embedding or the"
                    + " assertion's provider (e.g. openai:embedding:text-embedding-3-small)");
        }
        return judge;
    }

    private static Judge needsChat(Assertion assertion, Judge judge) {
        if (!judge.supportsChat()) {
            throw new InvalidAssertionException(assertion.type() + " asks a chat model, and the judge " + judge.id()
                    + " is not one: name a chat provider in defaultTest.options.provider.text or the assertion's"
                    + " provider (e.g. openai:chat:gpt-4o-mini)");
        }
        return judge;
    }

    // ---- llm-rubric

    static CompiledAssertion llmRubric(Assertion assertion, Judge judge) {
        var rubric = Expected.of(assertion, ModelGradedChecks::rubricText);
        Double threshold = assertion.threshold();
        return new Check(assertion, context -> {
            JsonNode verdict =
                    jsonAnswer(judge, JudgePrompts.llmRubric(context.output(), rubric.get(context)), "llm-rubric");
            Boolean pass = bool(verdict.get("pass"));
            Double score = number(verdict.get("score"));
            if (pass == null && score == null) {
                throw new EvaluationException("llm-rubric: the judge " + judge.id() + " gave neither pass nor score: "
                        + Json.compact(verdict));
            }
            double s = score != null ? clamp(score) : (pass ? 1 : 0);
            boolean matched = threshold != null ? s >= threshold : (pass != null ? pass : s >= 0.5);
            String reason = text(verdict.get("reason"), "(no reason given)");
            return new Outcome(
                    matched,
                    s,
                    "Judge " + judge.id() + ": " + reason
                            + (threshold == null ? "" : " (score " + two(s) + ", threshold " + fmt(threshold) + ")"));
        });
    }

    private static String rubricText(@Nullable Object value) {
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            return Values.toJson(value);
        }
        return Shapes.text(value);
    }

    // ---- g-eval

    static CompiledAssertion gEval(Assertion assertion, Judge judge) {
        var criteria = Expected.of(
                assertion, value -> value instanceof List<?> ? Shapes.textList(value) : List.of(Shapes.text(value)));
        double threshold = OverlapChecks.threshold(assertion, 0.7);
        return new Check(assertion, context -> {
            if (context.prompt().isBlank()) {
                throw new EvaluationException("g-eval needs the prompt as its source text, and the prompt is empty");
            }
            double sum = 0;
            List<String> reasons = new ArrayList<>();
            List<String> all = criteria.get(context);
            for (String criterion : all) {
                JsonNode stepsAnswer = jsonAnswer(judge, JudgePrompts.gEvalSteps(criterion), "g-eval");
                List<String> steps = strings(stepsAnswer.get("steps"));
                if (steps.isEmpty()) {
                    throw new EvaluationException("g-eval: the judge " + judge.id() + " proposed no evaluation steps");
                }
                JsonNode scored = jsonAnswer(
                        judge, JudgePrompts.gEvalScore(criterion, steps, context.prompt(), context.output()), "g-eval");
                Double score = number(scored.get("score"));
                if (score == null || score < 0 || score > 10) {
                    throw new EvaluationException(
                            "g-eval: the judge " + judge.id() + " gave no score from 0 to 10: " + Json.compact(scored));
                }
                sum += score / 10;
                reasons.add(text(scored.get("reason"), "(no reason given)"));
            }
            double mean = sum / all.size();
            return new Outcome(
                    mean >= threshold,
                    mean,
                    "G-Eval score " + two(mean) + (mean >= threshold ? " meets" : " is below") + " the threshold "
                            + fmt(threshold) + ": " + String.join(" / ", reasons));
        });
    }

    // ---- factuality and closed QA

    static CompiledAssertion factuality(Assertion assertion, Judge judge) {
        var expert = Expected.of(assertion, Shapes::text);
        return new Check(assertion, context -> {
            String answer =
                    judge.complete(JudgePrompts.factuality(question(context), expert.get(context), context.output()));
            String category;
            String reason;
            JsonNode json = firstObject(answer);
            if (json != null && json.hasNonNull("category")) {
                category = json.get("category").asString().strip().toUpperCase(Locale.ROOT);
                reason = text(json.get("reason"), "");
            } else {
                Matcher legacy = LEGACY_CATEGORY.matcher(answer);
                if (!legacy.find()) {
                    throw new EvaluationException(
                            "factuality: the judge " + judge.id() + " named no category: " + abbreviate(answer));
                }
                category = legacy.group(1).toUpperCase(Locale.ROOT);
                reason = answer.substring(legacy.end()).strip();
            }
            if (!category.matches("[A-E]")) {
                throw new EvaluationException(
                        "factuality: the judge " + judge.id() + " answered category '" + category + "', not A-E");
            }
            boolean consistent = !category.equals("D");
            return Outcome.of(
                    consistent,
                    "Category " + category + " (" + describeCategory(category) + ")" + suffix(reason),
                    "Category D (it disagrees with the expected answer)" + suffix(reason));
        });
    }

    private static String describeCategory(String category) {
        return switch (category) {
            case "A" -> "a consistent subset of the expected answer";
            case "B" -> "a consistent superset of the expected answer";
            case "C" -> "the same details as the expected answer";
            case "E" -> "different, but not in a way that matters for the facts";
            default -> "it disagrees with the expected answer";
        };
    }

    static CompiledAssertion closedQa(Assertion assertion, Judge judge) {
        var criterion = Expected.of(assertion, Shapes::text);
        return new Check(assertion, context -> {
            String answer = judge.complete(
                            JudgePrompts.closedQa(question(context), criterion.get(context), context.output()))
                    .strip();
            boolean yes = answer.endsWith("Y");
            if (!yes && !answer.endsWith("N")) {
                throw new EvaluationException("model-graded-closedqa: the judge " + judge.id()
                        + " did not end with Y or N: " + abbreviate(answer));
            }
            String reasoning =
                    abbreviate(answer.substring(0, answer.length() - 1).strip());
            return Outcome.of(
                    yes,
                    "The output meets the criterion" + suffix(reasoning),
                    "The output does not meet the criterion" + suffix(reasoning));
        });
    }

    // ---- RAG

    static CompiledAssertion answerRelevance(Assertion assertion, Judge judge) {
        double threshold = OverlapChecks.threshold(assertion, 0.7);
        if (assertion.value() != null) {
            throw new InvalidAssertionException("answer-relevance takes no value: it compares the output with the"
                    + " 'query' variable (or the prompt)");
        }
        return new Check(assertion, context -> {
            Object query = context.vars().get("query");
            String input = query != null ? Values.toText(query) : context.prompt();
            double[] inputVector = judge.embed(input);
            double sum = 0;
            List<String> questions = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String question = judge.complete(JudgePrompts.questionFor(context.output()))
                        .strip();
                if (question.isEmpty()) {
                    throw new EvaluationException("answer-relevance: the judge " + judge.id() + " wrote no question");
                }
                questions.add(question);
                sum += cosine(inputVector, judge.embed(question));
            }
            double similarity = sum / 3;
            return new Outcome(
                    similarity >= threshold,
                    similarity,
                    "Relevance " + two(similarity) + (similarity >= threshold ? " meets" : " is below")
                            + " the threshold " + fmt(threshold) + " (questions the answer suggests: " + questions
                            + ")");
        });
    }

    static CompiledAssertion contextFaithfulness(Assertion assertion, Judge judge) {
        double threshold = OverlapChecks.threshold(assertion, 0);
        return new Check(assertion, context -> {
            String query = requiredVar(context, "query", "context-faithfulness");
            String ctx = OverlapChecks.variableText(context, "context", "context-faithfulness");
            List<String> statements =
                    strings(jsonAnswer(judge, JudgePrompts.statements(query, context.output()), "context-faithfulness")
                            .get("statements"));
            if (statements.isEmpty()) {
                throw new EvaluationException(
                        "context-faithfulness: the judge " + judge.id() + " found no statements in the output");
            }
            JsonNode verdicts = jsonAnswer(judge, JudgePrompts.faithfulness(ctx, statements), "context-faithfulness")
                    .get("verdicts");
            if (verdicts == null || !verdicts.isArray() || verdicts.isEmpty()) {
                throw new EvaluationException("context-faithfulness: the judge " + judge.id() + " gave no verdicts");
            }
            int supported = 0;
            List<String> unsupported = new ArrayList<>();
            for (JsonNode verdict : verdicts) {
                String v = text(verdict.get("verdict"), "").strip().toLowerCase(Locale.ROOT);
                if (v.startsWith("yes")) {
                    supported++;
                } else {
                    unsupported.add(text(verdict.get("statement"), "?"));
                }
            }
            double score = (double) supported / verdicts.size();
            return new Outcome(
                    score >= threshold,
                    score,
                    "Faithfulness " + two(score) + " (" + supported + " of " + verdicts.size()
                            + " statements follow from the context; threshold " + fmt(threshold) + ")"
                            + (unsupported.isEmpty() ? "" : "; not supported: " + unsupported));
        });
    }

    static CompiledAssertion contextRelevance(Assertion assertion, Judge judge) {
        double threshold = OverlapChecks.threshold(assertion, 0);
        return new Check(assertion, context -> {
            String query = requiredVar(context, "query", "context-relevance");
            String ctx = OverlapChecks.variableText(context, "context", "context-relevance");
            List<String> units = sentences(ctx);
            if (units.isEmpty()) {
                throw new EvaluationException("context-relevance: the context is empty");
            }
            String answer = judge.complete(JudgePrompts.contextRelevance(query, ctx));
            Set<String> relevant = new LinkedHashSet<>();
            if (!answer.contains(JudgePrompts.INSUFFICIENT)) {
                String normalizedContext = normalize(ctx);
                for (String sentence : sentences(answer)) {
                    String cleaned = sentence.replaceFirst("^\\s*(?:\\d+[.)]|[-*])\\s*", "");
                    if (!normalizedContext.contains(normalize(cleaned))) {
                        throw new EvaluationException("context-relevance: the judge " + judge.id()
                                + " returned text that is not in the context: " + abbreviate(cleaned));
                    }
                    relevant.add(normalize(cleaned));
                }
            }
            int count = Math.min(relevant.size(), units.size());
            double score = (double) count / units.size();
            return new Outcome(
                    score >= threshold,
                    score,
                    "Context relevance " + two(score) + " (" + count + " of " + units.size()
                            + " context sentences help answer the query; threshold " + fmt(threshold) + ")");
        });
    }

    static CompiledAssertion contextRecall(Assertion assertion, Judge judge) {
        var groundTruth = Expected.of(assertion, Shapes::text);
        double threshold = OverlapChecks.threshold(assertion, 0);
        return new Check(assertion, context -> {
            String ctx = OverlapChecks.variableText(context, "context", "context-recall");
            JsonNode sentences = jsonAnswer(
                            judge, JudgePrompts.contextRecall(ctx, groundTruth.get(context)), "context-recall")
                    .get("sentences");
            if (sentences == null || !sentences.isArray() || sentences.isEmpty()) {
                throw new EvaluationException(
                        "context-recall: the judge " + judge.id() + " classified no sentence of the expected answer");
            }
            int attributed = 0;
            List<String> missing = new ArrayList<>();
            for (JsonNode sentence : sentences) {
                if (Boolean.TRUE.equals(bool(sentence.get("attributed")))) {
                    attributed++;
                } else {
                    missing.add(text(sentence.get("sentence"), "?"));
                }
            }
            double score = (double) attributed / sentences.size();
            return new Outcome(
                    score >= threshold,
                    score,
                    "Recall " + two(score) + " (" + attributed + " of " + sentences.size()
                            + " sentences of the expected answer are in the context; threshold " + fmt(threshold) + ")"
                            + (missing.isEmpty() ? "" : "; not in the context: " + missing));
        });
    }

    // ---- moderation and similarity

    static CompiledAssertion moderation(Assertion assertion, Judge judge) {
        if (!judge.supportsModeration()) {
            throw new InvalidAssertionException("moderation needs a judge with a moderation endpoint, and "
                    + judge.id() + " has none: name one in defaultTest.options.provider.moderation or the"
                    + " assertion's provider (e.g. openai:moderation:omni-moderation-latest)");
        }
        var categories = Expected.of(assertion, Shapes::optionalTextList);
        return new Check(assertion, context -> {
            List<String> only = categories.get(context);
            Judge.Moderation verdict = judge.moderate(context.output());
            List<String> flagged = verdict.flagged().stream()
                    .filter(c -> only == null || only.contains(c))
                    .sorted()
                    .toList();
            return Outcome.of(
                    flagged.isEmpty(),
                    "Moderation flags nothing" + (only == null ? "" : " among " + only),
                    "Moderation flags " + flagged);
        });
    }

    static CompiledAssertion similar(Assertion assertion, Judge judge) {
        var expected = Expected.of(
                assertion, value -> value instanceof List<?> ? Shapes.textList(value) : List.of(Shapes.text(value)));
        double threshold = OverlapChecks.threshold(assertion, 0.75);
        return new Check(assertion, context -> {
            double[] output = judge.embed(context.output());
            double best = -1;
            String closest = "";
            for (String value : expected.get(context)) {
                double similarity = cosine(output, judge.embed(value));
                if (similarity > best) {
                    best = similarity;
                    closest = value;
                }
            }
            double score = clamp(best);
            return new Outcome(
                    best >= threshold,
                    score,
                    "Cosine similarity " + two(best) + " to " + Shapes.quote(closest)
                            + (best >= threshold ? " meets" : " is below") + " the threshold " + fmt(threshold));
        });
    }

    // ---- helpers

    static double cosine(double[] a, double[] b) {
        if (a.length != b.length || a.length == 0) {
            throw new EvaluationException(
                    "embeddings of different sizes (" + a.length + " and " + b.length + ") cannot be compared");
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        if (na == 0 || nb == 0) {
            return 0;
        }
        return dot / (Math.sqrt(na) * Math.sqrt(nb));
    }

    private static JsonNode jsonAnswer(Judge judge, List<Message> messages, String type) {
        String answer = judge.complete(messages);
        JsonNode json = firstObject(answer);
        if (json == null) {
            throw new EvaluationException(
                    type + ": the judge " + judge.id() + " did not answer with JSON: " + abbreviate(answer));
        }
        return json;
    }

    private static @Nullable JsonNode firstObject(String text) {
        JsonNode whole = Json.parse(text.strip());
        if (whole != null && whole.isObject()) {
            return whole;
        }
        List<JsonNode> objects = Json.extractObjects(text);
        return objects.isEmpty() ? null : objects.get(0);
    }

    private static @Nullable Boolean bool(@Nullable JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        String text = node.asString("").strip().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "true", "yes", "pass" -> true;
            case "false", "no", "fail" -> false;
            default -> null;
        };
    }

    private static @Nullable Double number(@Nullable JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        try {
            return Double.parseDouble(node.asString("").strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static List<String> strings(@Nullable JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node != null && node.isArray()) {
            for (JsonNode item : node) {
                String s = item.asString("").strip();
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    private static String text(@Nullable JsonNode node, String otherwise) {
        return node == null || node.isNull() ? otherwise : node.asString(otherwise);
    }

    private static String question(AssertionContext context) {
        Object query = context.vars().get("query");
        return query != null ? Values.toText(query) : context.prompt();
    }

    private static String requiredVar(AssertionContext context, String name, String type) {
        Object value = context.vars().get(name);
        if (value == null) {
            throw new EvaluationException(type + " needs the test variable '" + name + "' (the user's question)");
        }
        return Values.toText(value);
    }

    static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        for (String piece : SENTENCE_END.split(text)) {
            if (!piece.isBlank()) {
                out.add(piece.strip());
            }
        }
        return out;
    }

    private static String normalize(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
    }

    private static double clamp(double value) {
        return Math.max(0, Math.min(1, value));
    }

    private static String suffix(String reason) {
        return reason.isBlank() ? "" : ": " + reason;
    }

    private static String abbreviate(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= 300 ? flat : flat.substring(0, 297) + "...";
    }
}
