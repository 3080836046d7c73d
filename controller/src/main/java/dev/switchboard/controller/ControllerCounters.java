package dev.switchboard.controller;

/**
 * Totals since the controller started, and a few gauges read when the snapshot was taken.
 *
 * @param unknownMessagesSkipped well-framed messages openflowj does not know (experimenter
 *                               extensions, newer message types), skipped without harm
 * @param unhandledMessages      known messages nobody was waiting for or listening to
 * @param connectionsClosedForBadInput connections closed for breaking the protocol
 * @param processorFailures      packet-in processors that threw
 * @param connectionsRefused     connections closed at once because {@code maxPendingConnections}
 *                               or {@code maxSwitches} was reached
 * @param connectionsClosedUnwritable connections closed because the switch did not take what was
 *                               sent to it for {@code maxUnwritable}
 * @param readPauses             times reading from a switch paused because too much waited to be
 *                               sent to it
 * @param writesRefused          messages refused because {@code peerBufferBytes} waited to be
 *                               sent to their switch already
 * @param openConnections        connections open now, ready or not
 * @param pendingConnections     connections in their handshake now
 * @param pendingWriteBytes      bytes waiting to be sent, all connections together, now
 * @param largestPendingWriteBytes the most bytes waiting for any one connection, now
 * @param repliesTooLarge        multipart replies dropped because they grew past {@code maxReplyBytes}
 */
public record ControllerCounters(
        long unknownMessagesSkipped,
        long unhandledMessages,
        long connectionsClosedForBadInput,
        long processorFailures,
        long connectionsRefused,
        long connectionsClosedUnwritable,
        long readPauses,
        long writesRefused,
        int openConnections,
        int pendingConnections,
        long pendingWriteBytes,
        long largestPendingWriteBytes,
        long repliesTooLarge) {
}
