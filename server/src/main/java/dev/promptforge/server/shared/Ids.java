package dev.promptforge.server.shared;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Time-ordered identifiers (UUID version 7), so ids sort by creation and index well. Their random
 * bits come from {@link ThreadLocalRandom}: ids are names, not secrets (every route checks access),
 * and a shared {@code SecureRandom} is a lock and a read of {@code /dev/urandom} on every request.
 */
public final class Ids {

    private Ids() {}

    public static String newId(Clock clock) {
        long millis = clock.millis();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long randA = random.nextLong();
        long randB = random.nextLong();
        long msb = (millis << 16) | 0x7000L | (randA & 0x0FFFL);
        long lsb = (randB & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
