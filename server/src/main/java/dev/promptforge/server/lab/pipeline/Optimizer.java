package dev.promptforge.server.lab.pipeline;

import dev.promptforge.server.registry.PromptMessage;
import dev.promptforge.server.registry.PromptVersion;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The optimization stage's suggestions: changed versions of the candidate, each re-tested by the
 * stage. The rule-based ones are deterministic (a resumed run tests the same texts).
 */
final class Optimizer {

    /**
     * One suggestion.
     *
     * @param version the changed version; null when rejected
     * @param rejected why it was not tested (an LLM rewrite that dropped a variable)
     */
    record Suggestion(
            String kind,
            String description,
            @Nullable PromptVersion version,
            @Nullable String rejected) {}

    static final String REWRITE_SYSTEM = "You improve prompts for large language models. Rewrite the prompt you"
            + " are given so it is shorter and clearer and gets the same or better answers. Keep every"
            + " {{placeholder}} exactly as written. Answer with the rewritten prompt only, no explanation.";

    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\{?\\s*[#^/&]?\\s*([A-Za-z_][A-Za-z0-9_.]*)");
    private static final Pattern EXAMPLE = Pattern.compile("(?i)^\\s*(example\\b|e\\.g\\.|q:|question:|input:|user:)");
    private static final Pattern JSON_ONLY = Pattern.compile(
            "(?is).*(json only|only (valid )?json|nothing but json" + "|json object and nothing else).*");

    private Optimizer() {}

    static List<Suggestion> rewrites(PromptVersion version, boolean expectsJson) {
        List<Suggestion> out = new ArrayList<>();
        add(
                out,
                version,
                "whitespace",
                "remove redundant whitespace (trailing spaces, repeated blank lines and" + " spaces)",
                Optimizer::whitespace);
        add(out, version, "redundant-instructions", "remove instructions written more than once", Optimizer::dedupe);
        add(out, version, "prune-few-shot", "keep only the first few-shot example", Optimizer::pruneExamples);
        if (expectsJson) {
            String all = String.join(
                    "\n",
                    version.asMessages().stream().map(PromptMessage::content).toList());
            if (!JSON_ONLY.matcher(all).matches()) {
                List<PromptMessage> messages = new ArrayList<>(version.asMessages());
                int last = messages.size() - 1;
                for (int i = messages.size() - 1; i >= 0; i--) {
                    if (!messages.get(i).role().equals("assistant")) {
                        last = i;
                        break;
                    }
                }
                PromptMessage target = messages.get(last);
                messages.set(
                        last,
                        new PromptMessage(
                                target.role(),
                                target.content().stripTrailing()
                                        + "\n\nRespond with a single JSON object and nothing else."));
                out.add(new Suggestion(
                        "tighten-output-format",
                        "ask for JSON only, as the evaluators expect",
                        RunExecution.withMessages(version, messages),
                        null));
            }
        }
        return out;
    }

    private static void add(
            List<Suggestion> out,
            PromptVersion version,
            String kind,
            String description,
            UnaryOperator<String> change) {
        List<PromptMessage> changed = new ArrayList<>();
        boolean any = false;
        for (PromptMessage message : version.asMessages()) {
            String text = change.apply(message.content());
            any |= !text.equals(message.content());
            changed.add(new PromptMessage(message.role(), text.isBlank() ? message.content() : text));
        }
        if (any) {
            out.add(new Suggestion(kind, description, RunExecution.withMessages(version, changed), null));
        }
    }

    static String whitespace(String text) {
        String out = text.replaceAll("[ \\t]+\\n", "\n")
                .replaceAll("\\n{3,}", "\n\n")
                .replaceAll("(?<=\\S)[ \\t]{2,}", " ");
        return out.strip();
    }

    /** Drops a line or sentence that repeats an earlier one (ignoring case and spacing). */
    static String dedupe(String text) {
        Set<String> seen = new HashSet<>();
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            StringBuilder kept = new StringBuilder();
            for (String sentence : line.split("(?<=[.!?])\\s+")) {
                String key = sentence.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
                if (key.length() >= 12 && !key.contains("{{") && !seen.add(key)) {
                    continue;
                }
                kept.append(kept.isEmpty() ? "" : " ").append(sentence);
            }
            if (kept.toString().isBlank() && !line.isBlank()) {
                continue;
            }
            out.append(kept).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    /** Keeps the first of several few-shot example paragraphs. */
    static String pruneExamples(String text) {
        String[] paragraphs = text.split("\\n\\s*\\n");
        List<Integer> examples = new ArrayList<>();
        for (int i = 0; i < paragraphs.length; i++) {
            if (EXAMPLE.matcher(paragraphs[i]).find() && !paragraphs[i].contains("{{")) {
                examples.add(i);
            }
        }
        if (examples.size() < 2) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < paragraphs.length; i++) {
            if (examples.contains(i) && i != examples.getFirst()) {
                continue;
            }
            out.append(out.isEmpty() ? "" : "\n\n").append(paragraphs[i]);
        }
        return out.toString();
    }

    static Set<String> variables(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * A model's rewrite of the version's main text (the template, else the system message, else the
     * last user message); rejected when it drops or adds a variable.
     */
    static Suggestion llmRewrite(PromptVersion version, UnaryOperator<String> model, int attempt) {
        List<PromptMessage> messages = new ArrayList<>(version.asMessages());
        int target = messages.size() - 1;
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).role().equals("system")) {
                target = i;
                break;
            }
        }
        if (!messages.get(target).role().equals("system")) {
            for (int i = messages.size() - 1; i >= 0; i--) {
                if (messages.get(i).role().equals("user")) {
                    target = i;
                    break;
                }
            }
        }
        String original = messages.get(target).content();
        String rewritten = strip(model.apply(
                attempt == 1
                        ? original
                        : original + "\n\n(Alternative rewrite #" + attempt + ": try a different wording.)"));
        String kind = "llm-rewrite";
        String description = "a rewrite by a model (attempt " + attempt + ")";
        if (rewritten.isBlank()) {
            return new Suggestion(kind, description, null, "the model answered with an empty prompt");
        }
        Set<String> before = variables(original);
        Set<String> after = variables(rewritten);
        if (!before.equals(after)) {
            return new Suggestion(
                    kind,
                    description,
                    null,
                    "the rewrite changes the variables from " + before + " to " + after + "; it was not tested");
        }
        messages.set(target, new PromptMessage(messages.get(target).role(), rewritten));
        return new Suggestion(kind, description, RunExecution.withMessages(version, messages), null);
    }

    /** A rewrite without the code fence a model may wrap it in. */
    private static String strip(String text) {
        String t = text.strip();
        if (t.startsWith("```") && t.endsWith("```") && t.length() >= 6) {
            t = t.substring(3, t.length() - 3);
            int newline = t.indexOf('\n');
            if (newline >= 0 && !t.substring(0, newline).contains(" ")) {
                t = t.substring(newline + 1);
            }
        }
        return t.strip();
    }
}
