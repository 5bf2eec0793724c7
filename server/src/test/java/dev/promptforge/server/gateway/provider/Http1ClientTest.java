package dev.promptforge.server.gateway.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP/1.1 client against raw loopback peers that write each byte as told. */
class Http1ClientTest {

    static final Map<String, String> HEADERS = Map.of("Content-Type", "application/json");
    static final byte[] BODY = "{\"q\":1}".getBytes(StandardCharsets.UTF_8);
    static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    Http1Client client = new Http1Client(8, Duration.ofSeconds(30), defaultTls());
    Peer peer;

    @AfterEach
    void close() {
        client.close();
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void sends_the_request_and_reads_a_body_by_content_length() throws Exception {
        // given
        peer = new Peer((index, in, out) -> {
            readRequest(in);
            write(
                    out,
                    "HTTP/1.1 201 Created\r\ncontent-type: text/plain\r\nX-Tag: a\r\nx-tag: b\r\n"
                            + "Content-Length: 11\r\n\r\nhello world");
            readRequest(in);
        });

        // when
        String body;
        Http1Client.Response response;
        try (var r = post(Map.of("Content-Type", "application/json", "Authorization", "Bearer k"))) {
            response = r;
            body = readAll(r);
        }

        // then
        assertThat(peer.requests.getFirst())
                .startsWith("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + peer.port() + "\r\n")
                .contains("Content-Type: application/json\r\n", "Authorization: Bearer k\r\n")
                .endsWith("Content-Length: 7\r\n\r\n{\"q\":1}");
        assertThat(response.status()).isEqualTo(201);
        assertThat(response.contentLength()).isEqualTo(11);
        assertThat(response.headers().first("Content-Type")).isEqualTo("text/plain");
        assertThat(response.headers().all("X-TAG")).containsExactly("a", "b");
        assertThat(body).isEqualTo("hello world");
    }

    @Test
    void reads_a_chunked_body_with_odd_chunk_sizes_extensions_and_trailers() throws Exception {
        // given
        peer = new Peer((index, in, out) -> {
            readRequest(in);
            write(
                    out,
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + "1\r\nh\r\nA;name=value\r\nello, worl\r\n"
                            + "3\r\nd!\n\r\n"
                            + "0\r\nX-Checksum: 42\r\nX-More: yes\r\n\r\n");
            readRequest(in);
        });

        // when
        String body;
        try (var response = post()) {
            body = readAll(response);
        }

        // then
        assertThat(body).isEqualTo("hello, world!\n");
        assertThat(peer.accepted).hasValue(1);
    }

    @Test
    void reads_a_body_without_length_until_the_connection_closes_and_does_not_reuse_it() throws Exception {
        // given
        peer = new Peer((index, in, out) -> {
            readRequest(in);
            write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");
        });

        // when
        String first;
        String second;
        try (var response = post()) {
            first = readAll(response);
        }
        try (var response = post()) {
            second = readAll(response);
        }

        // then
        assertThat(first).isEqualTo("until the end");
        assertThat(second).isEqualTo("until the end");
        assertThat(peer.accepted).hasValue(2);
    }

    @Test
    void reuses_one_connection_for_many_requests() throws Exception {
        // given
        peer = new Peer((index, in, out) -> {
            for (int i = 0; readRequest(in) != null; i++) {
                String body = "answer " + i;
                write(out, i % 2 == 0 ? lengthResponse(body) : chunkedResponse(body));
            }
        });

        // when
        for (int i = 0; i < 20; i++) {
            try (var response = post()) {
                assertThat(readAll(response)).isEqualTo("answer " + i);
            }
        }

        // then
        assertThat(peer.accepted).hasValue(1);
    }

    @Test
    void retries_once_on_a_new_connection_when_the_server_closed_a_pooled_one() throws Exception {
        // given: the first connection answers once and is then closed by the server while idle
        CountDownLatch closedByServer = new CountDownLatch(1);
        peer = new Peer((index, in, out) -> {
            readRequest(in);
            write(out, index == 0 ? lengthResponse("first") : lengthResponse("second"));
            if (index == 0) {
                return;
            }
            readRequest(in);
        });
        peer.afterClose = closedByServer::countDown;
        try (var response = post()) {
            assertThat(readAll(response)).isEqualTo("first");
        }
        assertThat(closedByServer.await(5, TimeUnit.SECONDS)).isTrue();

        // when
        String body;
        try (var response = post()) {
            body = readAll(response);
        }

        // then
        assertThat(body).isEqualTo("second");
        assertThat(peer.accepted).hasValue(2);
    }

    @Test
    void retries_once_when_a_pooled_connection_closes_after_reading_the_request() throws Exception {
        // given: the first connection answers once, then reads the next request and closes
        peer = new Peer((index, in, out) -> {
            readRequest(in);
            write(out, lengthResponse("answer from " + index));
            readRequest(in);
            if (index > 0) {
                write(out, lengthResponse("again from " + index));
                readRequest(in);
            }
        });
        try (var response = post()) {
            assertThat(readAll(response)).isEqualTo("answer from 0");
        }

        // when
        String body;
        try (var response = post()) {
            body = readAll(response);
        }

        // then
        assertThat(body).isEqualTo("answer from 1");
        assertThat(peer.requests).hasSize(3);
    }

    @Test
    void does_not_retry_once_part_of_the_response_arrived() throws Exception {
        // given: the pooled connection sends half a status line for the second request, then closes;
        // a new connection would answer
        peer = new Peer((index, in, out) -> {
            readRequest(in);
            if (index > 0) {
                write(out, lengthResponse("retried"));
                readRequest(in);
                return;
            }
            write(out, lengthResponse("first"));
            readRequest(in);
            write(out, "HTTP/1.1 20");
        });
        try (var response = post()) {
            assertThat(readAll(response)).isEqualTo("first");
        }

        // then
        assertThatThrownBy(this::post).isInstanceOf(IOException.class);
        assertThat(peer.requests).hasSize(2);
    }

    @Test
    void does_not_retry_on_a_new_connection() throws Exception {
        // given: the first connection reads the request and closes; a second one would answer
        peer = new Peer((index, in, out) -> {
            readRequest(in);
            if (index > 0) {
                write(out, lengthResponse("retried"));
                readRequest(in);
            }
        });

        // then
        assertThatThrownBy(this::post).isInstanceOf(IOException.class);
        assertThat(peer.requests).hasSize(1);
    }

    @Test
    void does_not_retry_a_body_cut_short() throws Exception {
        // given
        peer = new Peer((index, in, out) -> {
            readRequest(in);
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort");
        });

        // when
        try (var response = post()) {
            byte[] into = new byte[10];
            assertThat(response.read(into, 0, 10, deadline(Duration.ofSeconds(5))))
                    .isEqualTo(5);

            // then
            assertThatThrownBy(() -> response.read(into, 5, 5, deadline(Duration.ofSeconds(5))))
                    .isInstanceOf(java.io.EOFException.class);
        }
        assertThat(peer.requests).hasSize(1);
    }

    @Test
    void honours_connection_close() throws Exception {
        // given
        peer = new Peer((index, in, out) -> {
            readRequest(in);
            write(out, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
            readRequest(in);
        });

        // when
        for (int i = 0; i < 3; i++) {
            try (var response = post()) {
                assertThat(readAll(response)).isEqualTo("ok");
            }
        }

        // then
        assertThat(peer.accepted).hasValue(3);
    }

    @Test
    void keeps_an_http_1_0_connection_only_when_asked_to() throws Exception {
        // given
        peer = new Peer((index, in, out) -> {
            for (int i = 0; readRequest(in) != null; i++) {
                String keepAlive = index == 0 && i == 0 ? "Connection: keep-alive\r\n" : "";
                write(out, "HTTP/1.0 200 OK\r\n" + keepAlive + "Content-Length: 2\r\n\r\nok");
            }
        });

        // when
        for (int i = 0; i < 3; i++) {
            try (var response = post()) {
                assertThat(readAll(response)).isEqualTo("ok");
            }
        }

        // then: the first answer kept its connection for the second request, the second did not
        assertThat(peer.accepted).hasValue(2);
    }

    @Test
    void skips_an_informational_response() throws Exception {
        // given
        peer = new Peer((index, in, out) -> {
            readRequest(in);
            write(out, "HTTP/1.1 103 Early Hints\r\nLink: </style.css>\r\n\r\n" + OK);
            readRequest(in);
        });

        // when
        try (var response = post()) {
            // then
            assertThat(response.status()).isEqualTo(200);
            assertThat(readAll(response)).isEqualTo("ok");
        }
    }

    @Test
    void returns_what_has_arrived_without_waiting_to_fill_its_buffer() throws Exception {
        // given: the peer sends one small chunk and holds the rest back
        CountDownLatch gate = new CountDownLatch(1);
        peer = new Peer((index, in, out) -> {
            readRequest(in);
            write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n");
            gate.await(10, TimeUnit.SECONDS);
            write(out, "6\r\nsecond\r\n0\r\n\r\n");
            readRequest(in);
        });

        // when
        try (var response = post()) {
            byte[] into = new byte[8192];
            int n = response.read(into, 0, into.length, deadline(Duration.ofSeconds(5)));

            // then
            assertThat(new String(into, 0, n, StandardCharsets.UTF_8)).isEqualTo("first");
            gate.countDown();
            assertThat(readAll(response)).isEqualTo("second");
        }
    }

    @Test
    void times_out_when_the_headers_do_not_arrive_in_time() throws Exception {
        // given
        CountDownLatch release = new CountDownLatch(1);
        peer = new Peer((index, in, out) -> {
            readRequest(in);
            release.await(10, TimeUnit.SECONDS);
        });
        long start = System.nanoTime();

        // then
        assertThatThrownBy(() -> client.post(origin(), "/", HEADERS, BODY, deadline(Duration.ofMillis(200))))
                .isInstanceOf(SocketTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isBetween(Duration.ofMillis(190), Duration.ofSeconds(3));
        release.countDown();
    }

    @Test
    void times_out_when_the_body_stalls() throws Exception {
        // given
        CountDownLatch release = new CountDownLatch(1);
        peer = new Peer((index, in, out) -> {
            readRequest(in);
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nstall");
            release.await(10, TimeUnit.SECONDS);
        });

        // when
        try (var response = post()) {
            byte[] into = new byte[10];
            assertThat(response.read(into, 0, 10, deadline(Duration.ofSeconds(5))))
                    .isEqualTo(5);

            // then
            assertThatThrownBy(() -> response.read(into, 5, 5, deadline(Duration.ofMillis(100))))
                    .isInstanceOf(SocketTimeoutException.class);
        }
        release.countDown();
    }

    @Test
    void times_out_when_the_server_does_not_take_a_large_request() throws Exception {
        // given: a peer that never reads, and a body larger than the socket buffers hold
        CountDownLatch release = new CountDownLatch(1);
        peer = new Peer((index, in, out) -> release.await(10, TimeUnit.SECONDS));
        byte[] large = new byte[64 * 1024 * 1024];
        long start = System.nanoTime();

        // then
        assertThatThrownBy(() -> client.post(origin(), "/", HEADERS, large, deadline(Duration.ofMillis(300))))
                .isInstanceOf(SocketTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        release.countDown();
    }

    @Test
    void closes_connections_idle_for_longer_than_the_idle_timeout() throws Exception {
        // given
        client.close();
        client = new Http1Client(8, Duration.ofMillis(100), defaultTls());
        CountDownLatch closedByClient = new CountDownLatch(1);
        peer = new Peer((index, in, out) -> {
            readRequest(in);
            write(out, OK);
            if (readRequest(in) == null) {
                closedByClient.countDown();
            }
        });
        try (var response = post()) {
            readAll(response);
        }

        // then
        assertThat(closedByClient.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void keeps_no_more_idle_connections_than_its_limit() throws Exception {
        // given
        client.close();
        client = new Http1Client(1, Duration.ofSeconds(30), defaultTls());
        CountDownLatch closedByClient = new CountDownLatch(1);
        peer = new Peer((index, in, out) -> {
            while (readRequest(in) != null) {
                write(out, OK);
            }
            closedByClient.countDown();
        });

        // when: two responses are open at once, so two connections, then both end
        var first = post();
        var second = post();
        readAll(first);
        readAll(second);

        // then
        assertThat(peer.accepted).hasValue(2);
        assertThat(closedByClient.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void speaks_tls_with_sni_to_a_server_whose_certificate_names_the_host() throws Exception {
        // given
        SSLContext tls = tlsContext();
        client.close();
        client = new Http1Client(8, Duration.ofSeconds(30), tls.getSocketFactory());
        peer = new Peer(tls, (index, in, out) -> {
            while (readRequest(in) != null) {
                write(out, OK);
            }
        });

        // when
        for (int i = 0; i < 2; i++) {
            try (var response = client.post(
                    new Http1Client.Origin(true, "localhost", peer.port()),
                    "/",
                    HEADERS,
                    BODY,
                    deadline(Duration.ofSeconds(5)))) {
                assertThat(readAll(response)).isEqualTo("ok");
            }
        }

        // then
        assertThat(peer.serverNames).containsExactly("localhost");
        assertThat(peer.accepted).hasValue(1);
    }

    @Test
    void asks_for_tls_only_when_it_opens_an_https_connection() throws Exception {
        // given: a client that counts how often it needs its TLS socket factory
        SSLContext tls = tlsContext();
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        client.close();
        client = new Http1Client(8, Duration.ofSeconds(30), () -> {
            asked.incrementAndGet();
            return tls.getSocketFactory();
        });
        peer = new Peer((index, in, out) -> {
            while (readRequest(in) != null) {
                write(out, OK);
            }
        });

        // when: plain HTTP
        try (var response = post()) {
            assertThat(readAll(response)).isEqualTo("ok");
        }

        // then: no TLS set-up at all
        assertThat(asked).hasValue(0);

        // when: HTTPS
        Peer secure = new Peer(tls, (index, in, out) -> {
            while (readRequest(in) != null) {
                write(out, OK);
            }
        });
        try (secure;
                var response = client.post(
                        new Http1Client.Origin(true, "localhost", secure.port()),
                        "/",
                        HEADERS,
                        BODY,
                        deadline(Duration.ofSeconds(5)))) {
            assertThat(readAll(response)).isEqualTo("ok");
        }

        // then
        assertThat(asked).hasValue(1);
    }

    @Test
    void refuses_a_certificate_that_does_not_name_the_host() throws Exception {
        // given: the certificate is trusted but names localhost, not 127.0.0.1
        SSLContext tls = tlsContext();
        client.close();
        client = new Http1Client(8, Duration.ofSeconds(30), tls.getSocketFactory());
        peer = new Peer(tls, (index, in, out) -> readRequest(in));

        // then
        assertThatThrownBy(() -> client.post(
                        new Http1Client.Origin(true, "127.0.0.1", peer.port()),
                        "/",
                        HEADERS,
                        BODY,
                        deadline(Duration.ofSeconds(5))))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void fails_tls_against_a_server_that_does_not_speak_it() throws Exception {
        // given
        peer = new Peer((index, in, out) -> {
            in.read();
            write(out, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        });

        // then
        assertThatThrownBy(() -> client.post(
                        new Http1Client.Origin(true, "localhost", peer.port()),
                        "/",
                        HEADERS,
                        BODY,
                        deadline(Duration.ofSeconds(5))))
                .isInstanceOf(SSLException.class);
    }

    @Test
    void refuses_a_header_that_would_break_the_request() {
        assertThatThrownBy(() -> client.post(
                        origin(), "/", Map.of("X-Evil", "a\r\nHost: b"), BODY, deadline(Duration.ofSeconds(1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reports_a_response_that_is_not_http_as_a_protocol_error() throws Exception {
        // given
        peer = new Peer((index, in, out) -> {
            readRequest(in);
            write(out, "SSH-2.0-OpenSSH_9.6\r\n");
        });

        // then
        assertThatThrownBy(this::post).isInstanceOf(java.net.ProtocolException.class);
    }

    private Http1Client.Response post() throws IOException {
        return post(HEADERS);
    }

    private Http1Client.Response post(Map<String, String> headers) throws IOException {
        return client.post(origin(), "/v1/chat/completions", headers, BODY, deadline(Duration.ofSeconds(5)));
    }

    private Http1Client.Origin origin() {
        return new Http1Client.Origin(false, "127.0.0.1", peer == null ? 9 : peer.port());
    }

    private static long deadline(Duration in) {
        return System.nanoTime() + in.toNanos();
    }

    private static String readAll(Http1Client.Response response) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[7];
        int n;
        while ((n = response.read(buffer, 0, buffer.length, deadline(Duration.ofSeconds(5)))) >= 0) {
            out.write(buffer, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Serves and trusts the test certificate for localhost (tls-localhost.p12, EC, valid to 2126). */
    private static SSLContext tlsContext() throws Exception {
        char[] password = "test-only".toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Http1ClientTest.class.getResourceAsStream("/tls-localhost.p12")) {
            store.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private static SSLSocketFactory defaultTls() {
        return (SSLSocketFactory) SSLSocketFactory.getDefault();
    }

    private static String lengthResponse(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static String chunkedResponse(String body) {
        return "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length()) + "\r\n"
                + body + "\r\n0\r\n\r\n";
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads one request (head and Content-Length body) and records it; null at the end of the stream. */
    private @Nullable String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            if (head.size() >= 4 && head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                break;
            }
        }
        if (b == -1) {
            return null;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int at = text.indexOf("Content-Length: ");
        int length = Integer.parseInt(text.substring(at + 16, text.indexOf("\r\n", at)));
        String request = text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
        peer.requests.add(request);
        return request;
    }

    @FunctionalInterface
    interface Script {
        /** Serves the connection with this index (0 for the first); the peer closes it afterwards. */
        void serve(int index, InputStream in, OutputStream out) throws Exception;
    }

    /** A loopback server that runs a script per accepted connection, on virtual threads. */
    static final class Peer implements AutoCloseable {

        final ServerSocket server;
        final AtomicInteger accepted = new AtomicInteger();
        final List<String> requests = new CopyOnWriteArrayList<>();
        final List<Socket> sockets = new CopyOnWriteArrayList<>();
        final List<String> serverNames = new CopyOnWriteArrayList<>();
        volatile Runnable afterClose = () -> {};

        Peer(Script script) {
            this(null, script);
        }

        /** A peer that speaks TLS with this context's certificate when it is not null. */
        Peer(@Nullable SSLContext tls, Script script) {
            try {
                server = tls == null
                        ? new ServerSocket(0, 50, InetAddress.getLoopbackAddress())
                        : tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread.ofVirtual().start(() -> {
                while (true) {
                    Socket socket;
                    try {
                        socket = server.accept();
                    } catch (IOException e) {
                        return;
                    }
                    int index = accepted.getAndIncrement();
                    sockets.add(socket);
                    Thread.ofVirtual().start(() -> {
                        try (socket) {
                            if (socket instanceof SSLSocket ssl) {
                                ssl.startHandshake();
                                ((ExtendedSSLSession) ssl.getSession())
                                        .getRequestedServerNames()
                                        .forEach(name -> serverNames.add(((SNIHostName) name).getAsciiName()));
                            }
                            script.serve(
                                    index, new BufferedInputStream(socket.getInputStream()), socket.getOutputStream());
                        } catch (Exception e) {
                            // the client went away
                        }
                        afterClose.run();
                    });
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() {
            try {
                server.close();
                for (Socket socket : sockets) {
                    socket.close();
                }
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
