package dev.promptforge.server.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * Password sign-in with a backoff per username: after {@link #FREE_ATTEMPTS} failures in a row the
 * account is locked for 1 s, doubling with every further failure up to {@link #MAX_LOCK}; a success
 * resets it. While locked, even the right password is refused, so guessing gains nothing by speed.
 * The counts are in the database ({@code login_failures}, keyed by a hash of the lower-cased
 * username), so every instance on it enforces the same lock; entries untouched for a day are dropped.
 */
final class LoginThrottle implements AuthenticationProvider {

    static final int FREE_ATTEMPTS = 5;
    static final Duration MAX_LOCK = Duration.ofMinutes(15);
    static final Duration FORGET_AFTER = Duration.ofDays(1);

    private final AuthenticationProvider delegate;
    private final JdbcClient jdbc;
    private final Clock clock;

    LoginThrottle(AuthenticationProvider delegate, JdbcClient jdbc, Clock clock) {
        this.delegate = delegate;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        String user = key(String.valueOf(authentication.getName()));
        long now = clock.millis();
        Long lockedUntil = jdbc.sql("SELECT locked_until FROM login_failures WHERE username = :u")
                .param("u", user)
                .query(Long.class)
                .optional()
                .orElse(null);
        if (lockedUntil != null && lockedUntil > now) {
            throw new LockedException("Too many failed sign-ins; try again later.");
        }
        try {
            Authentication result = delegate.authenticate(authentication);
            if (lockedUntil != null) {
                jdbc.sql("DELETE FROM login_failures WHERE username = :u")
                        .param("u", user)
                        .update();
            }
            return result;
        } catch (BadCredentialsException e) {
            recordFailure(user, now);
            throw e;
        }
    }

    private void recordFailure(String user, long now) {
        jdbc.sql("""
                        INSERT INTO login_failures (username, failures, locked_until, updated_at)
                        VALUES (:u, 1, 0, :now)
                        ON CONFLICT (username) DO UPDATE SET failures = login_failures.failures + 1,
                            updated_at = excluded.updated_at
                        """).param("u", user).param("now", now).update();
        int count = jdbc.sql("SELECT failures FROM login_failures WHERE username = :u")
                .param("u", user)
                .query(Integer.class)
                .single();
        if (count >= FREE_ATTEMPTS) {
            long lock = Math.min(MAX_LOCK.toMillis(), 1000L << Math.min(30, count - FREE_ATTEMPTS));
            jdbc.sql("UPDATE login_failures SET locked_until = :until WHERE username = :u")
                    .param("until", now + lock)
                    .param("u", user)
                    .update();
        }
        if (count == 1) {
            jdbc.sql("DELETE FROM login_failures WHERE updated_at < :before")
                    .param("before", now - FORGET_AFTER.toMillis())
                    .update();
        }
    }

    /** The stored key of a username: a hash, so the table holds no typed-in text of any length. */
    static String key(String username) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(username.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
