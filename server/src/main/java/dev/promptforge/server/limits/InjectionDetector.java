package dev.promptforge.server.limits;

import static java.util.Objects.requireNonNull;

import dev.promptforge.server.shared.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The prompt-injection detector: the scored rules of {@code security/injection-rules.yml}, compiled
 * once into one Aho-Corasick automaton over their phrases. A scan reads each character once, lower
 * cased and with white space runs as one space, without building strings or backtracking; a clean
 * input allocates nothing but the scan itself.
 */
public final class InjectionDetector {

    /** What a flagged input matched. */
    public record Finding(double score, List<String> rules, String ruleSet) {
        public Finding {
            rules = List.copyOf(rules);
        }

        /** The JSON stored on the record: {@code {"score":…, "rules":[…], "ruleSet":"…"}}. */
        public String json() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("score", Math.round(score * 100) / 100.0);
            map.put("rules", rules);
            map.put("ruleSet", ruleSet);
            return Json.write(map);
        }
    }

    private record Rule(String id, double score) {}

    static final String RESOURCE = "/security/injection-rules.yml";

    private final String version;
    private final double threshold;
    private final Rule[] rules;
    // The automaton: goto as per-state char maps, failure links, and the rules each state completes.
    private final List<Map<Character, Integer>> next = new ArrayList<>();
    private int[] fail = new int[0];
    private final List<int[]> output = new ArrayList<>();
    // The full transition function for ASCII (state * 128 + char), failure links folded in, so the
    // common case is one array read per character; other characters walk the maps.
    private int[] ascii = new int[0];
    private int[][] outputs = new int[0][];

    InjectionDetector(double threshold) {
        this.threshold = threshold;
        JsonNode root;
        try (InputStream in = requireNonNull(InjectionDetector.class.getResourceAsStream(RESOURCE), RESOURCE)) {
            root = YAMLMapper.builder().build().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.version = root.get("version").asString();
        List<Rule> list = new ArrayList<>();
        next.add(new HashMap<>());
        output.add(new int[0]);
        for (JsonNode node : root.get("rules")) {
            int index = list.size();
            list.add(new Rule(node.get("id").asString(), node.get("score").asDouble()));
            for (JsonNode phrase : node.get("phrases")) {
                add(normalize(phrase.asString()), index);
            }
        }
        this.rules = list.toArray(Rule[]::new);
        link();
    }

    /** The rule set's version (its {@code version} field). */
    public String version() {
        return version;
    }

    /** A scan of one call's input; feed it every text, then ask for the finding. */
    public Scan scan() {
        return new Scan();
    }

    /** One pass over a call's texts. Not thread-safe; one per call. */
    public final class Scan {
        private final long[] matched = new long[(rules.length + 63) / 64];
        private int state;
        private boolean space = true;
        private boolean any;

        /** Feeds one text (messages are separated, so a phrase never spans two). */
        public Scan feed(@Nullable CharSequence text) {
            if (text == null) {
                return this;
            }
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c)) {
                    if (space) {
                        continue;
                    }
                    space = true;
                    c = ' ';
                } else {
                    space = false;
                    c = Character.toLowerCase(c);
                }
                step(c);
            }
            step(' ');
            state = 0;
            space = true;
            return this;
        }

        private void step(char c) {
            if (c < 128) {
                state = ascii[state * 128 + c];
            } else {
                state = walk(state, c);
            }
            for (int rule : outputs[state]) {
                matched[rule >>> 6] |= 1L << (rule & 63);
                any = true;
            }
        }

        private int walk(int from, char c) {
            int s = from;
            Integer to;
            while ((to = next.get(s).get(c)) == null && s != 0) {
                s = fail[s];
            }
            return to == null ? 0 : to;
        }

        /** The finding when the matched rules score at least the threshold, else null. */
        public @Nullable Finding finding() {
            if (!any) {
                return null;
            }
            double score = 0;
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < rules.length; i++) {
                if ((matched[i >>> 6] & (1L << (i & 63))) != 0) {
                    score += rules[i].score();
                    ids.add(rules[i].id());
                }
            }
            return score >= threshold ? new Finding(score, ids, version) : null;
        }
    }

    private static String normalize(String phrase) {
        return phrase.toLowerCase(Locale.ROOT).strip().replaceAll("\\s+", " ");
    }

    private void add(String phrase, int rule) {
        int s = 0;
        for (int i = 0; i < phrase.length(); i++) {
            char c = phrase.charAt(i);
            Integer to = next.get(s).get(c);
            if (to == null) {
                to = next.size();
                next.add(new HashMap<>());
                output.add(new int[0]);
                next.get(s).put(c, to);
            }
            s = to;
        }
        output.set(s, append(output.get(s), rule));
    }

    private void link() {
        fail = new int[next.size()];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int child : next.getFirst().values()) {
            fail[child] = 0;
            queue.add(child);
        }
        while (!queue.isEmpty()) {
            int s = queue.poll();
            for (Map.Entry<Character, Integer> edge : next.get(s).entrySet()) {
                char c = edge.getKey();
                int child = edge.getValue();
                queue.add(child);
                int f = fail[s];
                Integer to;
                while ((to = next.get(f).get(c)) == null && f != 0) {
                    f = fail[f];
                }
                fail[child] = to == null || to == child ? 0 : to;
                for (int rule : output.get(fail[child])) {
                    output.set(child, append(output.get(child), rule));
                }
            }
        }
        int states = next.size();
        outputs = output.toArray(int[][]::new);
        ascii = new int[states * 128];
        Scan walker = new Scan();
        for (int state = 0; state < states; state++) {
            for (char c = 0; c < 128; c++) {
                ascii[state * 128 + c] = walker.walk(state, c);
            }
        }
    }

    private static int[] append(int[] rules, int rule) {
        for (int r : rules) {
            if (r == rule) {
                return rules;
            }
        }
        int[] more = java.util.Arrays.copyOf(rules, rules.length + 1);
        more[rules.length] = rule;
        return more;
    }
}
