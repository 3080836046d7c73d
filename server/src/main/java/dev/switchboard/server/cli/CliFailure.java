package dev.switchboard.server.cli;

/**
 * Why a command ends without doing what was asked: the one line it prints
 * ({@code switchboard: <message>}) and the {@link ExitStatus} it exits with.
 */
final class CliFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    private CliFailure(int status, String message, Throwable cause) {
        super(message, cause, false, false);
        this.status = status;
    }

    static CliFailure failed(String message) {
        return new CliFailure(ExitStatus.FAILED, message, null);
    }

    static CliFailure usage(String message) {
        return new CliFailure(ExitStatus.USAGE, message, null);
    }

    static CliFailure usage(String message, Throwable cause) {
        return new CliFailure(ExitStatus.USAGE, message, cause);
    }

    static CliFailure unreachable(String message) {
        return new CliFailure(ExitStatus.UNREACHABLE, message, null);
    }

    static CliFailure unreachable(String message, Throwable cause) {
        return new CliFailure(ExitStatus.UNREACHABLE, message, cause);
    }

    int status() {
        return status;
    }
}
