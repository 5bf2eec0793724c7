package dev.promptforge.server.security;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
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

    private final LoginThrottle throttle = new LoginThrottle(passwords, clock);

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
