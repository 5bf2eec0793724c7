package dev.promptforge.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.shared.SecurityHeaders;
import dev.promptforge.server.support.ApiTestBase;
import dev.promptforge.server.support.SqliteTestDatabase;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /** A client trusting the test certificate, keeping cookies. */
    private static HttpClient client() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = TlsTest.class.getResourceAsStream("/tls-localhost.p12")) {
            store.load(in, "test-only".toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder()
                .sslContext(tls)
                .cookieHandler(new CookieManager())
                .build();
    }

    @Test
    void signs_in_over_tls_into_a_secure_session_cookie() throws Exception {
        // given
        HttpClient client = client();
        HttpResponse<String> page = client.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + tlsPort + "/login"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page.body());
        assertThat(csrf.find()).isTrue();
        // when
        HttpResponse<String> signedIn = client.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + tlsPort + "/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("username=admin&password=" + ADMIN_PASSWORD
                                + "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        // then
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(signedIn.headers().allValues("Set-Cookie"))
                .anySatisfy(cookie -> assertThat(cookie)
                        .startsWith("PROMPTFORGE_SESSION=")
                        .containsIgnoringCase("Secure")
                        .containsIgnoringCase("HttpOnly"));
    }

    @Test
    void serves_https_with_hsts_from_the_configured_keystore() throws Exception {
        // given: a client trusting the test certificate
        HttpClient client = client();
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
