package dev.switchboard.controller;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.projectfloodlight.openflow.protocol.OFBarrierReply;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFRequest;
import org.projectfloodlight.openflow.protocol.OFStatsReply;
import org.projectfloodlight.openflow.protocol.OFStatsRequest;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * A switch that finished the handshake. Safe to use from any thread.
 *
 * <p>Writes made on the switch's own event-loop thread while it is handling that switch's
 * messages (a packet-in processor, a listener) are flushed once at the end of the read
 * burst; writes from any other thread are flushed at once.
 */
public interface OFSwitch {

    DatapathId id();

    /** The negotiated OpenFlow version. */
    OFVersion version();

    /** Builds messages of the negotiated version. */
    OFFactory factory();

    SwitchFeatures features();

    SwitchDescription description();

    /** The ports as last reported, by number; an immutable snapshot. */
    Map<OFPort, OFPortDesc> ports();

    default Optional<OFPortDesc> port(OFPort number) {
        return Optional.ofNullable(ports().get(number));
    }

    InetSocketAddress remoteAddress();

    /**
     * When this connection finished its handshake; empty for a switch that does not know it
     * (a test's fake). The REST API shows it.
     */
    default Optional<Instant> connectedSince() {
        return Optional.empty();
    }

    boolean isConnected();

    /**
     * This instance's role for the switch: {@link ControllerRole#EQUAL} alone; in a cluster
     * {@link ControllerRole#MASTER} or {@link ControllerRole#SLAVE}. State-changing writes to a
     * switch in role SLAVE fail with {@link NotMasterException}.
     */
    default ControllerRole controllerRole() {
        return ControllerRole.EQUAL;
    }

    void write(OFMessage message);

    void writeAll(Iterable<? extends OFMessage> messages);

    /**
     * Writes all of {@code messages}, or none of them when the switch's outbound budget
     * ({@code peerBufferBytes}) cannot take them all now; unlike {@link #writeAll}, which drops
     * a refused write with a log line only, this tells the caller so it can try again later (bulk
     * flow programming paces itself this way). Messages that cannot be encoded are dropped and
     * logged as by {@link #write}. On the switch's event loop during a read burst the messages
     * join the burst's batch, as {@link #writeAll}'s do.
     *
     * @return false when nothing was sent because the budget was full
     */
    default boolean tryWriteAll(List<? extends OFMessage> messages) {
        writeAll(messages);
        return true;
    }

    /**
     * Sends a request and completes with the reply of the same xid, exceptionally with
     * {@link SwitchErrorException} if the switch answers with an ERROR, with a
     * {@link java.util.concurrent.TimeoutException} after the configured request timeout,
     * or with {@link SwitchDisconnectedException}.
     */
    <R extends OFMessage> CompletableFuture<R> request(OFRequest<R> request);

    <R extends OFMessage> CompletableFuture<R> request(OFRequest<R> request, Duration timeout);

    /** Sends a multipart (stats) request and completes with all parts of the reply. */
    <R extends OFStatsReply> CompletableFuture<List<R>> requestStats(OFStatsRequest<R> request);

    <R extends OFStatsReply> CompletableFuture<List<R>> requestStats(OFStatsRequest<R> request, Duration timeout);

    /** Completes when the switch has processed everything sent to it before. */
    default CompletableFuture<OFBarrierReply> barrier() {
        return request(factory().buildBarrierRequest().build());
    }

    /**
     * A bundle id (OpenFlow 1.4+) not handed out before on this connection. A switch keeps its
     * bundles per connection, so the connection is what hands the ids out: two bulk installs, two
     * installers, or an API restarted while the switch stays connected can never open two bundles
     * with one id, and a new connection (which the switch gives fresh bundles) starts afresh.
     *
     * @throws UnsupportedOperationException from a switch that cannot open bundles (a test's fake)
     */
    default int nextBundleId() {
        throw new UnsupportedOperationException("switch " + id() + " hands out no bundle ids");
    }

    /** Closes the connection; the switch is removed and listeners are told. */
    void disconnect();
}
