package dev.promptforge.server.shared;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * The correlation id of a request: the caller's {@code X-Request-Id} when it is sane, else a new one.
 * It goes in every log line (MDC {@code requestId}), every problem body and the response header.
 */
public final class Correlation {

    public static final String HEADER = "X-Request-Id";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");

    private Correlation() {}

    /** Gives the request its id (MDC and response header); call {@link #end()} when it is answered. */
    public static String begin(HttpServletRequest request, HttpServletResponse response) {
        String incoming = request.getHeader(HEADER);
        String id = incoming != null && SAFE.matcher(incoming).matches() ? incoming : randomId();
        MDC.put(Problems.REQUEST_ID, id);
        response.setHeader(HEADER, id);
        return id;
    }

    /** A random (version 4) UUID from {@link ThreadLocalRandom}: a correlation id is no secret. */
    private static String randomId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    public static void end() {
        MDC.remove(Problems.REQUEST_ID);
    }
}
