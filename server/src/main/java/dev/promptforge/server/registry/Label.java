package dev.promptforge.server.registry;

import java.time.Instant;

/** A label (environment such as {@code production}) pointing at one version of a prompt. */
public record Label(String name, int version, String updatedBy, Instant updatedAt) {}
