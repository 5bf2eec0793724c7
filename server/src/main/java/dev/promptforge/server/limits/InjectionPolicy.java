package dev.promptforge.server.limits;

import java.util.Locale;

/** What a project does with input the injection detector flags. */
public enum InjectionPolicy {
    /** Refuse the call before the provider sees it; record it as an error. */
    BLOCK,
    /** Send it, mark its record and raise a security event. */
    FLAG,
    /** Do not scan. */
    OFF;

    String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
