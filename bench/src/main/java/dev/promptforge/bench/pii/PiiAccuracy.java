package dev.promptforge.bench.pii;

import dev.promptforge.pii.PiiAnalyzer;
import dev.promptforge.pii.corpus.CorpusGenerator;
import dev.promptforge.pii.corpus.LabeledText;
import dev.promptforge.pii.corpus.Scorer;
import dev.promptforge.pii.corpus.Span;
import java.util.List;

/**
 * Prints precision, recall and F1 per entity of the default analyzer on generated labeled text.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.promptforge.bench.pii.PiiAccuracy \
 *     [--documents 20000] [--seed 42] [--templates HELD_OUT|TUNING] [--names TEST|DEV|GAZETTEER] [--errors 0]
 * </pre>
 */
public final class PiiAccuracy {

    private PiiAccuracy() {}

    public static void main(String[] args) {
        int documents = 20_000;
        long seed = 42;
        CorpusGenerator.Templates templates = CorpusGenerator.Templates.HELD_OUT;
        CorpusGenerator.Names names = CorpusGenerator.Names.TEST;
        int errors = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--documents" -> documents = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--templates" -> templates = CorpusGenerator.Templates.valueOf(args[++i]);
                case "--names" -> names = CorpusGenerator.Names.valueOf(args[++i]);
                case "--errors" -> errors = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        List<LabeledText> corpus = new CorpusGenerator(templates, names, seed).documents(documents);
        Scorer scorer = score(PiiAnalyzer.withDefaults(), corpus, errors);
        System.out.printf(
                "PromptForge PII analyzer, %d documents, templates %s, names %s, seed %d%n%n",
                documents, templates, names, seed);
        System.out.print(scorer.table());
        scorer.errors().forEach(System.out::println);
    }

    static Scorer score(PiiAnalyzer analyzer, List<LabeledText> corpus, int errors) {
        Scorer scorer = new Scorer(errors);
        for (LabeledText doc : corpus) {
            List<Span> predicted = analyzer.analyze(doc.text()).stream()
                    .map(e -> new Span(e.type(), e.start(), e.end()))
                    .toList();
            scorer.add(doc, predicted);
        }
        return scorer;
    }
}
