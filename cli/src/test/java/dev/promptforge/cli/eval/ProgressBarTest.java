package dev.promptforge.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.eval.run.TestResult;
import dev.promptforge.eval.run.TestResult.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private static TestResult cell(Status status) {
        return new TestResult(
                0,
                "t",
                Map.of(),
                0,
                "p",
                0,
                "local/echo",
                "local/echo",
                0,
                status,
                "p",
                "o",
                null,
                status == Status.ERROR ? "boom" : null,
                1.0,
                false,
                null,
                null,
                null);
    }

    @Test
    void redraws_one_line_with_counts_and_clears_it_when_done() {
        // given
        var text = new StringWriter();
        var bar = new ProgressBar(new PrintWriter(text));

        // when
        bar.started(4);
        bar.finished(cell(Status.PASS));
        bar.finished(cell(Status.FAIL));
        bar.finished(cell(Status.ERROR));

        // then
        assertThat(bar.line()).isEqualTo("[######################........] 3/4 1 failed 1 errors");
        assertThat(text.toString())
                .startsWith("\r[..............................] 0/4")
                .doesNotContain("\n");
        bar.done();
        assertThat(text.toString()).endsWith("\r");
    }
}
