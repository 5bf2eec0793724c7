package dev.promptforge.server.gateway.provider;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP/1.1 client underneath {@link UpstreamClient}: blocking sockets, meant for virtual
 * threads, where a blocked read costs little and needs none of an asynchronous client's hand-offs.
 * Shared by all remote providers; close it to close its idle connections.
 *
 * <p>It keeps idle connections per scheme, host and port (at most 128 each, closed after 30 s
 * unused). A request that fails on a reused connection before any byte of the response arrived,
 * because the server had closed it while it was idle, is sent once more on a new connection; never
 * once response bytes arrived.
 */
public final class Http1Client implements AutoCloseable {

    static final int MAX_IDLE_PER_ORIGIN = 128;
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    private static final int BUFFER_BYTES = 16 * 1024;
    private static final int UNWATCHED_WRITE_BYTES = 64 * 1024;
    private static final int MAX_LINE_BYTES = 64 * 1024;
    private static final int MAX_HEADER_LINES = 200;

    private final int maxIdlePerOrigin;
    private final long idleNanos;
    private final Supplier<SSLSocketFactory> tls;
    private final Map<Origin, Pool> pools = new ConcurrentHashMap<>();
    private final Thread reaper;
    private volatile boolean closed;

    /**
     * The JDK's default TLS settings, made on the first HTTPS connection: loading the trust store
     * costs about 0.2 s of CPU, which a short CLI run against a plain-HTTP server never needs.
     */
    private static final class DefaultTls {
        static final SSLSocketFactory FACTORY = (SSLSocketFactory) SSLSocketFactory.getDefault();
    }

    /** A client with the default pool limits and the JDK's default TLS settings. */
    public Http1Client() {
        this(MAX_IDLE_PER_ORIGIN, IDLE_TIMEOUT, () -> DefaultTls.FACTORY);
    }

    Http1Client(int maxIdlePerOrigin, Duration idleTimeout, SSLSocketFactory tls) {
        this(maxIdlePerOrigin, idleTimeout, () -> tls);
    }

    /** @param tls asked for the TLS socket factory on each HTTPS connection, never for plain HTTP */
    Http1Client(int maxIdlePerOrigin, Duration idleTimeout, Supplier<SSLSocketFactory> tls) {
        this.maxIdlePerOrigin = maxIdlePerOrigin;
        this.idleNanos = idleTimeout.toNanos();
        this.tls = tls;
        Duration sweep = idleTimeout.dividedBy(2);
        this.reaper = Thread.ofVirtual()
                .name("promptforge-http1-idle")
                .start(() -> closeIdleEvery(sweep.isZero() ? Duration.ofMillis(1) : sweep));
    }

    /** Closes the idle connections; connections in use are closed when their response ends. */
    @Override
    public void close() {
        closed = true;
        reaper.interrupt();
        pools.values().forEach(pool -> pool.closeIdle(Long.MAX_VALUE));
    }

    /** Where requests go: the pool key, and what the {@code Host} header and TLS need. */
    record Origin(boolean tls, String host, int port) {

        static Origin of(URI url) {
            boolean tls = "https".equalsIgnoreCase(url.getScheme());
            int port = url.getPort() >= 0 ? url.getPort() : tls ? 443 : 80;
            return new Origin(tls, url.getHost().toLowerCase(Locale.ROOT), port);
        }

        /** The host as the {@code Host} header names it: the port only when it is not the default. */
        String authority() {
            return port == (tls ? 443 : 80) ? host : host + ":" + port;
        }

        /** The host without the brackets of an IPv6 literal, to connect to and verify. */
        String address() {
            return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        }

        boolean isIpLiteral() {
            return host.startsWith("[") || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
        }
    }

    /**
     * Sends {@code POST target} with a {@code Content-Length} body and the headers given (besides
     * {@code Host} and {@code Content-Length}, which it writes itself), and returns the response once
     * its status line and headers have arrived. Connecting, sending and waiting for the headers must
     * all end before {@code deadline} ({@link System#nanoTime()}), or it throws {@link
     * SocketTimeoutException}. The caller reads the body and must close the response.
     */
    Response post(Origin origin, String target, Map<String, String> headers, byte[] body, long deadline)
            throws IOException {
        byte[] request = encode(origin, target, headers, body);
        Pool pool = pools.computeIfAbsent(origin, o -> new Pool());
        Connection reused = pool.take(System.nanoTime());
        if (reused != null) {
            try {
                return exchange(reused, pool, request, deadline);
            } catch (RuntimeException e) {
                reused.close();
                throw e;
            } catch (IOException e) {
                reused.close();
                // The server may have closed the connection while it was idle, which shows as an
                // end of stream or a reset when the request is written or the status line read.
                if (reused.received || e instanceof InterruptedIOException || interrupted()) {
                    throw e;
                }
            }
        }
        Connection fresh = connect(origin, deadline);
        try {
            return exchange(fresh, pool, request, deadline);
        } catch (IOException | RuntimeException e) {
            fresh.close();
            throw e;
        }
    }

    private static byte[] encode(Origin origin, String target, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(256)
                .append("POST ")
                .append(target)
                .append(" HTTP/1.1\r\nHost: ")
                .append(origin.authority())
                .append("\r\n");
        headers.forEach((name, value) -> {
            checkHeader(name, value);
            head.append(name).append(": ").append(value).append("\r\n");
        });
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        return request;
    }

    /** Refuses what would break the request's framing: a line break smuggled into a header. */
    private static void checkHeader(String name, String value) {
        if (name.isEmpty() || name.equalsIgnoreCase("Host") || name.equalsIgnoreCase("Content-Length")) {
            throw new IllegalArgumentException("header '" + name + "' cannot be set");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 127 || c == ':') {
                throw new IllegalArgumentException("header name '" + name + "' is not a token");
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 255) {
                throw new IllegalArgumentException("the value of header '" + name + "' has a forbidden character");
            }
        }
    }

    private Connection connect(Origin origin, long deadline) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(origin.address(), origin.port()), timeoutMillis(deadline));
            if (!origin.tls()) {
                return new Connection(socket);
            }
            SSLSocket ssl = (SSLSocket) tls.get().createSocket(socket, origin.address(), origin.port(), true);
            SSLParameters parameters = ssl.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (!origin.isIpLiteral()) {
                try {
                    parameters.setServerNames(List.of(new SNIHostName(origin.host())));
                } catch (IllegalArgumentException e) {
                    // not a name SNI can carry (an underscore, say): the handshake goes without it
                }
            }
            parameters.setApplicationProtocols(new String[] {"http/1.1"});
            ssl.setSSLParameters(parameters);
            ssl.setSoTimeout(timeoutMillis(deadline));
            ssl.startHandshake();
            return new Connection(ssl);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private Response exchange(Connection connection, Pool pool, byte[] request, long deadline) throws IOException {
        connection.received = false;
        write(connection, request, deadline);
        int status;
        Headers headers;
        boolean http10;
        do { // an informational answer (103 Early Hints) comes before the real one
            String statusLine = connection.readLine(deadline);
            if (statusLine == null) {
                throw new EOFException("the connection was closed before the response");
            }
            if (!statusLine.startsWith("HTTP/1.")
                    || statusLine.length() < 12
                    || statusLine.charAt(8) != ' '
                    || (statusLine.length() > 12 && statusLine.charAt(12) != ' ')) {
                throw new ProtocolException("the response does not start with an HTTP/1.1 status line");
            }
            http10 = statusLine.charAt(7) == '0';
            status = parseStatus(statusLine.substring(9, 12));
            headers = readHeaders(connection, deadline);
        } while (status >= 100 && status < 200 && status != 101);
        boolean keepAlive =
                http10 ? headers.hasToken("connection", "keep-alive") : !headers.hasToken("connection", "close");
        return new Response(status, headers, connection, keepAlive && !closed ? pool : null);
    }

    /**
     * Writes the request. A socket write has no timeout of its own: one that does not fit the send
     * buffer waits for the server to read, so a large request is watched and its connection closed
     * at the deadline, which ends the write with {@link SocketTimeoutException}.
     */
    private static void write(Connection connection, byte[] request, long deadline) throws IOException {
        if (request.length <= UNWATCHED_WRITE_BYTES) {
            connection.out.write(request);
            return;
        }
        // 0 while writing; the write's end sets 1, the watchdog 2 (then closes): whoever comes first
        AtomicInteger state = new AtomicInteger();
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                return;
            }
            if (state.compareAndSet(0, 2)) {
                connection.close();
            }
        });
        try {
            connection.out.write(request);
        } catch (IOException e) {
            if (state.get() == 2) {
                throw new SocketTimeoutException("the server did not take the request in time");
            }
            throw e;
        } finally {
            watchdog.interrupt();
        }
        if (!state.compareAndSet(0, 1)) {
            throw new SocketTimeoutException("the server did not take the request in time");
        }
    }

    private static int parseStatus(String digits) throws ProtocolException {
        int status = 0;
        for (int i = 0; i < 3; i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw new ProtocolException("the response's status is not a number");
            }
            status = status * 10 + (c - '0');
        }
        return status;
    }

    /** Header lines up to the blank line; a folded line continues the previous value. */
    private static Headers readHeaders(Connection connection, long deadline) throws IOException {
        Headers headers = new Headers();
        for (int count = 0; ; count++) {
            String line = connection.readLine(deadline);
            if (line == null) {
                throw new EOFException("the connection was closed inside the response headers");
            }
            if (line.isEmpty()) {
                return headers;
            }
            if (count >= MAX_HEADER_LINES) {
                throw new ProtocolException("the response has more than " + MAX_HEADER_LINES + " header lines");
            }
            headers.addLine(line);
        }
    }

    private static boolean interrupted() {
        return Thread.currentThread().isInterrupted();
    }

    /** The time left until {@code deadline} as a socket timeout: at least 1 ms (0 would mean none). */
    static int timeoutMillis(long deadline) throws SocketTimeoutException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("the time limit passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left + 999_999));
    }

    private void closeIdleEvery(Duration sweep) {
        try {
            while (!closed) {
                Thread.sleep(sweep);
                long now = System.nanoTime();
                pools.values().forEach(pool -> pool.closeIdle(now));
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** The idle connections to one origin, the most recently used first. */
    private final class Pool {

        private final ArrayDeque<Connection> idle = new ArrayDeque<>();

        /** The most recently used connection that has not been idle too long; null when none. */
        @Nullable
        Connection take(long now) {
            Connection connection;
            synchronized (this) {
                connection = idle.pollFirst();
            }
            if (connection != null && now - connection.idleSince >= idleNanos) {
                connection.close(); // the newest has expired, so have the others
                closeIdle(now);
                return null;
            }
            return connection;
        }

        void offer(Connection connection) {
            connection.idleSince = System.nanoTime();
            synchronized (this) {
                if (!closed && idle.size() < maxIdlePerOrigin) {
                    idle.addFirst(connection);
                    return;
                }
            }
            connection.close();
        }

        /** Closes the connections idle since before {@code now} minus the idle timeout. */
        void closeIdle(long now) {
            List<Connection> expired = new ArrayList<>();
            synchronized (this) {
                while (!idle.isEmpty() && (closed || now - idle.peekLast().idleSince >= idleNanos)) {
                    expired.add(idle.pollLast());
                }
            }
            expired.forEach(Connection::close);
        }
    }

    /** A socket with its read buffer. */
    private static final class Connection {

        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final byte[] buffer = new byte[BUFFER_BYTES];
        int position;
        int limit;
        /** Whether any byte of the current response has arrived. */
        boolean received;

        long idleSince;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        int buffered() {
            return limit - position;
        }

        /** One read from the socket into the empty buffer: what is available, at least one byte; -1 at the end. */
        int fill(long deadline) throws IOException {
            socket.setSoTimeout(timeoutMillis(deadline));
            int n = in.read(buffer, 0, buffer.length);
            position = 0;
            limit = Math.max(n, 0);
            if (n > 0) {
                received = true;
            }
            return n;
        }

        /** A line without its line end (LF or CRLF), read as ISO-8859-1; null at the end of the stream. */
        @Nullable
        String readLine(long deadline) throws IOException {
            StringBuilder longLine = null;
            while (true) {
                for (int i = position; i < limit; i++) {
                    if (buffer[i] == '\n') {
                        int start = position;
                        position = i + 1;
                        if (longLine == null) {
                            int end = i > start && buffer[i - 1] == '\r' ? i - 1 : i;
                            return new String(buffer, start, end - start, StandardCharsets.ISO_8859_1);
                        }
                        longLine.append(new String(buffer, start, i - start, StandardCharsets.ISO_8859_1));
                        int end = longLine.length() > 0 && longLine.charAt(longLine.length() - 1) == '\r'
                                ? longLine.length() - 1
                                : longLine.length();
                        return longLine.substring(0, end);
                    }
                }
                if (longLine == null) {
                    longLine = new StringBuilder();
                }
                longLine.append(new String(buffer, position, limit - position, StandardCharsets.ISO_8859_1));
                if (longLine.length() > MAX_LINE_BYTES) {
                    throw new ProtocolException("the response has a line longer than " + MAX_LINE_BYTES + " bytes");
                }
                if (fill(deadline) < 0) {
                    return longLine.isEmpty() ? null : longLine.toString();
                }
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** Response headers in the order received; names compare case-insensitively, repeats are kept. */
    static final class Headers {

        private final List<String> names = new ArrayList<>();
        private final List<String> values = new ArrayList<>();

        void addLine(String line) throws ProtocolException {
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (values.isEmpty()) {
                    throw new ProtocolException("the response headers start with a continuation line");
                }
                int last = values.size() - 1;
                values.set(last, values.get(last) + " " + line.strip());
                return;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new ProtocolException("the response has a header line without a name");
            }
            names.add(line.substring(0, colon).strip());
            values.add(line.substring(colon + 1).strip());
        }

        /** The first value of the header; null when it is absent. */
        @Nullable
        String first(String name) {
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).equalsIgnoreCase(name)) {
                    return values.get(i);
                }
            }
            return null;
        }

        /** Every value of the header, in order. */
        List<String> all(String name) {
            List<String> all = new ArrayList<>(1);
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).equalsIgnoreCase(name)) {
                    all.add(values.get(i));
                }
            }
            return all;
        }

        /** Whether a comma-separated header ({@code Connection}) lists the token. */
        boolean hasToken(String name, String token) {
            for (String value : all(name)) {
                for (String part : value.split(",")) {
                    if (part.strip().equalsIgnoreCase(token)) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** The last transfer coding, lower case; null without {@code Transfer-Encoding}. */
        @Nullable
        String lastTransferCoding() {
            List<String> codings = all("transfer-encoding");
            if (codings.isEmpty()) {
                return null;
            }
            String[] parts = String.join(",", codings).split(",");
            return parts.length == 0 ? "" : parts[parts.length - 1].strip().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A response whose body is read on demand. Each {@link #read} returns what has arrived (at
     * least one byte, one socket read at most), so a stream's pieces pass on as they come. The
     * connection goes back to the pool when the body has been read to its end, and is closed when
     * the response is closed before that.
     */
    static final class Response implements AutoCloseable {

        private enum Framing {
            LENGTH,
            CHUNKED,
            UNTIL_CLOSE
        }

        private final int status;
        private final Headers headers;
        private final Connection connection;
        private final @Nullable Pool pool;
        private final Framing framing;
        private final long contentLength;
        /** Bytes left in the body (by length) or in the current chunk. */
        private long remaining;
        /** Whether a chunk's data ended and its CRLF is still to be read. */
        private boolean chunkEnded;

        private boolean done;

        private Response(int status, Headers headers, Connection connection, @Nullable Pool pool)
                throws ProtocolException {
            this.status = status;
            this.headers = headers;
            this.connection = connection;
            String coding = headers.lastTransferCoding();
            List<String> lengths = headers.all("content-length");
            boolean persistent = pool != null;
            if (status == 204 || status == 304) {
                framing = Framing.LENGTH;
                contentLength = 0;
            } else if (coding != null) {
                // chunked is the last coding when the body is framed; otherwise it ends with the connection
                framing = coding.equals("chunked") ? Framing.CHUNKED : Framing.UNTIL_CLOSE;
                contentLength = -1;
                persistent &= framing == Framing.CHUNKED && lengths.isEmpty();
            } else if (!lengths.isEmpty()) {
                framing = Framing.LENGTH;
                contentLength = contentLength(lengths);
            } else {
                framing = Framing.UNTIL_CLOSE;
                contentLength = -1;
                persistent = false;
            }
            this.pool = persistent ? pool : null;
            this.remaining = framing == Framing.LENGTH ? contentLength : 0;
            if (framing == Framing.LENGTH && remaining == 0) {
                finish();
            }
        }

        private static long contentLength(List<String> values) throws ProtocolException {
            long length = -1;
            for (String value : values) {
                for (String part : value.split(",")) {
                    long parsed;
                    try {
                        parsed = Long.parseLong(part.strip());
                    } catch (NumberFormatException e) {
                        parsed = -1;
                    }
                    if (parsed < 0 || (length >= 0 && parsed != length)) {
                        throw new ProtocolException("the response has an invalid Content-Length");
                    }
                    length = parsed;
                }
            }
            return length;
        }

        int status() {
            return status;
        }

        Headers headers() {
            return headers;
        }

        /** The body's length from {@code Content-Length}; -1 when it is not known in advance. */
        long contentLength() {
            return contentLength;
        }

        /**
         * Reads what has arrived of the body, up to {@code length} bytes, waiting until {@code
         * deadline} ({@link System#nanoTime()}) for at least one byte; -1 at the end of the body.
         *
         * @throws SocketTimeoutException when nothing arrived in time
         * @throws EOFException when the connection closed before the end of the body
         * @throws ProtocolException when the chunked framing is broken
         */
        int read(byte[] into, int offset, int length, long deadline) throws IOException {
            if (done) {
                return -1;
            }
            if (framing == Framing.CHUNKED && remaining == 0 && !nextChunk(deadline)) {
                finish();
                return -1;
            }
            if (connection.buffered() == 0 && connection.fill(deadline) < 0) {
                if (framing == Framing.UNTIL_CLOSE) {
                    finish();
                    return -1;
                }
                throw new EOFException("the connection was closed before the end of the response body");
            }
            int n = Math.min(length, connection.buffered());
            if (framing != Framing.UNTIL_CLOSE) {
                n = (int) Math.min(n, remaining);
                remaining -= n;
            }
            System.arraycopy(connection.buffer, connection.position, into, offset, n);
            connection.position += n;
            if (framing == Framing.LENGTH && remaining == 0) {
                finish();
            } else if (framing == Framing.CHUNKED && remaining == 0) {
                chunkEnded = true;
            }
            return n;
        }

        /** Reads up to the next chunk's data; false after the last chunk and its trailers. */
        private boolean nextChunk(long deadline) throws IOException {
            if (chunkEnded && !"".equals(connection.readLine(deadline))) {
                throw new ProtocolException("a chunk of the response body is longer than its size");
            }
            chunkEnded = false;
            String line = connection.readLine(deadline);
            if (line == null) {
                throw new EOFException("the connection was closed before the end of the response body");
            }
            int extension = line.indexOf(';');
            String hex = (extension < 0 ? line : line.substring(0, extension)).strip();
            long size;
            try {
                size = hex.isEmpty() || hex.length() > 15 ? -1 : Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 0) {
                throw new ProtocolException("the response has a chunk size that is not a hexadecimal number");
            }
            if (size > 0) {
                remaining = size;
                return true;
            }
            for (int count = 0; ; count++) { // trailers, which nothing here needs
                String trailer = connection.readLine(deadline);
                if (trailer == null) {
                    throw new EOFException("the connection was closed inside the response trailers");
                }
                if (trailer.isEmpty()) {
                    return false;
                }
                if (count >= MAX_HEADER_LINES) {
                    throw new ProtocolException("the response has too many trailer lines");
                }
            }
        }

        /** The body was read to its end: the connection is reused if it may be and nothing follows. */
        private void finish() {
            done = true;
            if (pool != null && connection.buffered() == 0) {
                pool.offer(connection);
            } else {
                connection.close();
            }
        }

        /** Closes the connection unless the body was read to its end. */
        @Override
        public void close() {
            if (!done) {
                done = true;
                connection.close();
            }
        }
    }
}
