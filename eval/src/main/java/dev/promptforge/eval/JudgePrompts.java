package dev.promptforge.eval;

import java.util.List;

/**
 * The judge's instructions for the model-graded assertions: promptfoo's default rubrics, in
 * PromptForge's own words. Each asks for a small JSON object (or a final Y/N), so the verdict can be
 * read without guessing.
 */
final class JudgePrompts {

    private JudgePrompts() {}

    static List<Message> llmRubric(String output, String rubric) {
        return List.of(
                Message.system("You grade the output of an AI system against a rubric. Decide whether the output"
                        + " meets the rubric and how well, judging only what the rubric asks. Reply with nothing"
                        + " but a JSON object: {\"reason\": \"<one or two sentences>\", \"pass\": true or false,"
                        + " \"score\": <a number from 0 to 1>}."),
                Message.user("<Output>\n" + output + "\n</Output>\n<Rubric>\n" + rubric + "\n</Rubric>"));
    }

    static List<Message> gEvalSteps(String criteria) {
        return List.of(
                Message.system("You design evaluations. Given criteria for judging a reply, write the concrete"
                        + " steps an evaluator should follow to check them, three to six short steps. Reply with"
                        + " nothing but a JSON object: {\"steps\": [\"<step>\", …]}."),
                Message.user("Criteria:\n" + criteria));
    }

    static List<Message> gEvalScore(String criteria, List<String> steps, String input, String output) {
        return List.of(
                Message.system("You evaluate a reply against criteria by following the given steps. Score it"
                        + " from 0 (does not meet the criteria at all) to 10 (meets them fully). Reply with nothing"
                        + " but a JSON object: {\"score\": <integer 0-10>, \"reason\": \"<one or two"
                        + " sentences>\"}."),
                Message.user("Criteria:\n" + criteria + "\n\nSteps:\n- " + String.join("\n- ", steps)
                        + "\n\nSource text:\n" + input + "\n\nReply:\n" + output));
    }

    static List<Message> factuality(String question, String expert, String submission) {
        return List.of(
                Message.system("You compare a submitted answer with an expert answer to the same question,"
                        + " for factual content only (ignore style, grammar and punctuation). Choose one"
                        + " category: (A) the submission is a subset of the expert answer and consistent with"
                        + " it; (B) it is a superset of the expert answer and consistent with it; (C) it has"
                        + " the same details as the expert answer; (D) it disagrees with the expert answer;"
                        + " (E) the answers differ, but not in a way that matters for factuality. Reply with"
                        + " nothing but a JSON object: {\"category\": \"A\"|\"B\"|\"C\"|\"D\"|\"E\", \"reason\":"
                        + " \"<one or two sentences>\"}."),
                Message.user(
                        "[Question]: " + question + "\n[Expert answer]: " + expert + "\n[Submission]: " + submission));
    }

    static List<Message> closedQa(String task, String criterion, String submission) {
        return List.of(
                Message.system("You check whether a submission meets a criterion. Reason step by step about"
                        + " the criterion, then write a last line with only the letter Y if it is met or N if"
                        + " it is not."),
                Message.user("[Task]: " + task + "\n[Submission]: " + submission + "\n[Criterion]: " + criterion));
    }

    static List<Message> questionFor(String answer) {
        return List.of(
                Message.system("Write the one question that the given answer most directly answers. Reply with"
                        + " the question only."),
                Message.user("Answer:\n" + answer));
    }

    static List<Message> statements(String question, String answer) {
        return List.of(
                Message.system("Split the answer to the question into short standalone statements, each one"
                        + " fact, with pronouns replaced by what they refer to. Reply with nothing but a JSON"
                        + " object: {\"statements\": [\"<statement>\", …]}."),
                Message.user("Question: " + question + "\nAnswer: " + answer));
    }

    static List<Message> faithfulness(String context, List<String> statements) {
        StringBuilder numbered = new StringBuilder();
        for (int i = 0; i < statements.size(); i++) {
            numbered.append(i + 1).append(". ").append(statements.get(i)).append('\n');
        }
        return List.of(
                Message.system("For each statement, decide whether it can be inferred from the context alone."
                        + " Reply with nothing but a JSON object: {\"verdicts\": [{\"statement\": \"…\","
                        + " \"verdict\": \"yes\"|\"no\", \"reason\": \"…\"}, …]}, one verdict per statement, in"
                        + " order."),
                Message.user("Context:\n" + context + "\n\nStatements:\n" + numbered));
    }

    static final String INSUFFICIENT = "Insufficient Information";

    static List<Message> contextRelevance(String query, String context) {
        return List.of(
                Message.system("Copy, word for word and one per line, the sentences of the context that help"
                        + " answer the question. Do not change or add anything. If no sentence helps, reply"
                        + " exactly \"" + INSUFFICIENT + "\"."),
                Message.user("Question: " + query + "\n\nContext:\n" + context));
    }

    static List<Message> contextRecall(String context, String groundTruth) {
        return List.of(
                Message.system("For each sentence of the reference answer, decide whether the context supports"
                        + " it (it can be attributed to the context). Reply with nothing but a JSON object:"
                        + " {\"sentences\": [{\"sentence\": \"…\", \"attributed\": true|false}, …]}, one entry"
                        + " per sentence of the reference answer, in order."),
                Message.user("Context:\n" + context + "\n\nReference answer:\n" + groundTruth));
    }
}
