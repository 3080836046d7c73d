package dev.switchboard.controller.internal;

import dev.switchboard.controller.ControllerRole;
import dev.switchboard.controller.MastershipSource;
import dev.switchboard.controller.NotMasterException;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.SwitchDescription;
import dev.switchboard.controller.SwitchDisconnectedException;
import dev.switchboard.controller.SwitchFeatures;
import dev.switchboard.controller.SwitchBusyException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.projectfloodlight.openflow.protocol.OFBundleCtrlMsg;
import org.projectfloodlight.openflow.protocol.OFBundleCtrlType;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortStatus;
import org.projectfloodlight.openflow.protocol.OFRequest;
import org.projectfloodlight.openflow.protocol.OFStatsReply;
import org.projectfloodlight.openflow.protocol.OFStatsRequest;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A ready switch: the {@link OFSwitch} behind which its Netty channel stays hidden. */
final class SwitchConnection implements OFSwitch {
    private static final Logger log = LoggerFactory.getLogger(SwitchConnection.class);

    private final Channel channel;
    private final SwitchHandler handler;
    private final SwitchRegistry registry;
    private final DatapathId id;
    private final OFFactory factory;
    private final SwitchFeatures features;
    private final SwitchDescription description;
    private final Duration requestTimeout;
    private final PendingRequests pending;
    private final ConnectionStats stats;
    private final Instant connectedSince = Instant.now();
    /** The last bundle id handed out on this connection (see {@link #nextBundleId}). */
    private final AtomicInteger bundleIds = new AtomicInteger();
    /** Replaced, never changed; written only on the channel's event loop. */
    private volatile Map<OFPort, OFPortDesc> ports;
    /** Alone: master; in a cluster, replaced by the role manager before anyone else hears of the switch. */
    private volatile SwitchRole role = SwitchRole.standalone();
    /**
     * In a cluster, the source whose current decision the write gate reads besides the role: a
     * demotion is in effect the moment the source publishes it, before the role manager's turn on
     * this event loop (and so before the cluster lets another instance take the switch).
     */
    private volatile MastershipSource mastership;
    /** Set when a newer connection took this datapath id; its packets no longer reach apps. */
    private volatile boolean replaced;
    /** Set on the channel's event loop once listeners were told {@code switchAdded}; read there only. */
    private boolean announced;

    SwitchConnection(Channel channel, SwitchHandler handler, SwitchRegistry registry, DatapathId id,
            OFFactory factory, SwitchFeatures features, SwitchDescription description,
            Collection<OFPortDesc> ports, Duration requestTimeout, long maxReplyBytes, Counters counters,
            ConnectionStats stats) {
        this.channel = channel;
        this.handler = handler;
        this.registry = registry;
        this.id = id;
        this.factory = factory;
        this.features = features;
        this.description = description;
        this.requestTimeout = requestTimeout;
        this.stats = stats;
        this.pending = new PendingRequests(this, maxReplyBytes, counters);
        Map<OFPort, OFPortDesc> byNumber = new LinkedHashMap<>();
        for (OFPortDesc port : ports) {
            byNumber.put(port.getPortNo(), port);
        }
        this.ports = Map.copyOf(byNumber);
    }

    @Override
    public DatapathId id() {
        return id;
    }

    @Override
    public OFVersion version() {
        return factory.getVersion();
    }

    @Override
    public OFFactory factory() {
        return factory;
    }

    @Override
    public SwitchFeatures features() {
        return features;
    }

    @Override
    public SwitchDescription description() {
        return description;
    }

    @Override
    public Map<OFPort, OFPortDesc> ports() {
        return ports;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    @Override
    public Optional<Instant> connectedSince() {
        return Optional.of(connectedSince);
    }

    @Override
    public boolean isConnected() {
        return channel.isActive();
    }

    /**
     * Outside a read burst the message is encoded on the caller's thread: what it costs is then
     * known before it is queued, so that {@code peerBufferBytes} holds exactly (a message object
     * handed to another thread's event loop would count as a few bytes until encoded there).
     */
    @Override
    public void write(OFMessage message) {
        if (!mayWrite(message)) {
            throw new NotMasterException(id, message.getType().name());
        }
        if (handler.isInReadBurst()) {
            handler.writeInBurst(message);
            return;
        }
        ByteBuf encoded = channel.alloc().ioBuffer();
        if (encode(message, encoded)) {
            if (send(encoded)) {
                count(message, 1);
            }
        } else {
            encoded.release();
        }
    }

    /** Counts {@code admitted} messages of {@code message}'s type as sent (FLOW_MODs and PACKET_OUTs are counted). */
    private void count(OFMessage message, int admitted) {
        switch (message.getType()) {
            case FLOW_MOD -> stats.sentElsewhere(admitted, 0);
            case PACKET_OUT -> stats.sentElsewhere(0, admitted);
            default -> {
            }
        }
    }

    /** As {@link #write}, with the messages encoded back to back into buffers of about 32 KiB. */
    @Override
    public void writeAll(Iterable<? extends OFMessage> messages) {
        if (!writes()) {
            refuseStateChanges(messages);
        }
        if (handler.isInReadBurst()) {
            for (OFMessage message : messages) {
                handler.writeInBurst(message);
            }
            return;
        }
        ByteBuf encoded = channel.alloc().ioBuffer();
        int flowMods = 0;
        int packetOuts = 0;
        for (OFMessage message : messages) {
            if (encode(message, encoded)) {
                OFType type = message.getType();
                flowMods += type == OFType.FLOW_MOD ? 1 : 0;
                packetOuts += type == OFType.PACKET_OUT ? 1 : 0;
            }
            if (encoded.readableBytes() >= OutboundBatch.HANDOFF_BYTES) {
                if (send(encoded)) {
                    stats.sentElsewhere(flowMods, packetOuts);
                }
                flowMods = 0;
                packetOuts = 0;
                encoded = channel.alloc().ioBuffer();
            }
        }
        if (encoded.isReadable()) {
            if (send(encoded)) {
                stats.sentElsewhere(flowMods, packetOuts);
            }
        } else {
            encoded.release();
        }
    }

    /** All in one buffer, so the budget admits or refuses them as a whole. */
    @Override
    public boolean tryWriteAll(List<? extends OFMessage> messages) {
        if (!writes()) {
            refuseStateChanges(messages);
        }
        if (handler.isInReadBurst()) {
            for (OFMessage message : messages) {
                handler.writeInBurst(message);
            }
            return true;
        }
        ByteBuf encoded = channel.alloc().ioBuffer();
        int flowMods = 0;
        int packetOuts = 0;
        for (OFMessage message : messages) {
            if (encode(message, encoded)) {
                OFType type = message.getType();
                flowMods += type == OFType.FLOW_MOD ? 1 : 0;
                packetOuts += type == OFType.PACKET_OUT ? 1 : 0;
            }
        }
        if (!encoded.isReadable()) {
            encoded.release();
            return true;
        }
        boolean admitted = handler.budget().send(encoded, null);
        if (admitted) {
            stats.sentElsewhere(flowMods, packetOuts);
        }
        return admitted;
    }

    /**
     * The one gate on writes in a cluster: an instance that is not the switch's master sends it
     * nothing that changes its state or forwards a packet (the switch would refuse it as IS_SLAVE
     * anyway, and an app that has not heard of the demotion yet must not race the new master).
     * Such a write fails loudly ({@link NotMasterException}), so a caller never takes a dropped
     * write for a done one. Reads (stats, barriers) and role requests pass. Alone: one volatile
     * read.
     */
    private boolean mayWrite(OFMessage message) {
        return writes() || !changesState(message.getType());
    }

    /**
     * Whether this instance may change the switch now: the switch accepted it as master, and the
     * mastership source still says so this instant (checked on every write, so a demotion needs no
     * event-loop turn to take effect).
     */
    boolean writes() {
        if (!role.actsAsMaster()) {
            return false;
        }
        MastershipSource source = mastership;
        return source == null || source.current().masters(id);
    }

    private static boolean changesState(OFType type) {
        return switch (type) {
            case FLOW_MOD, PACKET_OUT, GROUP_MOD, METER_MOD, PORT_MOD, TABLE_MOD, BUNDLE_CONTROL, BUNDLE_ADD_MESSAGE -> true;
            default -> false;
        };
    }

    /** All or nothing: one state-changing message among {@code messages} refuses them all. */
    private void refuseStateChanges(Iterable<? extends OFMessage> messages) {
        for (OFMessage message : messages) {
            if (changesState(message.getType())) {
                throw new NotMasterException(id, message.getType().name());
            }
        }
    }

    /** A message openflowj cannot encode (over 64 KiB, missing fields) is logged and dropped, nothing else. */
    private boolean encode(OFMessage message, ByteBuf out) {
        int start = out.writerIndex();
        try {
            message.writeTo(out);
            return true;
        } catch (RuntimeException e) {
            out.writerIndex(start);
            log.warn("{}: dropped a message that cannot be encoded: {}", this, e.toString());
            return false;
        }
    }

    /** @return whether the budget admitted it */
    private boolean send(ByteBuf encoded) {
        return handler.budget().send(encoded, null);
    }

    @Override
    public <R extends OFMessage> CompletableFuture<R> request(OFRequest<R> request) {
        return request(request, requestTimeout);
    }

    @Override
    public <R extends OFMessage> CompletableFuture<R> request(OFRequest<R> request, Duration timeout) {
        if (request instanceof OFStatsRequest) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "a multipart request has several replies: use requestStats for " + request.getType()));
        }
        return send(request, false, timeout);
    }

    @Override
    public <R extends OFStatsReply> CompletableFuture<List<R>> requestStats(OFStatsRequest<R> request) {
        return requestStats(request, requestTimeout);
    }

    @Override
    public <R extends OFStatsReply> CompletableFuture<List<R>> requestStats(OFStatsRequest<R> request, Duration timeout) {
        return send(request, true, timeout);
    }

    private <T> CompletableFuture<T> send(OFMessage request, boolean multipart, Duration timeout) {
        if (!channel.isActive()) {
            return CompletableFuture.failedFuture(
                    new SwitchDisconnectedException("switch " + id + " is not connected"));
        }
        if (!mayWrite(request) && !isBundleDiscard(request)) {
            return CompletableFuture.failedFuture(new NotMasterException(id, request.getType().name()));
        }
        CompletableFuture<T> reply = pending.register(request, multipart, timeout, channel.eventLoop());
        if (!reply.isDone()) {
            if (handler.isInReadBurst()) {
                handler.releaseBatch(); // what was written before the request goes before it
            }
            ByteBuf encoded = channel.alloc().ioBuffer();
            try {
                request.writeTo(encoded);
            } catch (RuntimeException e) {
                encoded.release();
                pending.forget(request.getXid(), e);
                return reply;
            }
            boolean admitted = handler.budget().send(encoded, written -> {
                if (!written.isSuccess()) {
                    pending.forget(request.getXid(), channel.isActive() ? written.cause()
                            : new SwitchDisconnectedException("switch " + id + " disconnected before "
                                    + request.getType() + " xid " + request.getXid() + " was sent"));
                }
            });
            if (!admitted) {
                pending.forget(request.getXid(), new SwitchBusyException("switch " + id + " has not taken what was"
                        + " sent to it; " + request.getType() + " xid " + request.getXid() + " was not sent"));
            }
        }
        return reply;
    }

    /** Discarding a bundle changes nothing: a demoted instance may still clean up what it opened. */
    private static boolean isBundleDiscard(OFMessage message) {
        return message instanceof OFBundleCtrlMsg ctrl
                && ctrl.getBundleCtrlType() == OFBundleCtrlType.DISCARD_REQUEST;
    }

    /** Increasing from 1; wraps after 2^31 ids, long after any bundle of an early id is gone. */
    @Override
    public int nextBundleId() {
        return bundleIds.incrementAndGet() & 0x7fffffff;
    }

    @Override
    public void disconnect() {
        channel.close();
    }

    ConnectionStats stats() {
        return stats;
    }

    PendingRequests pending() {
        return pending;
    }

    void markReplaced() {
        replaced = true;
    }

    boolean isReplaced() {
        return replaced;
    }

    /** On the event loop: listeners were told of it. */
    void markAnnounced() {
        announced = true;
    }

    /** On the event loop: whether listeners were told of it (and its events may reach them). */
    boolean isAnnounced() {
        return announced;
    }

    /**
     * Whether apps see its packets now: announced, not replaced by a newer connection, and (in a
     * cluster) this instance is its master.
     */
    boolean servesApps() {
        return announced && !replaced && writes();
    }

    SwitchRole roleState() {
        return role;
    }

    @Override
    public ControllerRole controllerRole() {
        if (mastership == null) {
            return ControllerRole.EQUAL;
        }
        return writes() ? ControllerRole.MASTER : ControllerRole.SLAVE;
    }

    /** On the event loop, from the role manager's {@code switchAdded}. */
    void useRole(SwitchRole clustered, MastershipSource source) {
        role = clustered;
        mastership = source;
    }

    EventLoop eventLoop() {
        return channel.eventLoop();
    }

    boolean inEventLoop() {
        return channel.eventLoop().inEventLoop();
    }

    /** On the event loop: applies a PORT_STATUS to the port map and tells listeners. */
    void apply(OFPortStatus status) {
        OFPortDesc port = status.getDesc();
        OFPortDesc before = ports.get(port.getPortNo());
        Map<OFPort, OFPortDesc> next = new LinkedHashMap<>(ports);
        switch (status.getReason()) {
            case ADD, MODIFY -> next.put(port.getPortNo(), port);
            case DELETE -> next.remove(port.getPortNo());
            default -> {
                return;
            }
        }
        ports = Map.copyOf(next);
        switch (status.getReason()) {
            case DELETE -> {
                if (before != null) {
                    registry.portRemoved(this, before);
                }
            }
            default -> {
                if (before == null) {
                    registry.portAdded(this, port);
                } else if (!before.equals(port)) {
                    registry.portChanged(this, before, port);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "switch " + id + " (" + remoteAddress() + ", " + version() + ")";
    }
}
