package dev.promptforge.server.dashboard;

import dev.promptforge.server.registry.PromptMessage;
import dev.promptforge.server.registry.PromptVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the variables back out of a record's rendered input, given the version's template: records
 * keep the rendered (anonymized) messages, not the variables, yet two versions answer "the same
 * input" when they ran on the same variables. Works for templates of plain tags ({@code {{x}}},
 * {@code {{{x}}}}, {@code {{&x}}}); a template with sections or comments gives null, and so does a
 * rendered input the template does not match.
 */
final class TemplateInputs {

    private static final Pattern TAG = Pattern.compile("\\{\\{(\\{|&)?\\s*([A-Za-z0-9_.-]+)\\s*}?}}");

    private final List<Pattern> patterns;
    private final List<List<String>> names;
    private final List<String> roles;

    private TemplateInputs(List<Pattern> patterns, List<List<String>> names, List<String> roles) {
        this.patterns = patterns;
        this.names = names;
        this.roles = roles;
    }

    /** The reader of a version's inputs, or null when its template uses more than plain tags. */
    static @Nullable TemplateInputs of(PromptVersion version) {
        List<Pattern> patterns = new ArrayList<>();
        List<List<String>> names = new ArrayList<>();
        List<String> roles = new ArrayList<>();
        for (PromptMessage message : version.asMessages()) {
            String template = message.content();
            if (template.matches("(?s).*\\{\\{\\s*[#^/!>=].*")) {
                return null;
            }
            StringBuilder regex = new StringBuilder();
            List<String> vars = new ArrayList<>();
            Matcher tag = TAG.matcher(template);
            int at = 0;
            while (tag.find()) {
                regex.append(Pattern.quote(template.substring(at, tag.start())));
                regex.append("(.*?)");
                vars.add(tag.group(2));
                at = tag.end();
            }
            regex.append(Pattern.quote(template.substring(at)));
            patterns.add(Pattern.compile(regex.toString(), Pattern.DOTALL));
            names.add(vars);
            roles.add(message.role());
        }
        return new TemplateInputs(patterns, names, roles);
    }

    /** The variables a record's stored input was rendered with (sorted by name), or null when it does not match. */
    @Nullable
    Map<String, String> variables(@Nullable Object input) {
        if (!(input instanceof List<?> messages) || messages.size() != patterns.size()) {
            return null;
        }
        Map<String, String> values = new TreeMap<>();
        for (int i = 0; i < patterns.size(); i++) {
            if (!(messages.get(i) instanceof Map<?, ?> message)
                    || !roles.get(i).equals(String.valueOf(message.get("role")))
                    || !(message.get("content") instanceof String content)) {
                return null;
            }
            Matcher matcher = patterns.get(i).matcher(content);
            if (!matcher.matches()) {
                return null;
            }
            List<String> vars = names.get(i);
            for (int g = 0; g < vars.size(); g++) {
                String value = matcher.group(g + 1);
                String earlier = values.putIfAbsent(vars.get(g), value);
                if (earlier != null && !earlier.equals(value)) {
                    return null;
                }
            }
        }
        return values;
    }
}
