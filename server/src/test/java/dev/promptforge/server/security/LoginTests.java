package dev.promptforge.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.support.ApiTestBase;
import dev.promptforge.server.support.Http;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Password sign-in on the site: session cookie flags, CSRF on the form, backoff after failures. */
abstract class LoginTests extends ApiTestBase {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    /** A browser-like client: keeps cookies, does not follow redirects. */
    private final class Browser {
        final HttpClient client = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();

        HttpResponse<String> get(String path) throws Exception {
            return client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
            String body = String.join(
                    "&",
                    form.entrySet().stream()
                            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                            .toList());
            return client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        String csrf() throws Exception {
            HttpResponse<String> page = get("/login");
            assertThat(page.statusCode()).isEqualTo(200);
            Matcher matcher = CSRF.matcher(page.body());
            assertThat(matcher.find()).as(page.body()).isTrue();
            return matcher.group(1);
        }

        HttpResponse<String> signIn(String user, String password) throws Exception {
            return post("/login", Map.of("username", user, "password", password, "_csrf", csrf()));
        }
    }

    @Test
    void signs_in_with_a_password_into_an_httponly_samesite_session_cookie() throws Exception {
        // given
        Browser browser = new Browser();
        // when
        HttpResponse<String> page = browser.get("/login");
        HttpResponse<String> signedIn = browser.signIn("admin", ADMIN_PASSWORD);
        // then
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("Location").orElse("")).endsWith("/");
        List<String> cookies = signedIn.headers().allValues("Set-Cookie");
        assertThat(cookies)
                .anySatisfy(cookie -> assertThat(cookie)
                        .startsWith("PROMPTFORGE_SESSION=")
                        .containsIgnoringCase("HttpOnly")
                        .containsIgnoringCase("SameSite=Lax")
                        .doesNotContainIgnoringCase("Secure;")
                        .doesNotEndWithIgnoringCase("Secure"));
    }

    @Test
    void a_form_without_its_csrf_token_is_refused() throws Exception {
        // given
        Browser browser = new Browser();
        browser.get("/login");
        // when
        HttpResponse<String> forged = browser.post("/login", Map.of("username", "admin", "password", ADMIN_PASSWORD));
        HttpResponse<String> wrongToken = browser.post(
                "/login", Map.of("username", "admin", "password", ADMIN_PASSWORD, "_csrf", "not-the-token"));
        // then
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(wrongToken.statusCode()).isEqualTo(403);
    }

    @Test
    void repeated_failures_lock_the_account_even_for_the_right_password() throws Exception {
        // given
        String user = unique("login");
        String other = unique("login");
        for (String name : List.of(user, other)) {
            assertThat(api.post("/api/v1/users", Http.json(Map.of("username", name, "password", "right-password")))
                            .status())
                    .isEqualTo(201);
        }
        Browser browser = new Browser();
        // when
        for (int i = 0; i < LoginThrottle.FREE_ATTEMPTS; i++) {
            HttpResponse<String> failed = browser.signIn(user, "wrong-password");
            assertThat(failed.headers().firstValue("Location").orElse("")).endsWith("/login?error");
        }
        HttpResponse<String> locked = browser.signIn(user, "right-password");
        HttpResponse<String> unaffected = new Browser().signIn(other, "right-password");
        // then
        assertThat(locked.statusCode()).isEqualTo(302);
        assertThat(locked.headers().firstValue("Location").orElse("")).endsWith("/login?error");
        assertThat(unaffected.headers().firstValue("Location").orElse("")).doesNotContain("/login");
    }
}
