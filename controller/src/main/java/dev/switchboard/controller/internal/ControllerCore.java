package dev.switchboard.controller.internal;

import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.ControllerStats;
import java.net.InetSocketAddress;
import java.util.List;

/** Wires the registry, the pipeline and the Netty server for {@link dev.switchboard.controller.Controller}. */
public final class ControllerCore implements AutoCloseable {
    private final Counters counters = new Counters();
    private final SwitchRegistry registry = new SwitchRegistry();
    private final PacketInPipeline pipeline = new PacketInPipeline(counters);
    private final OpenFlowServer server;
    private final ControllerStats stats = new LiveControllerStats(counters, registry);
    private final RoleManager roles = new RoleManager(registry);

    public ControllerCore(ControllerConfig config) {
        this.server = new OpenFlowServer(config, registry, pipeline, counters);
        registry.addSwitchListener(roles); // first: a switch has its role before anyone hears of it
    }

    /** In a cluster: roles follow {@code source}; before {@link #start}. */
    public void useMastership(dev.switchboard.controller.MastershipSource source) {
        roles.use(source);
    }

    public List<InetSocketAddress> start() {
        try {
            return server.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding", e);
        }
    }

    public InetSocketAddress listenAlso(InetSocketAddress address) {
        try {
            return server.listenAlso(address);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding", e);
        }
    }

    public SwitchRegistry registry() {
        return registry;
    }

    public PacketInPipeline pipeline() {
        return pipeline;
    }

    public Counters counters() {
        return counters;
    }

    public ControllerStats stats() {
        return stats;
    }

    @Override
    public void close() {
        server.close();
    }
}
