package dev.promptforge.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Compiles assertions into graders, with what some types need: a {@link Judge} for model-graded
 * types, a {@link PiiDetector} for {@code pii-leak}. Types are promptfoo's, with promptfoo's
 * semantics; every type can be negated with {@code not-}. A type that needs a judge or detector that
 * is not configured, an unknown type and a value of the wrong shape are {@link
 * InvalidAssertionException}s at compile time, before anything runs.
 */
public final class Evaluators {

    /** Types that run user code; PromptForge runs none from suites. */
    private static final Set<String> CODE_TYPES = Set.of("javascript", "python", "ruby", "webhook");

    /** promptfoo types PromptForge does not implement. */
    private static final Set<String> UNSUPPORTED_TYPES = Set.of(
            "agent-rubric",
            "bertscore",
            "classifier",
            "contains-html",
            "contains-sql",
            "conversation-relevance",
            "gleu",
            "guardrails",
            "is-html",
            "is-sql",
            "is-valid-function-call",
            "is-valid-openai-function-call",
            "is-valid-openai-tools-call",
            "max-score",
            "meteor",
            "pi",
            "search-rubric",
            "select-best",
            "similar:dot",
            "similar:euclidean",
            "skill-used",
            "tool-call-f1",
            "trace-error-spans",
            "trace-span-count",
            "trace-span-duration");

    /** Model-graded types: they ask a judge. */
    static final Set<String> MODEL_GRADED = Set.of(
            "llm-rubric",
            "g-eval",
            "factuality",
            "model-graded-factuality",
            "model-graded-closedqa",
            "answer-relevance",
            "context-faithfulness",
            "context-relevance",
            "context-recall",
            "moderation",
            "similar",
            "similar:cosine");

    private final @Nullable PiiDetector piiDetector;
    private final @Nullable Judge judge;
    private final @Nullable Function<Object, Judge> judgeFactory;

    private Evaluators(Builder builder) {
        this.piiDetector = builder.piiDetector;
        this.judge = builder.judge;
        this.judgeFactory = builder.judgeFactory;
    }

    /** True for a model-graded type (it asks a judge), negated or not; an assert-set is judged by its members. */
    public static boolean isModelGraded(Assertion assertion) {
        if ("assert-set".equals(assertion.baseType())) {
            return assertion.assertions().stream().anyMatch(Evaluators::isModelGraded);
        }
        return MODEL_GRADED.contains(assertion.baseType());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Evaluators without a judge or PII detector: deterministic types only. */
    public static Evaluators deterministic() {
        return builder().build();
    }

    /**
     * Checks an assertion and prepares it to grade answers.
     *
     * @throws InvalidAssertionException with a message that names the type and what to change
     */
    public CompiledAssertion compile(Assertion assertion) {
        String type = assertion.type();
        String base = assertion.baseType();
        if (!"assert-set".equals(base) && !assertion.assertions().isEmpty()) {
            throw new InvalidAssertionException(type + ": 'assert' belongs to assert-set only");
        }
        if (assertion.weight() != null
                && (assertion.weight() < 0 || assertion.weight().isNaN())) {
            throw new InvalidAssertionException(type + ": weight must be zero or more");
        }
        if (CODE_TYPES.contains(base) || base.startsWith("file://")) {
            throw new InvalidAssertionException("'" + type + "' assertions are not supported: PromptForge does not"
                    + " run code from suites; use the built-in assertion types");
        }
        if (UNSUPPORTED_TYPES.contains(base) || base.startsWith("trajectory:") || base.startsWith("promptfoo:")) {
            throw new InvalidAssertionException(
                    "'" + type + "' is a promptfoo assertion type PromptForge does not" + " support");
        }
        if (MODEL_GRADED.contains(base)) {
            return ModelGradedChecks.compile(assertion, judge, judgeFactory);
        }
        return switch (base) {
            case "assert-set" -> assertSet(assertion);
            case "equals" -> TextChecks.equalsCheck(assertion);
            case "contains" -> TextChecks.contains(assertion, false);
            case "icontains" -> TextChecks.contains(assertion, true);
            case "contains-any" -> TextChecks.containsAny(assertion, false);
            case "icontains-any" -> TextChecks.containsAny(assertion, true);
            case "contains-all" -> TextChecks.containsAll(assertion, false);
            case "icontains-all" -> TextChecks.containsAll(assertion, true);
            case "starts-with" -> TextChecks.startsWith(assertion);
            case "regex" -> TextChecks.regex(assertion);
            case "word-count" -> TextChecks.wordCount(assertion);
            case "levenshtein" -> TextChecks.levenshtein(assertion);
            case "is-json" -> StructureChecks.isJson(assertion);
            case "contains-json" -> StructureChecks.containsJson(assertion);
            case "is-xml" -> StructureChecks.isXml(assertion, false);
            case "contains-xml" -> StructureChecks.isXml(assertion, true);
            case "rouge-n" -> OverlapChecks.rougeN(assertion);
            case "bleu" -> OverlapChecks.bleu(assertion);
            case "groundedness-lexical" -> OverlapChecks.groundednessLexical(assertion);
            case "answer-relevance-lexical" -> OverlapChecks.answerRelevanceLexical(assertion);
            case "cost" -> ResponseChecks.cost(assertion);
            case "latency" -> ResponseChecks.latency(assertion);
            case "finish-reason" -> ResponseChecks.finishReason(assertion);
            case "perplexity" -> ResponseChecks.perplexity(assertion);
            case "perplexity-score" -> ResponseChecks.perplexityScore(assertion);
            case "is-refusal" -> ResponseChecks.isRefusal(assertion);
            case "pii-leak" -> ResponseChecks.piiLeak(assertion, piiDetector);
            default -> throw new InvalidAssertionException("unknown assertion type '" + type + "'");
        };
    }

    private CompiledAssertion assertSet(Assertion assertion) {
        if (assertion.negated()) {
            throw new InvalidAssertionException("assert-set cannot be negated; negate its members instead");
        }
        if (assertion.value() != null) {
            throw new InvalidAssertionException("assert-set takes no value; list its assertions under 'assert'");
        }
        if (assertion.assertions().isEmpty()) {
            throw new InvalidAssertionException("assert-set needs assertions under 'assert'");
        }
        List<CompiledAssertion> members = new ArrayList<>();
        for (Assertion member : assertion.assertions()) {
            members.add(compile(member));
        }
        return new CompiledAssertion() {
            @Override
            public Assertion assertion() {
                return assertion;
            }

            @Override
            public GradingResult grade(AssertionContext context) {
                GradingResult result =
                        gradeAll(members, assertion.threshold(), context, "assert-set", assertion.metric());
                return Check.metricOnly(assertion) && !result.pass()
                        ? new GradingResult(
                                true,
                                result.score(),
                                result.reason(),
                                result.type(),
                                result.metric(),
                                result.components(),
                                result.namedScores())
                        : result;
            }
        };
    }

    /**
     * A test's verdict from its assertions: the weighted average score; pass when all pass, or, with
     * a threshold, when the score reaches it.
     *
     * @throws EvaluationException when an assertion cannot be evaluated (the test is an error)
     */
    public static GradingResult grade(
            List<CompiledAssertion> assertions, @Nullable Double threshold, AssertionContext context) {
        return gradeAll(assertions, threshold, context, null, null);
    }

    private static GradingResult gradeAll(
            List<CompiledAssertion> assertions,
            @Nullable Double threshold,
            AssertionContext context,
            @Nullable String type,
            @Nullable String metric) {
        Aggregate aggregate = new Aggregate();
        for (CompiledAssertion assertion : assertions) {
            aggregate.add(assertion.grade(context), assertion.assertion());
        }
        return aggregate.result(threshold, type, metric);
    }

    @Nullable
    Judge judge() {
        return judge;
    }

    @Nullable
    Function<Object, Judge> judgeFactory() {
        return judgeFactory;
    }

    /** Configures the optional collaborators. */
    public static final class Builder {
        private @Nullable PiiDetector piiDetector;
        private @Nullable Judge judge;
        private @Nullable Function<Object, Judge> judgeFactory;

        private Builder() {}

        /** The detector {@code pii-leak} uses; without one, {@code pii-leak} does not compile. */
        public Builder piiDetector(PiiDetector detector) {
            this.piiDetector = detector;
            return this;
        }

        /** The default judge of model-graded assertions. */
        public Builder judge(Judge defaultJudge) {
            this.judge = defaultJudge;
            return this;
        }

        /**
         * Makes the judge an assertion names with {@code provider:}, from what the assertion holds
         * there; throws IllegalArgumentException when it cannot.
         */
        public Builder judgeFactory(Function<Object, Judge> factory) {
            this.judgeFactory = factory;
            return this;
        }

        public Evaluators build() {
            return new Evaluators(this);
        }
    }
}
