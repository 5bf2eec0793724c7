package dev.promptforge.eval.suite;

import static java.util.Objects.requireNonNull;

import dev.promptforge.eval.Message;
import dev.promptforge.eval.ProviderRequest;
import dev.promptforge.eval.template.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One prompt of a suite: a template over the test's variables. A prompt that renders to a JSON list
 * of {@code {role, content}} messages is a chat (as in promptfoo); any other text is one user
 * message.
 */
public record SuitePrompt(String label, Template template, Location location) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public SuitePrompt {
        requireNonNull(label, "label");
        requireNonNull(template, "template");
        requireNonNull(location, "location");
    }

    public String raw() {
        return template.source();
    }

    /** The request for one test: {@code prefix + rendered prompt + suffix}, as text and as messages. */
    public ProviderRequest render(Map<String, Object> vars, @Nullable String prefix, @Nullable String suffix) {
        String text = (prefix == null ? "" : prefix) + template.render(vars) + (suffix == null ? "" : suffix);
        List<Message> chat = chat(text);
        return new ProviderRequest(text, chat == null ? List.of(Message.user(text)) : chat, vars);
    }

    private static @Nullable List<Message> chat(String text) {
        String trimmed = text.strip();
        if (!trimmed.startsWith("[")) {
            return null;
        }
        JsonNode node;
        try {
            node = JSON.readTree(trimmed);
        } catch (JacksonException e) {
            return null;
        }
        if (!node.isArray() || node.isEmpty()) {
            return null;
        }
        List<Message> messages = new ArrayList<>();
        for (JsonNode item : node) {
            JsonNode role = item.get("role");
            JsonNode content = item.get("content");
            if (role == null || !role.isString() || content == null) {
                return null;
            }
            messages.add(new Message(role.asString(), contentText(content)));
        }
        return messages;
    }

    private static String contentText(JsonNode content) {
        if (content.isString()) {
            return content.asString();
        }
        if (content.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode part : content) {
                JsonNode text = part.get("text");
                if (text != null && text.isString()) {
                    parts.add(text.asString());
                }
            }
            return String.join("\n", parts);
        }
        return content.toString();
    }
}
