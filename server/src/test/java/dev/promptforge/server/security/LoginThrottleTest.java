package dev.promptforge.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;

class LoginThrottleTest {

    private Instant now = Instant.parse("2026-11-22T10:00:00Z");

    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    private final AuthenticationProvider passwords = new AuthenticationProvider() {
        @Override
        public org.springframework.security.core.Authentication authenticate(
                org.springframework.security.core.Authentication authentication) {
            if (!"right".equals(authentication.getCredentials())) {
                throw new BadCredentialsException("bad");
            }
            return UsernamePasswordAuthenticationToken.authenticated(authentication.getName(), null, List.of());
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return true;
        }
    };

    /** The throttle's table in a fresh SQLite database, created by the real migration. */
    private final JdbcClient jdbc = database();

    private final LoginThrottle throttle = new LoginThrottle(passwords, jdbc, clock);

    private static JdbcClient database() {
        try {
            Path dir = Files.createTempDirectory("login-throttle-");
            JdbcClient jdbc =
                    JdbcClient.create(new SingleConnectionDataSource("jdbc:sqlite:" + dir.resolve("test.db"), true));
            String ddl = new String(
                    LoginThrottleTest.class
                            .getResourceAsStream("/db/migration/sqlite/V12__login_failures.sql")
                            .readAllBytes(),
                    StandardCharsets.UTF_8);
            for (String statement : ddl.replaceAll("--[^\n]*", "").split(";")) {
                if (!statement.isBlank()) {
                    jdbc.sql(statement).update();
                }
            }
            return jdbc;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void attempt(String password) {
        throttle.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("ana", password));
    }

    @Test
    void locks_after_the_free_attempts_and_doubles_the_lock_with_every_further_failure() {
        // given
        for (int i = 0; i < LoginThrottle.FREE_ATTEMPTS - 1; i++) {
            assertThatThrownBy(() -> attempt("wrong")).isInstanceOf(BadCredentialsException.class);
        }
        attempt("right"); // a success resets the count
        for (int i = 0; i < LoginThrottle.FREE_ATTEMPTS; i++) {
            assertThatThrownBy(() -> attempt("wrong")).isInstanceOf(BadCredentialsException.class);
        }
        // then: locked for 1 s, even for the right password
        assertThatThrownBy(() -> attempt("right")).isInstanceOf(LockedException.class);
        now = now.plus(Duration.ofMillis(1001));
        assertThatThrownBy(() -> attempt("wrong")).isInstanceOf(BadCredentialsException.class);
        // the next lock is 2 s
        now = now.plus(Duration.ofMillis(1500));
        assertThatThrownBy(() -> attempt("right")).isInstanceOf(LockedException.class);
        now = now.plus(Duration.ofMillis(600));
        attempt("right");
    }

    @Test
    void every_instance_on_the_database_enforces_the_same_lock() {
        // given a second instance on the same database
        LoginThrottle other = new LoginThrottle(passwords, jdbc, clock);
        // when the failures are spread over both
        for (int i = 0; i < LoginThrottle.FREE_ATTEMPTS; i++) {
            LoginThrottle instance = i % 2 == 0 ? throttle : other;
            assertThatThrownBy(() ->
                            instance.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("Ana", "wrong")))
                    .isInstanceOf(BadCredentialsException.class);
        }
        // then both refuse even the right password, whatever the username's case
        assertThatThrownBy(
                        () -> other.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("ana", "right")))
                .isInstanceOf(LockedException.class);
        assertThatThrownBy(() -> attempt("right")).isInstanceOf(LockedException.class);
        // and the table holds no username, only its hash
        assertThat(jdbc.sql("SELECT username FROM login_failures")
                        .query(String.class)
                        .list())
                .containsExactly(LoginThrottle.key("ana"));
    }

    @Test
    void never_locks_longer_than_the_maximum() {
        // given many failures, each after the previous lock ran out
        for (int i = 0; i < 60; i++) {
            assertThatThrownBy(() -> attempt("wrong")).isInstanceOf(BadCredentialsException.class);
            now = now.plus(Duration.ofHours(1));
        }
        assertThatThrownBy(() -> attempt("wrong")).isInstanceOf(BadCredentialsException.class);
        // when locked at the maximum
        now = now.plus(LoginThrottle.MAX_LOCK).minusMillis(1);
        assertThatThrownBy(() -> attempt("right")).isInstanceOf(LockedException.class);
        now = now.plusMillis(2);
        // then
        attempt("right");
    }
}
