package dev.promptforge.server.shared;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The security log: each event is a line on the logger {@code promptforge.security} and a count on
 * the meter {@code promptforge.security.events}, tagged with its type. Events never carry prompt
 * text, keys or passwords: only who (key id, user), where (project, route) and what happened.
 */
@Component
public class SecurityEvents {

    /** What happened. */
    public enum Type {
        LOGIN_FAILED,
        KEY_REJECTED,
        ACCESS_DENIED,
        RATE_LIMITED,
        BUDGET_EXCEEDED,
        INJECTION_FLAGGED,
        INJECTION_BLOCKED;

        /** The tag value and log name, e.g. {@code key_rejected}. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final String LOGGER = "promptforge.security";

    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    private final Map<Type, Counter> counters = new EnumMap<>(Type.class);

    SecurityEvents(MeterRegistry meters) {
        for (Type type : Type.values()) {
            counters.put(
                    type,
                    Counter.builder("promptforge.security.events")
                            .description("Security events by type (the log promptforge.security has each one)")
                            .tag("type", type.tag())
                            .register(meters));
        }
    }

    /** Logs and counts one event; {@code detail} is a short, data-free description. */
    public void record(Type type, String detail) {
        counters.get(type).increment();
        log.warn("security event {}: {}", type.tag(), detail);
    }

    /** Counts an event without a log line (for repeats of one already logged, such as a 429 storm). */
    public void count(Type type) {
        counters.get(type).increment();
    }
}
