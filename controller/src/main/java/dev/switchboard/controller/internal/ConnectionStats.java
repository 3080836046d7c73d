package dev.switchboard.controller.internal;

import dev.switchboard.controller.SwitchStats;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * One connection's counts. The packet path pays one plain increment per message: the fields
 * below are written by the connection's event loop only (one writer, so no atomic
 * read-modify-write is needed), stored with opaque writes so a reader on another thread never
 * sees a torn value, and read with opaque reads. Messages written from other threads (the API,
 * timers) count in {@link LongAdder}s instead, as there may be several writers.
 *
 * <p>Why not Micrometer counters here: a meter lookup or a shared atomic per packet-in would cost
 * the event loop what these fields do not; the exporter reads these at scrape time.
 */
final class ConnectionStats implements SwitchStats {
    private static final VarHandle PACKET_INS = field("packetIns");
    private static final VarHandle LOOP_FLOW_MODS = field("loopFlowMods");
    private static final VarHandle LOOP_PACKET_OUTS = field("loopPacketOuts");
    private static final VarHandle ECHO_REPLIES = field("echoReplies");
    private static final VarHandle ECHO_NANOS = field("echoNanos");
    private static final VarHandle LAST_ECHO_NANOS = field("lastEchoNanos");
    private static final VarHandle WRITE_STALLS = field("writeStalls");

    // written on the connection's event loop only
    private long packetIns;
    private long loopFlowMods;
    private long loopPacketOuts;
    private long echoReplies;
    private long echoNanos;
    private long lastEchoNanos;
    private long writeStalls;

    private final LongAdder otherFlowMods = new LongAdder();
    private final LongAdder otherPacketOuts = new LongAdder();
    /** Known from the FEATURES_REPLY on; read by other threads only once the switch is ready. */
    private volatile DatapathId id = DatapathId.NONE;

    private static VarHandle field(String name) {
        try {
            return MethodHandles.lookup().findVarHandle(ConnectionStats.class, name, long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    void identified(DatapathId datapathId) {
        this.id = datapathId;
    }

    /** On the event loop: a PACKET_IN was read. */
    void packetIn() {
        PACKET_INS.setOpaque(this, packetIns + 1);
    }

    /** On the event loop: {@code message} joined the read burst's batch. */
    void sentOnLoop(OFMessage message) {
        OFType type = message.getType();
        if (type == OFType.FLOW_MOD) {
            LOOP_FLOW_MODS.setOpaque(this, loopFlowMods + 1);
        } else if (type == OFType.PACKET_OUT) {
            LOOP_PACKET_OUTS.setOpaque(this, loopPacketOuts + 1);
        }
    }

    /** On any thread: {@code flowMods} FLOW_MODs and {@code packetOuts} PACKET_OUTs were admitted to be sent. */
    void sentElsewhere(int flowMods, int packetOuts) {
        if (flowMods > 0) {
            otherFlowMods.add(flowMods);
        }
        if (packetOuts > 0) {
            otherPacketOuts.add(packetOuts);
        }
    }

    /** On the event loop: an echo of ours was answered after {@code nanos}. */
    void echoAnswered(long nanos) {
        ECHO_REPLIES.setOpaque(this, echoReplies + 1);
        ECHO_NANOS.setOpaque(this, echoNanos + nanos);
        LAST_ECHO_NANOS.setOpaque(this, nanos);
    }

    /** On the event loop: the channel became unwritable. */
    void writeStalled() {
        WRITE_STALLS.setOpaque(this, writeStalls + 1);
    }

    @Override
    public DatapathId id() {
        return id;
    }

    @Override
    public long packetIns() {
        return (long) PACKET_INS.getOpaque(this);
    }

    @Override
    public long flowMods() {
        return (long) LOOP_FLOW_MODS.getOpaque(this) + otherFlowMods.sum();
    }

    @Override
    public long packetOuts() {
        return (long) LOOP_PACKET_OUTS.getOpaque(this) + otherPacketOuts.sum();
    }

    @Override
    public long echoReplies() {
        return (long) ECHO_REPLIES.getOpaque(this);
    }

    @Override
    public long echoRoundTripNanos() {
        return (long) ECHO_NANOS.getOpaque(this);
    }

    @Override
    public long lastEchoRoundTripNanos() {
        return (long) LAST_ECHO_NANOS.getOpaque(this);
    }

    @Override
    public long writeStalls() {
        return (long) WRITE_STALLS.getOpaque(this);
    }

    @Override
    public String toString() {
        return "stats of switch " + id;
    }
}
