package dev.promptforge.server.security;

/** A member's role in a project, from the most to the least powerful. */
public enum Role {
    OWNER,
    ADMIN,
    MEMBER,
    VIEWER;

    /** True when this role has every right of {@code other}. */
    public boolean includes(Role other) {
        return ordinal() <= other.ordinal();
    }
}
