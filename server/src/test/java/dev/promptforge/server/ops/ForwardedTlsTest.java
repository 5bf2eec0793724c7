package dev.promptforge.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.shared.SecurityHeaders;
import dev.promptforge.server.support.ApiTestBase;
import dev.promptforge.server.support.SqliteTestDatabase;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * Behind a TLS-terminating proxy ({@code PROMPTFORGE_FORWARD_HEADERS=native}): a request the proxy
 * (here on loopback, an internal address) marks {@code X-Forwarded-Proto: https} is treated as secure
 * — HSTS and a Secure session cookie; without the header it is plain HTTP.
 */
@ContextConfiguration(initializers = SqliteTestDatabase.class)
@TestPropertySource(properties = "PROMPTFORGE_FORWARD_HEADERS=native")
class ForwardedTlsTest extends ApiTestBase {

    private HttpResponse<String> signIn(HttpClient client, String proto) throws Exception {
        HttpRequest.Builder page = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"));
        if (proto != null) {
            page.header("X-Forwarded-Proto", proto);
        }
        String body =
                client.send(page.build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(body);
        assertThat(csrf.find()).isTrue();
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=admin&password=" + ADMIN_PASSWORD + "&_csrf="
                        + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)));
        if (proto != null) {
            post.header("X-Forwarded-Proto", proto);
        }
        return client.send(post.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void a_request_the_proxy_received_over_tls_gets_hsts_and_a_secure_session_cookie() throws Exception {
        // when
        HttpResponse<String> forwarded = signIn(
                HttpClient.newBuilder().cookieHandler(new CookieManager()).build(), "https");
        HttpResponse<String> plain = signIn(
                HttpClient.newBuilder().cookieHandler(new CookieManager()).build(), null);
        // then
        assertThat(forwarded.headers().firstValue("Strict-Transport-Security")).hasValue(SecurityHeaders.HSTS);
        assertThat(forwarded.headers().allValues("Set-Cookie"))
                .anySatisfy(cookie ->
                        assertThat(cookie).startsWith("PROMPTFORGE_SESSION=").containsIgnoringCase("Secure"));
        assertThat(plain.headers().firstValue("Strict-Transport-Security")).isEmpty();
        assertThat(plain.headers().allValues("Set-Cookie"))
                .anySatisfy(cookie -> assertThat(cookie).startsWith("PROMPTFORGE_SESSION="))
                .noneSatisfy(cookie -> assertThat(cookie).containsIgnoringCase("Secure"));
    }
}
