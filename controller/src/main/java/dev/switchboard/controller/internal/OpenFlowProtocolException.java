package dev.switchboard.controller.internal;

/** The peer broke the OpenFlow protocol; the connection is closed. The message says how. */
final class OpenFlowProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OpenFlowProtocolException(String message) {
        super(message, null, false, false);
    }
}
