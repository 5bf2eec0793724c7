package dev.promptforge.pii;

import java.util.List;

// Test helper: what the analyzer found, as "TYPE:text" strings in text order.
final class Found {

    static final PiiAnalyzer ANALYZER = PiiAnalyzer.withDefaults();

    private Found() {}

    static List<String> in(String text) {
        return in(ANALYZER, text, AnalysisOptions.defaults());
    }

    static List<String> in(PiiAnalyzer analyzer, String text, AnalysisOptions options) {
        return analyzer.analyze(text, options).stream()
                .map(e -> e.type() + ":" + e.textIn(text))
                .toList();
    }
}
