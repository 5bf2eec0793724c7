package dev.promptforge.pii;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

final class DefaultPiiAnalyzer implements PiiAnalyzer {

    // Validated first, then context-supported (the nearer context first), then the higher score, the
    // longer span, the earlier start.
    private static int rank(Candidate a, Candidate b) {
        if (a.tier != b.tier) {
            return b.tier.compareTo(a.tier);
        }
        if (a.tier == Tier.CONTEXT && a.contextDistance != b.contextDistance) {
            return Integer.compare(a.contextDistance, b.contextDistance);
        }
        if (a.score != b.score) {
            return Double.compare(b.score, a.score);
        }
        if (a.length() != b.length()) {
            return Integer.compare(b.length(), a.length());
        }
        return Integer.compare(a.start, b.start);
    }

    private final List<Recognizer> recognizers;
    private final Set<String> types;
    private final Map<String, Double> thresholds;
    private final double defaultThreshold;
    private final Duration timeBudget;
    private final Map<Recognizer, Context> pluginContexts = new IdentityHashMap<>();

    DefaultPiiAnalyzer(
            List<Recognizer> recognizers,
            Set<String> types,
            Map<String, Double> thresholds,
            double defaultThreshold,
            Duration timeBudget) {
        this.recognizers = List.copyOf(recognizers);
        this.types = Set.copyOf(types);
        this.thresholds = Map.copyOf(thresholds);
        this.defaultThreshold = defaultThreshold;
        this.timeBudget = timeBudget;
        for (Recognizer recognizer : recognizers) {
            if (!(recognizer instanceof ScanRecognizer)) {
                pluginContexts.put(recognizer, pluginContext(recognizer));
            }
        }
    }

    @Override
    public List<PiiEntity> analyze(String text) {
        return analyze(text, AnalysisOptions.defaults());
    }

    @Override
    public List<PiiEntity> analyze(String text, AnalysisOptions options) {
        if (text == null) {
            throw new NullPointerException("text");
        }
        if (options == null) {
            throw new NullPointerException("options");
        }
        if (text.isEmpty()) {
            return List.of();
        }
        Duration budget = options.timeBudget() != null ? options.timeBudget() : timeBudget;
        Scan scan = new Scan(text, budget);
        Set<String> wanted = options.entities();
        Sink sink = new Sink();
        run(recognizers, scan, sink, wanted, text);
        if (!options.recognizers().isEmpty()) {
            checkAdHocNames(options.recognizers());
            run(options.recognizers(), scan, sink, wanted, text);
        }
        List<Candidate> kept = new ArrayList<>(sink.candidates.size());
        Set<String> allow = options.allowList().isEmpty() ? Set.of() : normalized(options.allowList());
        for (Candidate candidate : sink.candidates) {
            if (!wanted.isEmpty() && !wanted.contains(candidate.type)) {
                continue;
            }
            double threshold = threshold(candidate.type, options);
            Context context = candidate.context;
            double best = context == null ? candidate.score : Math.max(context.floor, candidate.score + context.boost);
            if (best < threshold) {
                continue; // not even context could lift it
            }
            applyContext(scan, candidate);
            if (candidate.score < threshold) {
                continue;
            }
            if (!allow.isEmpty()
                    && allow.contains(text.substring(candidate.start, candidate.end)
                            .strip()
                            .toLowerCase(Locale.ROOT))) {
                continue;
            }
            kept.add(candidate);
        }
        scan.checkDeadline();
        return resolve(kept);
    }

    @Override
    public Set<String> entityTypes() {
        return types;
    }

    private void run(List<Recognizer> list, Scan scan, Sink sink, Set<String> wanted, String text) {
        for (Recognizer recognizer : list) {
            if (!wanted.isEmpty() && disjoint(wanted, recognizer.entityTypes())) {
                continue;
            }
            if (recognizer instanceof ScanRecognizer builtIn) {
                builtIn.scan(scan, sink);
            } else {
                Context context = pluginContexts.get(recognizer);
                if (context == null) {
                    context = pluginContext(recognizer);
                }
                for (PiiEntity entity : recognizer.recognize(text)) {
                    if (entity.end() > text.length()) {
                        throw new IllegalStateException("recognizer '" + recognizer.name()
                                + "' returned a span beyond the text: [" + entity.start() + ", " + entity.end()
                                + ")");
                    }
                    sink.add(
                            entity.type(),
                            entity.start(),
                            entity.end(),
                            entity.score(),
                            Tier.WEAK,
                            recognizer.name(),
                            context,
                            false);
                }
            }
            scan.checkDeadline();
        }
    }

    private void checkAdHocNames(List<Recognizer> adHoc) {
        Set<String> names = new HashSet<>();
        for (Recognizer recognizer : recognizers) {
            names.add(recognizer.name());
        }
        for (Recognizer recognizer : adHoc) {
            if (!names.add(recognizer.name())) {
                throw new IllegalArgumentException(
                        "ad-hoc recognizer '" + recognizer.name() + "' has the name of another recognizer");
            }
        }
    }

    private double threshold(String type, AnalysisOptions options) {
        Double own = options.thresholds().get(type);
        if (own != null) {
            return own;
        }
        return thresholds.getOrDefault(type, defaultThreshold);
    }

    static void applyContext(Scan scan, Candidate candidate) {
        Context context = candidate.context;
        int positive = context == null || context.isEmpty() ? -1 : context.rank(scan, candidate.start, candidate.end);
        int negative = candidate.negatable
                ? Context.NEGATIVE.nearest(scan, candidate.start, candidate.end, candidate.negativeWindow, 0)
                : -1;
        if (positive >= 0 && (negative < 0 || positive <= 2 * negative)) {
            candidate.score = Math.min(1.0, Math.max(context.floor, candidate.score + context.boost));
            candidate.contextDistance = positive;
            if (candidate.tier == Tier.WEAK) {
                candidate.tier = Tier.CONTEXT;
            }
        } else if (negative >= 0) {
            candidate.score *= candidate.tier == Tier.VALIDATED ? 0.5 : 0.2;
        }
    }

    // Exactly one label per character: greedy by rank, skipping anything that overlaps a kept span.
    static List<PiiEntity> resolve(List<Candidate> candidates) {
        if (candidates.isEmpty()) {
            return List.of();
        }
        candidates.sort(DefaultPiiAnalyzer::rank);
        // kept spans sorted by start; they never overlap, so their ends are sorted too
        List<Candidate> kept = new ArrayList<>(candidates.size());
        for (Candidate candidate : candidates) {
            int lo = 0;
            int hi = kept.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (kept.get(mid).start < candidate.start) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            // lo: the first kept span starting at or after the candidate
            if (lo > 0 && kept.get(lo - 1).end > candidate.start) {
                continue;
            }
            if (lo < kept.size() && kept.get(lo).start < candidate.end) {
                continue;
            }
            kept.add(lo, candidate);
        }
        PiiEntity[] entities = new PiiEntity[kept.size()];
        for (int i = 0; i < entities.length; i++) {
            entities[i] = kept.get(i).toEntity();
        }
        return List.of(entities);
    }

    private static Context pluginContext(Recognizer recognizer) {
        List<String> words = recognizer.context();
        return words == null || words.isEmpty() ? null : Context.of(0.35, 0.4, words);
    }

    private static Set<String> normalized(Set<String> texts) {
        Set<String> set = new HashSet<>();
        for (String text : texts) {
            set.add(text.strip().toLowerCase(Locale.ROOT));
        }
        return set;
    }

    private static boolean disjoint(Set<String> a, Set<String> b) {
        for (String type : b) {
            if (a.contains(type)) {
                return false;
            }
        }
        return true;
    }
}
