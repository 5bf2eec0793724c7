package dev.promptforge.eval.run;

/** Follows a run; called from the runner's threads, so implementations must be thread-safe. */
public interface ProgressListener {

    /** Before the first call: how many cells the run has. */
    default void started(int total) {}

    /** After each cell. */
    default void finished(TestResult result) {}

    /** After the last cell. */
    default void done() {}

    ProgressListener NONE = new ProgressListener() {};
}
