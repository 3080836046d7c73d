package dev.switchboard.server;

/** A failure whose message tells the user what went wrong and what to do; printed without a stack trace. */
final class UserFacingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UserFacingException(String message) {
        super(message);
    }

    UserFacingException(String message, Throwable cause) {
        super(message, cause);
    }
}
