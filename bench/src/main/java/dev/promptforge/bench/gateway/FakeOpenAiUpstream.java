package dev.promptforge.bench.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * The fake OpenAI-compatible upstream of the gateway load harness ({@code bench/gateway/run.sh}).
 *
 * <p>It answers {@code POST …/chat/completions} with one fixed, realistic {@code chat.completion}
 * (with {@code usage}) as cheaply as a server can: HTTP/1.1 keep-alive on plain blocking sockets,
 * one platform thread per connection, the request body read and discarded, and a response whose
 * bytes are built once. It binds 127.0.0.1 only. {@code GET /health} answers {@code ok} and {@code
 * GET /stats} the number of completions served, so the harness can check that a gateway really
 * reached it.
 *
 * <p>Usage: {@code FakeOpenAiUpstream [--port N] [--port-file FILE]}; port 0 (the default) picks
 * a free port, printed on standard output and written to the port file.
 */
public final class FakeOpenAiUpstream {

    static final String COMPLETION = """
            {"id":"chatcmpl-bench0000000000000000000001","object":"chat.completion","created":1767225600,\
            "model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant",\
            "content":"Your statement shows three card payments and one transfer. The monthly fee of \
            2.50 EUR was charged on the 3rd.","refusal":null,"annotations":[]},"logprobs":null,\
            "finish_reason":"stop"}],"usage":{"prompt_tokens":42,"completion_tokens":27,"total_tokens":69,\
            "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":\
            {"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,\
            "rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":"fp_bench"}""";

    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_CONNECTIONS = 1024;

    private static final byte[] OK_COMPLETION = response("200 OK", COMPLETION);
    private static final byte[] OK_HEALTH = response("200 OK", "ok");
    private static final byte[] NOT_FOUND = response("404 Not Found", """
            {"error":{"message":"fake upstream: only POST /v1/chat/completions","type":"invalid_request_error"}}""");
    private static final byte[] HEADERS_TOO_LARGE = response("431 Request Header Fields Too Large", "");
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final LongAdder completions = new LongAdder();
    private final Semaphore connections = new Semaphore(MAX_CONNECTIONS);
    private final ServerSocket server;
    private final Thread acceptor;

    private FakeOpenAiUpstream(ServerSocket server) {
        this.server = server;
        this.acceptor =
                Thread.ofPlatform().daemon().name("fake-upstream-accept").unstarted(this::acceptLoop);
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int port = 0;
        Path portFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value(args, ++i));
                case "--port-file" -> portFile = Path.of(value(args, ++i));
                default -> {
                    System.err.println("fake upstream: unknown option " + args[i]
                            + " (usage: FakeOpenAiUpstream [--port N] [--port-file FILE])");
                    System.exit(2);
                }
            }
        }
        FakeOpenAiUpstream upstream = start(port);
        if (portFile != null) {
            Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
            Files.writeString(tmp, Integer.toString(upstream.port()));
            Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
        }
        System.out.println("fake upstream listening on http://127.0.0.1:" + upstream.port() + "/v1");
        upstream.acceptor.join();
    }

    /** Binds 127.0.0.1 on the port (0: a free one) and starts accepting connections. */
    static FakeOpenAiUpstream start(int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        FakeOpenAiUpstream upstream = new FakeOpenAiUpstream(server);
        upstream.acceptor.start();
        return upstream;
    }

    int port() {
        return server.getLocalPort();
    }

    long completions() {
        return completions.sum();
    }

    void close() throws IOException {
        server.close();
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            System.err.println("fake upstream: " + args[i - 1] + " needs a value");
            System.exit(2);
        }
        return args[i];
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("fake upstream: " + e);
                }
                return;
            }
            if (!connections.tryAcquire()) {
                close(socket);
                continue;
            }
            Thread.ofPlatform().daemon().name("fake-upstream-conn").start(() -> {
                try (socket) {
                    socket.setTcpNoDelay(true);
                    new Exchange(socket.getInputStream(), socket.getOutputStream()).run();
                } catch (SocketException | UncheckedIOException | NumberFormatException e) {
                    // the client went away or sent a malformed request: drop the connection
                } catch (IOException e) {
                    System.err.println("fake upstream: " + e);
                } finally {
                    connections.release();
                }
            });
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    private static byte[] response(String status, String body) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + "\r\nContent-Type: "
                + (body.startsWith("{") ? "application/json" : "text/plain") + "\r\nContent-Length: "
                + content.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(headBytes, headBytes.length + content.length);
        System.arraycopy(content, 0, all, headBytes.length, content.length);
        return all;
    }

    /** The requests of one keep-alive connection, one after the other (pipelined ones too). */
    private final class Exchange {
        private final InputStream in;
        private final OutputStream out;
        private byte[] buf = new byte[16 * 1024];
        private int pos;
        private int limit;

        Exchange(InputStream in, OutputStream out) {
            this.in = in;
            this.out = out;
        }

        void run() throws IOException {
            while (true) {
                int headerEnd = headerEnd();
                if (headerEnd < 0) {
                    return;
                }
                String head = new String(buf, pos, headerEnd - pos, StandardCharsets.ISO_8859_1);
                pos = headerEnd + 4;
                String[] lines = head.split("\r\n");
                String[] requestLine = lines[0].split(" ");
                if (requestLine.length != 3) {
                    return;
                }
                long contentLength = 0;
                boolean chunked = false;
                boolean close = requestLine[2].equals("HTTP/1.0");
                boolean expectContinue = false;
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    if (colon <= 0) {
                        continue;
                    }
                    String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = lines[i].substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                    switch (name) {
                        case "content-length" -> contentLength = Long.parseLong(value);
                        case "transfer-encoding" -> chunked = value.contains("chunked");
                        case "connection" ->
                            close = value.contains("close") || (close && !value.contains("keep-alive"));
                        case "expect" -> expectContinue = value.equals("100-continue");
                        default -> {}
                    }
                }
                if (expectContinue) {
                    out.write(CONTINUE);
                }
                if (chunked) {
                    skipChunkedBody();
                } else {
                    skip(contentLength);
                }
                out.write(answer(requestLine[0], requestLine[1]));
                if (close) {
                    return;
                }
            }
        }

        private byte[] answer(String method, String target) {
            String path = target.indexOf('?') >= 0 ? target.substring(0, target.indexOf('?')) : target;
            if (method.equals("POST") && path.endsWith("/chat/completions")) {
                completions.increment();
                return OK_COMPLETION;
            }
            if (method.equals("GET") && path.equals("/health")) {
                return OK_HEALTH;
            }
            if (method.equals("GET") && path.equals("/stats")) {
                return response("200 OK", "{\"completions\":" + completions.sum() + "}");
            }
            return NOT_FOUND;
        }

        /** Index of the CRLFCRLF that ends the next request's head, reading as needed; -1 at end. */
        private int headerEnd() throws IOException {
            int from = pos;
            while (true) {
                for (int i = Math.max(from, pos + 3); i < limit; i++) {
                    if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r') {
                        return i - 3;
                    }
                }
                int scanned = limit - pos;
                if (scanned >= MAX_HEADER_BYTES) {
                    out.write(HEADERS_TOO_LARGE);
                    return -1;
                }
                if (fill() < 0) {
                    return -1;
                }
                from = pos + Math.max(0, scanned - 3);
            }
        }

        /** Reads more bytes after {@code limit}, compacting or growing the buffer; -1 at end of stream. */
        private int fill() throws IOException {
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                limit -= pos;
                pos = 0;
            }
            if (limit == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            int n = in.read(buf, limit, buf.length - limit);
            if (n > 0) {
                limit += n;
            }
            return n;
        }

        private void skip(long count) throws IOException {
            long left = count;
            while (left > 0) {
                if (pos == limit && fill() < 0) {
                    throw new SocketException("body ended early");
                }
                int take = (int) Math.min(left, limit - pos);
                pos += take;
                left -= take;
            }
        }

        private void skipChunkedBody() throws IOException {
            while (true) {
                String sizeLine = line();
                int semicolon = sizeLine.indexOf(';');
                long size = Long.parseLong((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim(), 16);
                if (size == 0) {
                    while (!line().isEmpty()) {
                        // trailers
                    }
                    return;
                }
                skip(size);
                line();
            }
        }

        private String line() throws IOException {
            int from = pos;
            while (true) {
                for (int i = from; i < limit; i++) {
                    if (buf[i] == '\n') {
                        int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                        String s = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
                        pos = i + 1;
                        return s;
                    }
                }
                if (limit - pos >= MAX_HEADER_BYTES) {
                    throw new SocketException("chunk line too long");
                }
                int scanned = limit - pos;
                if (fill() < 0) {
                    throw new SocketException("body ended early");
                }
                from = pos + scanned;
            }
        }
    }
}
