package dev.switchboard.controller;

/**
 * Fails a multipart request whose reply grew past {@code maxReplyBytes}: the parts received
 * were dropped, and the rest of that reply is discarded as it arrives. The switch stays
 * connected.
 */
public final class ReplyTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ReplyTooLargeException(String message) {
        super(message);
    }
}
