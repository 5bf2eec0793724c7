package dev.promptforge.pii.corpus;

import dev.promptforge.pii.PiiAnalyzer;
import dev.promptforge.pii.PiiEntity;
import java.util.List;

// Development aid: scores the analyzer on the tuning templates and dev names, printing errors.
final class Tune {

    private Tune() {}

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int errors = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        CorpusGenerator.Templates templates =
                args.length > 2 ? CorpusGenerator.Templates.valueOf(args[2]) : CorpusGenerator.Templates.TUNING;
        CorpusGenerator.Names names =
                args.length > 3 ? CorpusGenerator.Names.valueOf(args[3]) : CorpusGenerator.Names.DEV;
        PiiAnalyzer analyzer = PiiAnalyzer.withDefaults();
        Scorer scorer = new Scorer(errors);
        for (LabeledText doc : new CorpusGenerator(templates, names, 7).documents(count)) {
            List<Span> predicted = analyzer.analyze(doc.text()).stream()
                    .map((PiiEntity e) -> new Span(e.type(), e.start(), e.end()))
                    .toList();
            scorer.add(doc, predicted);
        }
        System.out.println(scorer.table());
        scorer.errors().forEach(System.out::println);
    }
}
