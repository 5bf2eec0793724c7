package dev.promptforge.pii;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.List;
import java.util.Set;

// A user-supplied regular expression, run on RE2J (linear time, no catastrophic backtracking).
final class PatternRecognizer extends ScanRecognizer {

    private final String type;
    private final Pattern pattern;
    private final double score;
    private final Context context;

    PatternRecognizer(String name, String type, Pattern pattern, double score, List<String> context) {
        super(name, Set.of(type));
        this.type = type;
        this.pattern = pattern;
        this.score = score;
        this.context = context.isEmpty() ? null : Context.of(0.35, 0.4, context);
    }

    @Override
    void scan(Scan scan, Sink sink) {
        Matcher matcher = pattern.matcher(scan.text);
        while (matcher.find()) {
            if (matcher.end() > matcher.start()) {
                sink.add(type, matcher.start(), matcher.end(), score, Tier.WEAK, name(), context, false);
            }
            scan.tick();
        }
    }
}
