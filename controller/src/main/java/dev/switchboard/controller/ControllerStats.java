package dev.switchboard.controller;

import java.util.Collection;
import java.util.Map;

/**
 * The controller's figures, read live (each call reads the counters as they are), for metrics.
 * Plain Java: whoever exports them (the server binds them to Micrometer) reads them when it is
 * asked, so counting costs the controller a counter increment and nothing more. Safe from any
 * thread; no call takes a lock.
 */
public interface ControllerStats {

    /** The ready switches' own stats, a snapshot of the connections ready now. */
    Collection<SwitchStats> switches();

    /** Switches ready now. */
    int connectedSwitches();

    /** Connections open now, ready or in their handshake. */
    int openConnections();

    /** Connections in their handshake now. */
    int pendingConnections();

    /** Connections that ended before their switch was ready, for {@code reason}, since the start. */
    long handshakeFailures(HandshakeFailure reason);

    /** Times a connection became unwritable (a write-buffer stall), all connections together. */
    long writeStalls();

    /** Connections closed because the switch took nothing of what it was sent for {@code maxUnwritable}. */
    long connectionsClosedUnwritable();

    /** Connections closed for breaking the protocol once ready (or in the handshake). */
    long connectionsClosedForBadInput();

    /** Times reading from a switch paused because too much waited to be sent to it. */
    long readPauses();

    /** Messages refused because {@code peerBufferBytes} waited for their switch already. */
    long writesRefused();

    /** Well-framed messages openflowj does not know, skipped. */
    long unknownMessagesSkipped();

    /** Known messages nobody waited for or listened to. */
    long unhandledMessages();

    /** Multipart replies dropped for growing past {@code maxReplyBytes}. */
    long repliesTooLarge();

    /** Bytes waiting to be sent, all connections together, now. */
    long pendingWriteBytes();

    /**
     * Packet-in processors that threw, by the name they were registered under (an app's processors
     * carry the app's name); kept after the processor is removed.
     */
    Map<String, Long> processorFailures();
}
