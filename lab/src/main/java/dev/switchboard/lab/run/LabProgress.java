package dev.switchboard.lab.run;

/**
 * What a long lab operation ({@code up}, {@code down}) tells while it runs: steps of known
 * size, each advanced as parts of it are done, then one summary. Called on the thread that
 * runs the operation, one call at a time. The command line draws it on the terminal; a caller
 * that shows nothing passes {@link #NONE}.
 */
public interface LabProgress {
    /** Shows nothing. */
    LabProgress NONE = new LabProgress() {
        @Override
        public void start(String label, int total) {
        }

        @Override
        public void advance(int n) {
        }

        @Override
        public void finish(String summary) {
        }
    };

    /** A step of {@code total} units begins; the one before, if any, is over. */
    void start(String label, int total);

    /** {@code n} more units of the current step are done. */
    void advance(int n);

    /** The operation is done; {@code summary} says what it did, e.g. {@code "lab up: 64 hosts, 80 links"}. */
    void finish(String summary);
}
