package dev.promptforge.server.gateway.fake;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One scripted answer of a fake server, written byte for byte as told.
 *
 * <p>A body is sent whole with {@code Content-Length} unless it is split ({@link #splitAt}, {@link
 * #splitEvery}) or is an event stream ({@link #sse}): then it goes out with chunked transfer
 * encoding, one HTTP chunk per piece, flushed separately, so the client receives the pieces as
 * separate reads. Split points are byte offsets of the UTF-8 body, so they may fall inside a line,
 * a JSON value or a multi-byte character.
 *
 * <p>Failures to script: {@link #delay} before the status line (a slow upstream), {@link
 * #pauseBetweenPieces} (a stream that falls silent), {@link #dropAfter} (the connection closes after
 * so many body bytes: a truncated body or stream) and {@link #drop()} (the connection closes without
 * any answer).
 */
public final class FakeReply {

    private final int status;
    private final byte[] body;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final boolean dropWithoutAnswer;
    private boolean chunked;
    private int[] splitAt = new int[0];
    private int splitEvery;
    private Duration delay = Duration.ZERO;
    private Duration pause = Duration.ZERO;
    private int dropAfter = -1;
    private CountDownLatch holdAfterFirst;

    private FakeReply(int status, String contentType, byte[] body, boolean dropWithoutAnswer) {
        this.status = status;
        this.body = body;
        this.dropWithoutAnswer = dropWithoutAnswer;
        if (contentType != null && !contentType.isEmpty()) {
            headers.put("Content-Type", contentType);
        }
    }

    /** A JSON body with this status. */
    public static FakeReply json(int status, String json) {
        return new FakeReply(status, "application/json", json.getBytes(StandardCharsets.UTF_8), false);
    }

    /** Any body with any content type (HTML error pages, plain text, truncated JSON …). */
    public static FakeReply body(int status, String contentType, String body) {
        return new FakeReply(status, contentType, body.getBytes(StandardCharsets.UTF_8), false);
    }

    /** A 200 {@code text/event-stream} body, sent chunked; split it to make the pieces awkward. */
    public static FakeReply sse(String eventStream) {
        FakeReply reply = new FakeReply(200, "text/event-stream", eventStream.getBytes(StandardCharsets.UTF_8), false);
        reply.headers.put("Cache-Control", "no-cache");
        reply.chunked = true;
        return reply;
    }

    /** A 200 event stream given as its exact pieces, each sent and flushed on its own. */
    public static FakeReply ssePieces(String... pieces) {
        FakeReply reply = sse(String.join("", pieces));
        int[] offsets = new int[pieces.length - 1];
        int offset = 0;
        for (int i = 0; i < pieces.length - 1; i++) {
            offset += pieces[i].getBytes(StandardCharsets.UTF_8).length;
            offsets[i] = offset;
        }
        return reply.splitAt(offsets);
    }

    /** Reads the request, then closes the connection without answering. */
    public static FakeReply drop() {
        return new FakeReply(0, "", new byte[0], true);
    }

    public FakeReply header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Waits this long before sending anything. */
    public FakeReply delay(Duration delay) {
        this.delay = delay;
        return this;
    }

    /** Sends the body in pieces cut at these byte offsets (chunked). */
    public FakeReply splitAt(int... byteOffsets) {
        this.splitAt = byteOffsets.clone();
        this.chunked = true;
        return this;
    }

    /** Sends the body in pieces of this many bytes (chunked). */
    public FakeReply splitEvery(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("pieces need at least one byte");
        }
        this.splitEvery = bytes;
        this.chunked = true;
        return this;
    }

    /** Waits this long before each piece after the first. */
    public FakeReply pauseBetweenPieces(Duration pause) {
        this.pause = pause;
        return this;
    }

    /**
     * Sends the first piece, then waits until {@code gate} opens before sending the rest: a test can
     * check that the first piece went all the way to its client while the upstream still holds back.
     */
    public FakeReply holdAfterFirstPiece(CountDownLatch gate) {
        this.holdAfterFirst = gate;
        return this;
    }

    /** Sends only the first {@code bytes} of the body, then closes the connection. */
    public FakeReply dropAfter(int bytes) {
        this.dropAfter = bytes;
        return this;
    }

    /** Writes the reply; returns false when the connection must be closed afterwards. */
    boolean writeTo(OutputStream out) throws IOException, InterruptedException {
        if (delay.isPositive()) {
            Thread.sleep(delay);
        }
        if (dropWithoutAnswer) {
            return false;
        }
        StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " " + reason(status) + "\r\n");
        headers.forEach(
                (name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append(chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + body.length + "\r\n");
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        int limit = dropAfter < 0 ? body.length : Math.min(dropAfter, body.length);
        if (!chunked) {
            out.write(body, 0, limit);
            out.flush();
            return dropAfter < 0;
        }
        int sent = 0;
        List<byte[]> pieces = pieces();
        for (int i = 0; i < pieces.size() && sent < limit; i++) {
            if (i > 0 && pause.isPositive()) {
                Thread.sleep(pause);
            }
            if (i == 1 && holdAfterFirst != null && !holdAfterFirst.await(30, TimeUnit.SECONDS)) {
                return false;
            }
            byte[] piece = pieces.get(i);
            int n = Math.min(piece.length, limit - sent);
            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(piece, 0, n);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            sent += n;
        }
        if (dropAfter >= 0) {
            return false;
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return true;
    }

    private List<byte[]> pieces() {
        List<Integer> cuts = new ArrayList<>();
        if (splitEvery > 0) {
            for (int at = splitEvery; at < body.length; at += splitEvery) {
                cuts.add(at);
            }
        } else {
            Arrays.stream(splitAt)
                    .filter(at -> at > 0 && at < body.length)
                    .sorted()
                    .forEach(cuts::add);
        }
        List<byte[]> pieces = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            if (cut > from) {
                pieces.add(Arrays.copyOfRange(body, from, cut));
                from = cut;
            }
        }
        if (from < body.length) {
            pieces.add(Arrays.copyOfRange(body, from, body.length));
        }
        return pieces;
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Payload Too Large";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 529 -> "Overloaded";
            default -> "Status";
        };
    }
}
