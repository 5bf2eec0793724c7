package dev.promptforge.bench.pii;

import dev.promptforge.pii.corpus.CorpusGenerator;
import dev.promptforge.pii.corpus.LabeledText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The texts every PII benchmark uses, generated deterministically from the held-out templates and
 * held-out names: short sentences (~100 characters, with entities), ~2 KB and ~100 KB of prose (one
 * filled template every six sentences on average), and ~2 KB of entity-dense text.
 */
public final class BenchTexts {

    public static final long SEED = 20261122L;

    /** A named benchmark input: several texts of one kind, used in turn. */
    public record Kind(String name, List<String> texts) {

        public double averageUtf8Bytes() {
            return texts.stream()
                    .mapToInt(t -> t.getBytes(StandardCharsets.UTF_8).length)
                    .average()
                    .orElse(0);
        }

        public double averageChars() {
            return texts.stream().mapToInt(String::length).average().orElse(0);
        }
    }

    private BenchTexts() {}

    public static List<Kind> all() {
        return List.of(shortSentences(), prose2k(), prose100k(), dense2k());
    }

    public static Kind byName(String name) {
        return all().stream()
                .filter(k -> k.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no bench text '" + name + "'"));
    }

    /** Sixteen texts of 85 to 115 characters with at least one entity each. */
    public static Kind shortSentences() {
        CorpusGenerator generator = generator(1);
        List<String> texts = new ArrayList<>();
        while (texts.size() < 16) {
            for (LabeledText doc : generator.documents(200)) {
                int n = doc.text().length();
                if (n >= 85 && n <= 115 && !doc.spans().isEmpty() && texts.size() < 16) {
                    texts.add(doc.text());
                }
            }
        }
        return new Kind("short", List.copyOf(texts));
    }

    public static Kind prose2k() {
        CorpusGenerator generator = generator(2);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            texts.add(generator.prose(2048, 6).text());
        }
        return new Kind("prose-2k", List.copyOf(texts));
    }

    public static Kind prose100k() {
        return new Kind("prose-100k", List.of(generator(3).prose(100_000, 6).text()));
    }

    public static Kind dense2k() {
        CorpusGenerator generator = generator(4);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            texts.add(generator.prose(2048, 1).text());
        }
        return new Kind("dense-2k", List.copyOf(texts));
    }

    private static CorpusGenerator generator(long salt) {
        return new CorpusGenerator(CorpusGenerator.Templates.HELD_OUT, CorpusGenerator.Names.TEST, SEED + salt);
    }
}
