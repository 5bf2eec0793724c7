package dev.promptforge.pii;

/**
 * Restores placeholders in an answer that arrives in chunks, also when a placeholder is split
 * across chunks. Not thread-safe: one per stream.
 */
public interface StreamingRestorer {

    /** Accepts the next chunk; returns the restored text that can be emitted now (maybe empty). */
    String push(CharSequence chunk);

    /** Ends the stream; returns whatever was held back. */
    String finish();
}
