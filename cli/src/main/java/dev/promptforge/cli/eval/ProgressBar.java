package dev.promptforge.cli.eval;

import dev.promptforge.eval.run.ProgressListener;
import dev.promptforge.eval.run.TestResult;
import java.io.PrintWriter;

/** A one-line progress bar, redrawn in place with a carriage return; for terminals only. */
final class ProgressBar implements ProgressListener {

    private static final int WIDTH = 30;

    private final PrintWriter out;
    private int total;
    private int done;
    private int failed;
    private int errors;

    ProgressBar(PrintWriter out) {
        this.out = out;
    }

    @Override
    public synchronized void started(int cells) {
        this.total = cells;
        draw();
    }

    @Override
    public synchronized void finished(TestResult result) {
        done++;
        if (result.status() == TestResult.Status.FAIL) {
            failed++;
        } else if (result.status() == TestResult.Status.ERROR) {
            errors++;
        }
        draw();
    }

    @Override
    public synchronized void done() {
        out.print("\r" + " ".repeat(line().length()) + "\r");
        out.flush();
    }

    private void draw() {
        out.print("\r" + line());
        out.flush();
    }

    String line() {
        int filled = total == 0 ? WIDTH : (int) ((long) done * WIDTH / total);
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + done + "/" + total
                + (failed > 0 ? " " + failed + " failed" : "") + (errors > 0 ? " " + errors + " errors" : "");
    }
}
