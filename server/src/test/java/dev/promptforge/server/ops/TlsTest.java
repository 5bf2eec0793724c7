package dev.promptforge.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.shared.SecurityHeaders;
import dev.promptforge.server.support.ApiTestBase;
import dev.promptforge.server.support.SqliteTestDatabase;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/** TLS from the PROMPTFORGE_TLS_* settings, with HSTS on its answers. */
@ContextConfiguration(initializers = SqliteTestDatabase.class)
@TestPropertySource(
        properties = {
            "PROMPTFORGE_TLS_ENABLED=true",
            "PROMPTFORGE_TLS_KEYSTORE=classpath:tls-localhost.p12",
            "PROMPTFORGE_TLS_KEYSTORE_PASSWORD=test-only"
        })
class TlsTest extends ApiTestBase {

    @LocalServerPort
    int tlsPort;

    @Test
    void serves_https_with_hsts_from_the_configured_keystore() throws Exception {
        // given: a client trusting the test certificate
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = TlsTest.class.getResourceAsStream("/tls-localhost.p12")) {
            store.load(in, "test-only".toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(tls).build();
        // when
        HttpResponse<String> health = client.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + tlsPort + "/api/v1/health"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> proxy = client.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + tlsPort + "/v1/chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        // then
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.headers().firstValue("Strict-Transport-Security")).hasValue(SecurityHeaders.HSTS);
        assertThat(proxy.statusCode()).isEqualTo(401);
        assertThat(proxy.headers().firstValue("Strict-Transport-Security")).hasValue(SecurityHeaders.HSTS);
    }
}
