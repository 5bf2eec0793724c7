package dev.promptforge.server.lab.dataset;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One item of a dataset. Items are immutable: a change is a removal and an addition, each a new
 * version of the dataset.
 *
 * @param id the item's id, stable across versions
 * @param name an optional name a pipeline's {@code testDataset} can select it by
 * @param vars the template variables
 * @param expected promptfoo assertion strings ({@code contains:refund}, {@code icontains-any:a,b};
 *     plain text means {@code equals}); empty when none
 * @param context text the answer should come from; available to the template as {@code context}
 * @param metadata free-form data (a production record's id and score, tags …)
 * @param addedIn the dataset version that added it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetItem(
        String id,
        @Nullable String name,
        Map<String, Object> vars,
        List<String> expected,
        @Nullable String context,
        Map<String, Object> metadata,
        int addedIn) {

    public DatasetItem {
        requireNonNull(id, "id");
        vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
        expected = List.copyOf(expected);
        metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }

    /** The variables a template sees: the item's vars, with {@code context} when it has one. */
    public Map<String, Object> templateVars() {
        if (context == null || vars.containsKey("context")) {
            return vars;
        }
        Map<String, Object> all = new java.util.LinkedHashMap<>(vars);
        all.put("context", context);
        return all;
    }
}
