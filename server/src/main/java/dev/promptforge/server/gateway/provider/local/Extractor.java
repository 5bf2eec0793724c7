package dev.promptforge.server.gateway.provider.local;

import dev.promptforge.server.gateway.ChatMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers a question from the context around it, without a model: it finds the question (a line
 * starting with "Question:", else the last sentence ending in '?', else the last user message),
 * splits the rest of the prompt into sentences, and returns the (at most two) sentences sharing the
 * most content words with the question, in their original order. With no overlap it says it does
 * not know, so an evaluator can tell a grounded answer from a guess.
 */
final class Extractor {

    static final String UNKNOWN = "I don't know: the context does not say.";
    private static final Pattern QUESTION_LINE = Pattern.compile("(?im)^\\s*(?:question|q)\\s*:\\s*(.+)$");
    private static final Pattern SENTENCE = Pattern.compile("[^.!?\\n]+[.!?]?");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final Set<String> STOP_WORDS = Set.of(
            "a",
            "an",
            "the",
            "and",
            "or",
            "but",
            "if",
            "then",
            "of",
            "to",
            "in",
            "on",
            "at",
            "by",
            "for",
            "with",
            "from",
            "as",
            "is",
            "are",
            "was",
            "were",
            "be",
            "been",
            "being",
            "do",
            "does",
            "did",
            "have",
            "has",
            "had",
            "what",
            "which",
            "who",
            "whom",
            "whose",
            "when",
            "where",
            "why",
            "how",
            "i",
            "you",
            "he",
            "she",
            "it",
            "we",
            "they",
            "me",
            "my",
            "your",
            "our",
            "their",
            "this",
            "that",
            "these",
            "those",
            "can",
            "could",
            "would",
            "should",
            "will",
            "shall",
            "may",
            "might",
            "must",
            "not",
            "no",
            "yes",
            "there",
            "about",
            "any",
            "some",
            "all",
            "so",
            "than",
            "too",
            "very",
            "just",
            "question",
            "answer",
            "please");

    private Extractor() {}

    static String answer(List<ChatMessage> messages) {
        StringBuilder all = new StringBuilder();
        for (ChatMessage message : messages) {
            if (!message.role().equals("assistant")) {
                all.append(message.text()).append('\n');
            }
        }
        String prompt = all.toString();
        String question = question(prompt, messages);
        Set<String> questionWords = words(question);
        if (questionWords.isEmpty()) {
            return UNKNOWN;
        }
        String context = prompt.replace(question, " ");
        List<String> sentences = new ArrayList<>();
        Matcher m = SENTENCE.matcher(context);
        while (m.find()) {
            String sentence = m.group().strip();
            if (sentence.length() > 1) {
                sentences.add(sentence);
            }
        }
        int best = -1;
        int second = -1;
        double bestScore = 0;
        double secondScore = 0;
        for (int i = 0; i < sentences.size(); i++) {
            double score = score(words(sentences.get(i)), questionWords);
            if (score > bestScore) {
                second = best;
                secondScore = bestScore;
                best = i;
                bestScore = score;
            } else if (score > secondScore) {
                second = i;
                secondScore = score;
            }
        }
        if (best < 0) {
            return UNKNOWN;
        }
        if (second >= 0 && secondScore >= bestScore / 2) {
            return sentences.get(Math.min(best, second)) + " " + sentences.get(Math.max(best, second));
        }
        return sentences.get(best);
    }

    private static String question(String prompt, List<ChatMessage> messages) {
        Matcher line = QUESTION_LINE.matcher(prompt);
        String found = null;
        while (line.find()) {
            found = line.group(1).strip();
        }
        if (found != null) {
            return found;
        }
        Matcher sentence = Pattern.compile("[^.!?\\n]*\\?").matcher(prompt);
        while (sentence.find()) {
            found = sentence.group().strip();
        }
        if (found != null) {
            return found;
        }
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role().equals("user")) {
                return messages.get(i).text();
            }
        }
        return "";
    }

    private static double score(Set<String> sentence, Set<String> question) {
        int shared = 0;
        for (String word : sentence) {
            if (question.contains(word)) {
                shared++;
            }
        }
        return shared == 0 ? 0 : shared + shared / (double) (sentence.size() + 1);
    }

    static Set<String> words(String text) {
        Set<String> words = new HashSet<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            String word = m.group();
            if (!STOP_WORDS.contains(word)) {
                words.add(stem(word));
            }
        }
        return words;
    }

    /** A light suffix stripper so "fees" meets "fee" and "charged" meets "charge". */
    static String stem(String word) {
        String stem = word;
        if (stem.length() > 4 && stem.endsWith("ies")) {
            stem = stem.substring(0, stem.length() - 3) + "y";
        } else if (stem.length() > 5 && stem.endsWith("ing")) {
            stem = stem.substring(0, stem.length() - 3);
        } else if (stem.length() > 4 && stem.endsWith("ed")) {
            stem = stem.substring(0, stem.length() - 2);
        } else if (stem.length() > 3 && stem.endsWith("s") && !stem.endsWith("ss")) {
            stem = stem.substring(0, stem.length() - 1);
        }
        if (stem.length() > 3 && stem.endsWith("e")) {
            stem = stem.substring(0, stem.length() - 1);
        }
        return stem;
    }
}
