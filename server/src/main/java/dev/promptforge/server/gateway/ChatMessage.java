package dev.promptforge.server.gateway;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One chat message. {@code content} is a string or, as OpenAI allows, a list of content parts (maps
 * with {@code type} and {@code text} …); {@code extra} keeps the message's other fields ({@code name},
 * {@code tool_calls}, {@code tool_call_id} …) so a proxied message is forwarded untouched.
 */
public record ChatMessage(String role, @Nullable Object content, Map<String, Object> extra) {

    public static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");

    public ChatMessage {
        requireNonNull(role, "role");
        extra = Map.copyOf(extra);
    }

    public static ChatMessage of(String role, String content) {
        return new ChatMessage(role, content, Map.of());
    }

    /** The text of the message: the string content, or its text parts joined. */
    public String text() {
        if (content instanceof String s) {
            return s;
        }
        if (content instanceof List<?> parts) {
            StringBuilder text = new StringBuilder();
            for (Object part : parts) {
                if (part instanceof Map<?, ?> map && map.get("text") instanceof String s) {
                    if (!text.isEmpty()) {
                        text.append('\n');
                    }
                    text.append(s);
                }
            }
            return text.toString();
        }
        return "";
    }
}
