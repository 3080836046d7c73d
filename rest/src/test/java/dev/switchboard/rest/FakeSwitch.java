package dev.switchboard.rest;

import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.SwitchDescription;
import dev.switchboard.controller.SwitchFeatures;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFRequest;
import org.projectfloodlight.openflow.protocol.OFStatsReply;
import org.projectfloodlight.openflow.protocol.OFStatsRequest;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/** A switch whose stats requests the test answers: each request is recorded with its future. */
final class FakeSwitch implements OFSwitch {
    static final Instant CONNECTED = Instant.parse("2026-12-05T08:00:00Z");

    private final DatapathId id;
    private final OFFactory factory;
    private final Map<OFPort, OFPortDesc> ports;
    volatile boolean connected = true;
    /** The last stats request and the future the test completes. */
    volatile OFStatsRequest<?> lastRequest;
    volatile CompletableFuture<List<? extends OFStatsReply>> pending;
    /** The thread that last read the ports: where the API builds its JSON. */
    volatile String portsReadOn;

    FakeSwitch(long dpid, OFVersion version, int... portNumbers) {
        this.id = DatapathId.of(dpid);
        this.factory = OFFactories.getFactory(version);
        Map<OFPort, OFPortDesc> byNumber = new LinkedHashMap<>();
        for (int number : portNumbers) {
            byNumber.put(OFPort.of(number), factory.buildPortDesc().setPortNo(OFPort.of(number))
                    .setName("s" + dpid + "-eth" + number).setHwAddr(MacAddress.of(0x0200_0000_0000L + number)).build());
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
        return new SwitchFeatures(256, (short) 254, Set.of());
    }

    @Override
    public SwitchDescription description() {
        return new SwitchDescription("Nicira, Inc.", "Open vSwitch", "3.1.0", "None", "br" + id.getLong());
    }

    @Override
    public Map<OFPort, OFPortDesc> ports() {
        portsReadOn = Thread.currentThread().getName();
        return ports;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 40000);
    }

    @Override
    public Optional<Instant> connectedSince() {
        return Optional.of(CONNECTED);
    }

    /** This instance's role for the switch, as a test sets it. */
    volatile dev.switchboard.controller.ControllerRole role = dev.switchboard.controller.ControllerRole.EQUAL;

    @Override
    public dev.switchboard.controller.ControllerRole controllerRole() {
        return role;
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    @Override
    public void write(OFMessage message) {
        throw new UnsupportedOperationException("the API only reads");
    }

    @Override
    public void writeAll(Iterable<? extends OFMessage> messages) {
        throw new UnsupportedOperationException("the API only reads");
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
        return requestStats(request, Duration.ofSeconds(10));
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <R extends OFStatsReply> CompletableFuture<List<R>> requestStats(OFStatsRequest<R> request, Duration timeout) {
        CompletableFuture future = new CompletableFuture<>();
        lastRequest = request;
        pending = future;
        return future;
    }

    @Override
    public void disconnect() {
        connected = false;
    }
}
