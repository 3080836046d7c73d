package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The renderer with a clock the test sets: what it prints on a terminal and elsewhere. */
class ProgressTest {
    private final StringWriter text = new StringWriter();
    private long now = 1_000;

    private Progress progress(boolean terminal) {
        return new Progress(new PrintWriter(text), terminal, () -> now);
    }

    private void after(long millis) {
        now += TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void offATerminalAShortOperationPrintsItsSummaryAlone() {
        Progress progress = progress(false);
        progress.start("kernel", 10);
        after(300);
        progress.advance(4);
        progress.advance(6);
        progress.start("ovs ports", 80);
        after(1_800);
        progress.advance(80);

        progress.finish("lab up: 64 hosts, 80 links");

        assertThat(text.toString()).isEqualTo("lab up: 64 hosts, 80 links in 2.1 s" + System.lineSeparator());
    }

    @Test
    void offATerminalALongStepPrintsAFewPlainLines() {
        Progress progress = progress(false);
        progress.start("ovs add-ports", 1000);
        for (int chunk = 0; chunk < 10; chunk++) {
            after(1_200);
            progress.advance(100);
        }
        progress.finish("add-ports: 1000 ports added to br0");

        assertThat(text.toString().lines().toList()).containsExactly(
                "ovs add-ports: 500/1000 (50%)",
                "ovs add-ports: 1000/1000 (100%)",
                "add-ports: 1000 ports added to br0 in 12.0 s");
        assertThat(text.toString()).doesNotContain("\r", "\033");
    }

    @Test
    void onATerminalAStepIsOneLineRedrawnInPlaceAndEndedWhenComplete() {
        Progress progress = progress(true);
        progress.start("namespaces", 3);
        after(200);
        progress.advance(1);
        after(10); // too soon to redraw
        progress.advance(1);
        after(200);
        progress.advance(1);
        progress.finish("lab down: 3 namespaces");

        assertThat(text.toString()).isEqualTo("\rnamespaces: 0/3 (0%)\033[K"
                + "\rnamespaces: 1/3 (33%)\033[K"
                + "\rnamespaces: 3/3 (100%)\033[K" + System.lineSeparator()
                + "lab down: 3 namespaces in 0.4 s" + System.lineSeparator());
    }

    @Test
    void onATerminalAStepLeftIncompleteIsEndedBeforeTheSummary() {
        Progress progress = progress(true);
        progress.start("kernel", 5);
        after(160);
        progress.advance(2);
        progress.finish("lab up failed half way");

        assertThat(text.toString()).endsWith("\rkernel: 2/5 (40%)\033[K" + System.lineSeparator()
                + "lab up failed half way in 0.2 s" + System.lineSeparator());
    }
}
