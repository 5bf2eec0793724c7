package dev.promptforge.server.shared;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/** Time-ordered identifiers (UUID version 7), so ids sort by creation and index well. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    public static String newId(Clock clock) {
        long millis = clock.millis();
        long randA = RANDOM.nextLong();
        long randB = RANDOM.nextLong();
        long msb = (millis << 16) | 0x7000L | (randA & 0x0FFFL);
        long lsb = (randB & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
