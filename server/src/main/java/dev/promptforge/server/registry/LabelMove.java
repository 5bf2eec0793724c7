package dev.promptforge.server.registry;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One move of a label: from which version (null when the label was created) to which, by whom. */
public record LabelMove(String label, @Nullable Integer fromVersion, int toVersion, String movedBy, Instant movedAt) {}
