package dev.switchboard.server.cli;

/**
 * The exit statuses of the commands that talk to a running controller, for scripts to act on:
 * whether to retry (3), fix the command line (2) or look at what the controller refused (1).
 */
final class ExitStatus {
    static final int OK = 0;
    /** The controller answered and refused: an unknown switch (404), a bad request (400), a conflict (409), flows that failed. */
    static final int FAILED = 1;
    /** The command line is wrong (picocli's own status for that), or a file it names cannot be read. */
    static final int USAGE = 2;
    /** No answer to act on: the controller cannot be reached, refused the token (401), or failed itself (5xx). */
    static final int UNREACHABLE = 3;

    static final String HEADING = "%nExit status:%n";
    static final String OK_LINE = "0:done";
    static final String FAILED_LINE = "1:the controller refused: unknown switch (404), bad request (400), conflict (409), "
            + "or some flows failed";
    static final String USAGE_LINE = "2:wrong command line, or a file given cannot be read";
    static final String UNREACHABLE_LINE = "3:cannot reach the controller, wrong or missing token (401), "
            + "or the controller or switch failed (5xx)";

    private ExitStatus() {
    }
}
