package dev.promptforge.eval;

import dev.promptforge.eval.template.Template;
import dev.promptforge.eval.template.TemplateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An assertion's expected value: strings (alone or in a list) are templates over the test's
 * variables, as promptfoo renders them; maps are taken as they are. The value's shape is checked
 * when the assertion is compiled if it is literal, else each time it is rendered.
 *
 * @param <T> the shape the assertion needs (a string, a list of strings, a JSON schema …)
 */
final class Expected<T> {

    private final Assertion assertion;
    private final @Nullable Object raw;
    private final @Nullable Template template;
    private final @Nullable List<@Nullable Template> itemTemplates;
    private final Function<@Nullable Object, T> shape;
    private final @Nullable T literal;

    private Expected(Assertion assertion, Function<@Nullable Object, T> shape) {
        this.assertion = assertion;
        this.raw = assertion.value();
        this.shape = shape;
        Template single = null;
        List<@Nullable Template> items = null;
        try {
            if (raw instanceof String s && !Template.isLiteral(s)) {
                single = Template.parse(s);
            } else if (raw instanceof List<?> list && list.stream().anyMatch(Expected::isTemplate)) {
                items = new ArrayList<>();
                for (Object item : list) {
                    items.add(isTemplate(item) ? Template.parse((String) item) : null);
                }
            }
        } catch (TemplateException e) {
            throw new InvalidAssertionException(assertion.type() + ": value: " + e.getMessage());
        }
        this.template = single;
        this.itemTemplates = items;
        if (single == null && items == null) {
            try {
                this.literal = shape.apply(raw);
            } catch (IllegalArgumentException e) {
                throw new InvalidAssertionException(assertion.type() + ": " + e.getMessage());
            }
        } else {
            this.literal = null;
        }
    }

    private static boolean isTemplate(@Nullable Object item) {
        return item instanceof String s && !Template.isLiteral(s);
    }

    static <T> Expected<T> of(Assertion assertion, Function<@Nullable Object, T> shape) {
        return new Expected<>(assertion, shape);
    }

    /** The value for one test: rendered with its variables, then shaped. */
    T get(AssertionContext context) {
        if (template == null && itemTemplates == null) {
            return literal;
        }
        Object rendered = render(context.vars());
        try {
            return shape.apply(rendered);
        } catch (IllegalArgumentException e) {
            throw new EvaluationException(assertion.type() + ": " + e.getMessage());
        }
    }

    private @Nullable Object render(Map<String, Object> vars) {
        if (template != null) {
            return template.render(vars);
        }
        List<@Nullable Object> out = new ArrayList<>();
        List<?> list = (List<?>) raw;
        for (int i = 0; i < list.size(); i++) {
            Template item = itemTemplates.get(i);
            out.add(item == null ? list.get(i) : item.render(vars));
        }
        return out;
    }
}
