package dev.switchboard.it;

/** {@link OvsRestartIT} with the {@code forwarding} app (and so the hosts app) forwarding the pings. */
class OvsRestartForwardingIT extends OvsRestartIT {
    @Override
    String app() {
        return "forwarding";
    }
}
