package dev.promptforge.eval;

import static java.util.Objects.requireNonNull;

/** One chat message: {@code system}, {@code user} or {@code assistant}, and its text. */
public record Message(String role, String content) {
    public Message {
        requireNonNull(role, "role");
        requireNonNull(content, "content");
    }

    public static Message system(String content) {
        return new Message("system", content);
    }

    public static Message user(String content) {
        return new Message("user", content);
    }
}
