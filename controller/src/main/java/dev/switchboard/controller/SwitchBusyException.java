package dev.switchboard.controller;

/**
 * Fails a request that was not sent because the switch has not taken what was sent to it
 * before: {@code peerBufferBytes} wait for it already. A switch that stays so is disconnected
 * after {@code maxUnwritable}.
 */
public final class SwitchBusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SwitchBusyException(String message) {
        super(message);
    }
}
