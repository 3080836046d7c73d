package dev.switchboard.controller.internal;

/**
 * Where a connection is in the OpenFlow handshake. Entering a state sends the request the
 * state then waits for; each state names the next.
 */
enum HandshakeState {
    /** Our HELLO is sent; waiting for the switch's HELLO to negotiate a version. Next: WAIT_FEATURES_REPLY. */
    WAIT_HELLO,
    /** FEATURES_REQUEST sent; the reply gives the datapath id. Next: WAIT_PORT_DESC (1.3+) or WAIT_DESC. */
    WAIT_FEATURES_REPLY,
    /** Multipart PORT_DESC request sent; collecting all its parts. Next: WAIT_DESC. */
    WAIT_PORT_DESC,
    /** SET_CONFIG, the table-miss flow (1.3+) and a DESC request sent. Next: WAIT_BARRIER. */
    WAIT_DESC,
    /** BARRIER sent: its reply proves the switch took the configuration. Next: READY. */
    WAIT_BARRIER,
    /** The handshake stage gave its place to {@link SwitchHandler}, which registers and announces the switch. */
    READY,
    /** The connection is closed. */
    CLOSED
}
