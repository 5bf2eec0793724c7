package dev.promptforge.bench.pii;

import dev.promptforge.pii.PiiAnalyzer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The full default recognizer set on the texts of {@link BenchTexts}: average time per text. Divide
 * the average text size (printed by PiiPeer and in PII-BENCH.md) by the time for MB/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PiiAnalyzerBenchmark {

    @Param({"short", "prose-2k", "prose-100k", "dense-2k"})
    public String text;

    private PiiAnalyzer analyzer;
    private List<String> texts;
    private int next;

    @Setup
    public void setUp() {
        analyzer = PiiAnalyzer.withDefaults();
        texts = BenchTexts.byName(text).texts();
    }

    @Benchmark
    public Object analyze() {
        String input = texts.get(next);
        next = next + 1 == texts.size() ? 0 : next + 1;
        return analyzer.analyze(input);
    }
}
