package dev.promptforge.server.gateway.fake;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A minimal HTTP/1.1 server on a raw socket (127.0.0.1, a free port), so replies can be written
 * byte by byte, flushed in pieces, cut short or dropped. Keep-alive connections, one virtual thread
 * each; requests with {@code Content-Length} or chunked bodies. Scripted replies are used in order,
 * whatever the request; with none left, {@code fallback} answers.
 */
final class FakeHttpServer implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final ServerSocket serverSocket;
    private final Function<RecordedRequest, FakeReply> fallback;
    private final Queue<FakeReply> replies = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    FakeHttpServer(String name, Function<RecordedRequest, FakeReply> fallback) {
        this.fallback = fallback;
        try {
            serverSocket = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        threads.add(Thread.ofVirtual().name(name + "-accept").start(this::accept));
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    void enqueue(FakeReply reply) {
        replies.add(reply);
    }

    List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket socket : connections) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        threads.forEach(Thread::interrupt);
    }

    private void accept() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                return;
            }
            connections.add(socket);
            threads.add(Thread.ofVirtual().start(() -> serve(socket)));
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            while (!closed) {
                RecordedRequest request = read(in);
                if (request == null) {
                    return;
                }
                requests.add(request);
                FakeReply reply = replies.poll();
                if (reply == null) {
                    reply = fallback.apply(request);
                }
                if (!reply.writeTo(out)) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away or the server closed: nothing to answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            connections.remove(socket);
            threads.remove(Thread.currentThread());
        }
    }

    private static @Nullable RecordedRequest read(InputStream in) throws IOException {
        String requestLine = line(in);
        while (requestLine != null && requestLine.isEmpty()) {
            requestLine = line(in);
        }
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        if (parts.length < 2) {
            throw new IOException("not an HTTP request line: " + requestLine);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(
                                header.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(header.substring(colon + 1).strip());
            }
        }
        byte[] body;
        String length = first(headers, "content-length");
        if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else if ("chunked".equalsIgnoreCase(first(headers, "transfer-encoding"))) {
            body = chunkedBody(in);
        } else {
            body = new byte[0];
        }
        String text = new String(body, StandardCharsets.UTF_8);
        return new RecordedRequest(parts[0], parts[1], headers, text, json(text));
    }

    private static @Nullable Map<String, Object> json(String body) {
        if (!body.stripLeading().startsWith("{")) {
            return null;
        }
        try {
            return JSON.readValue(body, MAP);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static byte[] chunkedBody(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            if (size == null) {
                throw new IOException("the request body ended inside a chunk");
            }
            int semicolon = size.indexOf(';');
            int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
            if (n == 0) {
                for (String trailer = line(in); trailer != null && !trailer.isEmpty(); trailer = line(in)) {
                    // trailers are not recorded
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(n));
            line(in);
        }
    }

    private static @Nullable String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** A line without its CRLF, or null at the end of the stream. */
    private static @Nullable String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                break;
            }
            line.write(b);
        }
        if (b == -1 && line.size() == 0) {
            return null;
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
