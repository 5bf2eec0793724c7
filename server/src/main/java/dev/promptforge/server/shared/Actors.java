package dev.promptforge.server.shared;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The name of whoever is acting in the current request, for authorship and audit. */
public final class Actors {

    public static final String SYSTEM = "system";

    private Actors() {}

    public static String current() {
        return isAuthenticated()
                ? SecurityContextHolder.getContext().getAuthentication().getName()
                : SYSTEM;
    }

    /** True when the request carries a valid credential (not anonymous). */
    public static boolean isAuthenticated() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null
                && authentication.isAuthenticated()
                && !(authentication instanceof AnonymousAuthenticationToken);
    }
}
