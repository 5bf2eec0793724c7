package dev.promptforge.server.gateway.provider;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An incremental parser of a {@code text/event-stream} body (the WHATWG Server-Sent Events format):
 * bytes go in as they arrive, split anywhere (inside a line, a JSON value or a UTF-8 character), and
 * complete events come out. Lines end with LF, CRLF or CR; {@code data:} lines of one event are
 * joined with LF; comments ({@code :} lines), {@code id:} and {@code retry:} are ignored.
 *
 * <p>Unlike a browser it is lenient at the end of the body: {@link #finish()} also returns an event
 * whose closing blank line never came. It refuses an event larger than {@value #MAX_EVENT_BYTES}
 * bytes with an {@link IllegalStateException}, so a broken upstream cannot fill the memory.
 */
public final class ServerSentEvents {

    /** One event: its {@code event:} type ({@code message} when none was given) and its data. */
    public record Event(String type, String data) {}

    public static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;

    private static final String DEFAULT_TYPE = "message";

    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final StringBuilder data = new StringBuilder();
    private String type = DEFAULT_TYPE;
    private boolean hasData;
    private boolean afterCr;
    private boolean firstLine = true;

    /** Consumes the bytes and returns the events they complete, in order (often none). */
    public List<Event> feed(ByteBuffer bytes) {
        List<Event> events = new ArrayList<>(2);
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            if (afterCr) {
                afterCr = false;
                if (b == '\n') {
                    continue;
                }
            }
            if (b == '\r') {
                afterCr = true;
                endLine(events);
            } else if (b == '\n') {
                endLine(events);
            } else {
                if (line.size() + data.length() >= MAX_EVENT_BYTES) {
                    throw new IllegalStateException("an event larger than " + MAX_EVENT_BYTES + " bytes");
                }
                line.write(b);
            }
        }
        return events;
    }

    /** The end of the body: returns the event still pending, if any. */
    public List<Event> finish() {
        List<Event> events = new ArrayList<>(1);
        if (line.size() > 0) {
            endLine(events);
        }
        if (hasData) {
            dispatch(events);
        }
        return events;
    }

    private void endLine(List<Event> events) {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (firstLine) {
            firstLine = false;
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
        }
        if (text.isEmpty()) {
            if (hasData) {
                dispatch(events);
            } else {
                type = DEFAULT_TYPE;
            }
            return;
        }
        if (text.charAt(0) == ':') {
            return;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            case "event" -> type = value.isEmpty() ? DEFAULT_TYPE : value;
            default -> {
                // id, retry and unknown fields carry nothing a provider needs
            }
        }
    }

    private void dispatch(List<Event> events) {
        events.add(new Event(type, data.toString()));
        data.setLength(0);
        hasData = false;
        type = DEFAULT_TYPE;
    }
}
