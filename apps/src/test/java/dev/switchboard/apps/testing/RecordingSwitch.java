package dev.switchboard.apps.testing;

import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.SwitchDescription;
import dev.switchboard.controller.SwitchFeatures;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.projectfloodlight.openflow.protocol.OFBarrierReply;
import org.projectfloodlight.openflow.protocol.OFFactories;
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
 * A switch with no network: writes go into a log shared by several such switches (so the
 * order across switches can be checked), and barriers complete only when the test says so.
 */
public final class RecordingSwitch implements OFSwitch {
    /** One entry per write: which switch, what. */
    public record Sent(DatapathId dpid, OFMessage message) {
    }

    private final DatapathId id;
    private final OFFactory factory;
    private final List<Sent> log;
    private final List<CompletableFuture<OFBarrierReply>> barriers = new ArrayList<>();

    public RecordingSwitch(long dpid, OFVersion version, List<Sent> log) {
        this.id = DatapathId.of(dpid);
        this.factory = OFFactories.getFactory(version);
        this.log = log;
    }

    /** Answers every barrier sent so far. */
    public synchronized void answerBarriers() {
        barriers.forEach(b -> b.complete(factory.buildBarrierReply().build()));
        barriers.clear();
    }

    public synchronized int pendingBarriers() {
        return barriers.size();
    }

    @Override
    public synchronized CompletableFuture<OFBarrierReply> barrier() {
        log.add(new Sent(id, factory.buildBarrierRequest().build()));
        CompletableFuture<OFBarrierReply> reply = new CompletableFuture<>();
        barriers.add(reply);
        return reply;
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
        throw new UnsupportedOperationException();
    }

    @Override
    public SwitchDescription description() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<OFPort, OFPortDesc> ports() {
        return Map.of();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return null;
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public void write(OFMessage message) {
        log.add(new Sent(id, message));
    }

    @Override
    public void writeAll(Iterable<? extends OFMessage> messages) {
        messages.forEach(this::write);
    }

    @Override
    public <R extends OFMessage> CompletableFuture<R> request(OFRequest<R> request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <R extends OFMessage> CompletableFuture<R> request(OFRequest<R> request, Duration timeout) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <R extends OFStatsReply> CompletableFuture<List<R>> requestStats(OFStatsRequest<R> request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <R extends OFStatsReply> CompletableFuture<List<R>> requestStats(OFStatsRequest<R> request, Duration timeout) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void disconnect() {
    }
}
