package dev.promptforge.server.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
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
 * In memory, per instance.
 */
final class LoginThrottle implements AuthenticationProvider {

    static final int FREE_ATTEMPTS = 5;
    static final Duration MAX_LOCK = Duration.ofMinutes(15);
    static final int MAX_TRACKED = 100_000;

    private record Failures(int count, long lockedUntil) {}

    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();
    private final AuthenticationProvider delegate;
    private final Clock clock;

    LoginThrottle(AuthenticationProvider delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        String user = String.valueOf(authentication.getName()).toLowerCase(Locale.ROOT);
        long now = clock.millis();
        Failures current = failures.get(user);
        if (current != null && current.lockedUntil() > now) {
            throw new LockedException("Too many failed sign-ins; try again later.");
        }
        try {
            Authentication result = delegate.authenticate(authentication);
            failures.remove(user);
            return result;
        } catch (BadCredentialsException e) {
            if (failures.size() >= MAX_TRACKED) {
                failures.clear();
            }
            failures.compute(user, (k, before) -> {
                int count = before == null ? 1 : before.count() + 1;
                long lock = count < FREE_ATTEMPTS
                        ? 0
                        : Math.min(MAX_LOCK.toMillis(), 1000L << Math.min(30, count - FREE_ATTEMPTS));
                return new Failures(count, lock == 0 ? 0 : now + lock);
            });
            throw e;
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
