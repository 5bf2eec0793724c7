package dev.promptforge.server.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A record's stored (anonymized) text, cut into pieces so the page can mark the PII placeholders
 * ({@code <PERSON_1>}, {@code <EMAIL_ADDRESS_2>} …). The pieces are plain strings: the templates escape
 * them like any other user content.
 */
final class RecordText {

    private static final Pattern PLACEHOLDER = Pattern.compile("<[A-Z][A-Z0-9_]*_\\d+>");

    private RecordText() {}

    /** A piece of text; {@code placeholder} when it stands for personal data that was replaced. */
    record Piece(String text, boolean placeholder) {}

    /** One message of the input, with its role. */
    record Message(String role, List<Piece> pieces) {}

    static List<Message> messages(@Nullable Object input) {
        List<Message> messages = new ArrayList<>();
        if (input instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> map) {
                    Object role = map.get("role");
                    Object content = map.get("content");
                    messages.add(new Message(
                            role == null ? "message" : String.valueOf(role),
                            highlight(
                                    content == null ? "" : content instanceof String s ? s : String.valueOf(content))));
                }
            }
        } else if (input != null) {
            messages.add(new Message("input", highlight(String.valueOf(input))));
        }
        return messages;
    }

    static List<Piece> highlight(@Nullable String text) {
        List<Piece> pieces = new ArrayList<>();
        if (text == null) {
            return pieces;
        }
        Matcher matcher = PLACEHOLDER.matcher(text);
        int at = 0;
        while (matcher.find()) {
            if (matcher.start() > at) {
                pieces.add(new Piece(text.substring(at, matcher.start()), false));
            }
            pieces.add(new Piece(matcher.group(), true));
            at = matcher.end();
        }
        if (at < text.length()) {
            pieces.add(new Piece(text.substring(at), false));
        }
        return pieces;
    }

    /** The first user message, shortened, for a table cell. */
    static String summary(@Nullable Object input, int max) {
        List<Message> messages = messages(input);
        String text = messages.stream()
                .filter(m -> m.role().equals("user"))
                .findFirst()
                .or(() -> messages.stream().findFirst())
                .map(m -> String.join("", m.pieces().stream().map(Piece::text).toList()))
                .orElse("");
        text = text.replaceAll("\\s+", " ").strip();
        return text.length() > max ? text.substring(0, max) + "…" : text;
    }
}
