package dev.switchboard.controller;

import dev.switchboard.controller.internal.ControllerCore;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The OpenFlow controller: accepts switches, runs their handshake and offers them to apps
 * through {@link SwitchService} and {@link PacketInService}. Nothing here exposes Netty.
 */
public final class Controller implements AutoCloseable {
    private final ControllerCore core;

    public Controller(ControllerConfig config) {
        this.core = new ControllerCore(config);
    }

    /**
     * Starts listening.
     *
     * @return the bound addresses (with the real port where the config asked for port 0): those of
     *         {@link ControllerConfig#listen()} (plain TCP) first, then those of
     *         {@link ControllerConfig#tlsListen()}
     * @throws java.io.UncheckedIOException if an address cannot be bound; nothing stays bound then
     * @throws IllegalArgumentException if the TLS files cannot be read or used; nothing is bound then
     */
    public List<InetSocketAddress> start() {
        return core.start();
    }

    /**
     * Also listens for switches on {@code address} (plain TCP, like {@link ControllerConfig#listen()})
     * from now until {@link #close}: e.g. where the OVS of a lab brought up at run time, in a network
     * namespace of its own, reaches this controller. An address listened on already is not bound
     * again. Blocks until bound, so not for an event loop.
     *
     * @return the bound address
     * @throws java.io.UncheckedIOException if it cannot be bound
     * @throws IllegalStateException        before {@link #start} or after {@link #close}
     */
    public InetSocketAddress listenAlso(InetSocketAddress address) {
        return core.listenAlso(address);
    }

    /**
     * Makes this controller one instance of a cluster: each switch's OpenFlow role follows
     * {@code source} (ROLE_REQUEST MASTER with the term's generation id, or SLAVE; the Nicira role
     * request on 1.0), and only a switch's master hands its packet-ins to the processors and
     * writes flow, group, meter, port and packet-out messages to it. Call before {@link #start}.
     */
    public void useMastership(MastershipSource source) {
        core.useMastership(source);
    }

    public SwitchService switches() {
        return core.registry();
    }

    public PacketInService packetIns() {
        return core.pipeline();
    }

    public ControllerCounters counters() {
        return core.counters().snapshot();
    }

    /** The figures for metrics, read live at each call (see {@link ControllerStats}). */
    public ControllerStats stats() {
        return core.stats();
    }

    /** Closes every switch connection and stops listening. */
    @Override
    public void close() {
        core.close();
    }
}
