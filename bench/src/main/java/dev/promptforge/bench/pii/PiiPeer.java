package dev.promptforge.bench.pii;

import dev.promptforge.pii.PiiAnalyzer;
import dev.promptforge.pii.corpus.CorpusGenerator;
import dev.promptforge.pii.corpus.LabeledText;
import dev.promptforge.pii.corpus.Scorer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs PromptForge and redact-pii (through bench/peer/run.js) on the same texts in one run and
 * prints their speed and accuracy side by side. Both are timed the same way, one thread each: a
 * warm-up of W seconds per text kind, then R rounds in which the two alternate kind by kind, each
 * running as many calls as fit in M seconds; each side's best round is reported, so bursts of load
 * from other processes on the machine penalize neither side more than the other.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.promptforge.bench.pii.PiiPeer \
 *     --peer-dir bench/peer --out bench/target/peer [--node node] [--documents 5000] [--warmup 5] [--measure 1]
 *     [--rounds 10]
 * </pre>
 */
public final class PiiPeer {

    private PiiPeer() {}

    public static void main(String[] args) throws Exception {
        Path peerDir = Path.of("bench/peer");
        Path out = Path.of("bench/target/peer");
        String node = "node";
        int documents = 5_000;
        long seed = 42;
        double warmup = 5;
        double measure = 1;
        int rounds = 10;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--peer-dir" -> peerDir = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--node" -> node = args[++i];
                case "--documents" -> documents = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--measure" -> measure = Double.parseDouble(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Files.createDirectories(out);
        String runJs = peerDir.resolve("run.js").toAbsolutePath().toString();

        // the same texts for both
        List<BenchTexts.Kind> kinds = BenchTexts.all();
        Path textsFile = out.resolve("texts.json");
        writeTexts(kinds, textsFile);
        List<LabeledText> corpus = new CorpusGenerator(
                        CorpusGenerator.Templates.HELD_OUT, CorpusGenerator.Names.TEST, seed)
                .documents(documents);
        Path labeled = out.resolve("labeled.jsonl");
        try (Writer w = Files.newBufferedWriter(labeled, StandardCharsets.UTF_8)) {
            for (LabeledText doc : corpus) {
                w.write("{\"text\":" + Json.string(doc.text()) + "}\n");
            }
        }

        // speed: warm both up, then alternate them kind by kind for R rounds; keep each side's best
        String loadBefore = load();
        PiiAnalyzer analyzer = PiiAnalyzer.withDefaults();
        Map<String, Double> ours = new LinkedHashMap<>();
        Map<String, Double> theirs = new LinkedHashMap<>();
        Process peer = new ProcessBuilder(node, runJs, "serve", textsFile.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (Writer toPeer = new java.io.OutputStreamWriter(peer.getOutputStream(), StandardCharsets.UTF_8);
                BufferedReader fromPeer =
                        new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8))) {
            for (BenchTexts.Kind kind : kinds) {
                time(analyzer, kind.texts(), warmup, 0.01);
                ask(toPeer, fromPeer, "warmup " + kind.name() + " " + warmup);
            }
            for (int round = 1; round <= rounds; round++) {
                for (BenchTexts.Kind kind : kinds) {
                    ours.merge(kind.name(), time(analyzer, kind.texts(), 0, measure), Math::min);
                    theirs.merge(
                            kind.name(), ask(toPeer, fromPeer, "measure " + kind.name() + " " + measure), Math::min);
                }
            }
        }
        if (peer.waitFor() != 0) {
            throw new IllegalStateException("the redact-pii process exited with " + peer.exitValue());
        }
        String loadAfter = load();

        // accuracy on the labeled held-out set
        Scorer ourScore = PiiAccuracy.score(analyzer, corpus, 0);
        Path predictions = out.resolve("redact-pii.jsonl");
        run(node, runJs, "predict", labeled.toString(), predictions.toString());
        List<String> lines = Files.readAllLines(predictions, StandardCharsets.UTF_8);
        if (lines.size() != corpus.size()) {
            throw new IllegalStateException(
                    "redact-pii wrote " + lines.size() + " lines for " + corpus.size() + " texts");
        }
        Scorer peerScore = new Scorer();
        for (int i = 0; i < corpus.size(); i++) {
            peerScore.add(corpus.get(i), Json.entities(lines.get(i)));
        }

        System.out.printf(
                Locale.ROOT,
                "%nSpeed (one thread each; per text kind %.1f s warm-up, then %d rounds alternating the two, %.1f s"
                        + " each; best round per side;"
                        + " Java %s, node %s; load average %s before, %s after)%n%n",
                warmup,
                rounds,
                measure,
                Runtime.version(),
                String.join("", run(node, "--version")).strip(),
                loadBefore,
                loadAfter);
        System.out.println(
                "| text | avg size (UTF-8 bytes) | PromptForge µs/op | PromptForge MB/s | redact-pii 3.4.0 µs/op "
                        + "| redact-pii MB/s | PromptForge speed-up |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (BenchTexts.Kind kind : kinds) {
            double bytes = kind.averageUtf8Bytes();
            double a = ours.get(kind.name());
            Double b = theirs.get(kind.name());
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %.0f | %.1f | %.1f | %s | %s | %s |%n",
                    kind.name(),
                    bytes,
                    a,
                    bytes / a,
                    b == null ? "-" : String.format(Locale.ROOT, "%.1f", b),
                    b == null ? "-" : String.format(Locale.ROOT, "%.2f", bytes / b),
                    b == null ? "-" : String.format(Locale.ROOT, "%.1fx", b / a));
        }
        System.out.printf("%nAccuracy on %d held-out documents (seed %d)%n%n", documents, seed);
        System.out.println(
                "| entity | support | PromptForge P / R / F1 | redact-pii P / R / F1 | PromptForge chars covered "
                        + "| redact-pii chars covered |");
        System.out.println("| --- | ---: | --- | --- | ---: | ---: |");
        Set<String> types = new TreeSet<>(ourScore.byType().keySet());
        for (String type : types) {
            Scorer.Counts a = ourScore.byType().get(type);
            Scorer.Counts b = peerScore.byType().getOrDefault(type, new Scorer.Counts());
            if (a.support() == 0) {
                continue;
            }
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %d | %.3f / %.3f / %.3f | %s | %.4f | %.4f |%n",
                    type,
                    a.support(),
                    a.precision(),
                    a.recall(),
                    a.f1(),
                    b.truePositives + b.falsePositives == 0
                            ? "– / 0.000 / 0.000 (never predicted)"
                            : String.format(Locale.ROOT, "%.3f / %.3f / %.3f", b.precision(), b.recall(), b.f1()),
                    a.coverage(),
                    peerScore.byType().containsKey(type) ? b.coverage() : 0.0);
        }
        Scorer.Counts a = ourScore.micro();
        Scorer.Counts b = peerScore.micro();
        System.out.printf(
                Locale.ROOT,
                "| **all types (micro)** | %d | %.3f / %.3f / %.3f | %.3f / %.3f / %.3f | %.4f | %.4f |%n",
                a.support(),
                a.precision(),
                a.recall(),
                a.f1(),
                b.precision(),
                b.recall(),
                b.f1(),
                a.coverage(),
                b.coverage());
        a = ourScore.anyType();
        b = peerScore.anyType();
        System.out.printf(
                Locale.ROOT,
                "| **any type (redaction)** | %d | %.3f / %.3f / %.3f | %.3f / %.3f / %.3f | %.4f | %.4f |%n",
                a.support(),
                a.precision(),
                a.recall(),
                a.f1(),
                b.precision(),
                b.recall(),
                b.f1(),
                a.coverage(),
                b.coverage());
        Set<String> peerOnly = new TreeSet<>(peerScore.byType().keySet());
        peerOnly.removeAll(types);
        for (String type : peerOnly) {
            Scorer.Counts c = peerScore.byType().get(type);
            System.out.printf(
                    "%nredact-pii also labeled %d spans %s (a type the labeled set does not use)",
                    c.falsePositives, type);
        }
        System.out.println();
    }

    // Microseconds per call over a measured interval after a warm-up, cycling through the texts.
    static double time(PiiAnalyzer analyzer, List<String> texts, double warmupSeconds, double measureSeconds) {
        long sink = 0;
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        int i = 0;
        while (System.nanoTime() < warmupEnd) {
            sink += analyzer.analyze(texts.get(i++ % texts.size())).size();
        }
        long calls = 0;
        long start = System.nanoTime();
        long end = start + (long) (measureSeconds * 1e9);
        long now;
        do {
            sink += analyzer.analyze(texts.get(i++ % texts.size())).size();
            calls++;
            now = System.nanoTime();
        } while (now < end);
        if (sink == 42) {
            System.out.print("");
        }
        return (now - start) / 1e3 / calls;
    }

    private static double ask(Writer toPeer, BufferedReader fromPeer, String command) throws IOException {
        toPeer.write(command + "\n");
        toPeer.flush();
        String answer = fromPeer.readLine();
        if (answer == null) {
            throw new IllegalStateException("the redact-pii process stopped answering");
        }
        return Double.parseDouble(answer.strip());
    }

    private static String load() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static void writeTexts(List<BenchTexts.Kind> kinds, Path file) throws IOException {
        StringBuilder b = new StringBuilder("{");
        for (int k = 0; k < kinds.size(); k++) {
            BenchTexts.Kind kind = kinds.get(k);
            b.append(k == 0 ? "" : ",").append(Json.string(kind.name())).append(":[");
            for (int t = 0; t < kind.texts().size(); t++) {
                b.append(t == 0 ? "" : ",").append(Json.string(kind.texts().get(t)));
            }
            b.append(']');
        }
        Files.writeString(file, b.append("}\n"), StandardCharsets.UTF_8);
    }

    private static List<String> run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        }
        int code = process.waitFor();
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + code);
        }
        return lines;
    }
}
