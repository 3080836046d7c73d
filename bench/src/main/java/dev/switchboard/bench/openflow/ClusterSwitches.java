package dev.switchboard.bench.openflow;

import dev.switchboard.emulator.ControllerRoles;
import dev.switchboard.emulator.EmulatedSwitch;
import dev.switchboard.emulator.EmulatedSwitchOptions;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * Emulated switches each connected to every instance of a controller cluster (OpenFlow 1.3, one
 * {@link EmulatedSwitch} per controller sharing the datapath's {@link ControllerRoles}), as an OVS
 * bridge with several controllers. Like OVS, a switch sends its packet-ins to its master only: the
 * load ({@link SwitchLoad}) runs on the connection the switch accepted MASTER from, and stops on
 * one that became SLAVE. Each switch remembers when it last accepted a master and from which
 * instance, so the benchmark can time a rebalance from the switches' side.
 *
 * <p>Thread safety: the role listener runs on the event loops; the rest on the benchmark's thread.
 * The per-switch figures the listener writes are volatile.
 */
final class ClusterSwitches implements AutoCloseable {
    /** No master yet. */
    static final int NONE = -1;

    /** One datapath: its connections (indexed like the instances), their loads, its roles. */
    private static final class Datapath {
        final int number;
        final ControllerRoles roles = new ControllerRoles();
        /** Copy-on-write: filled on the benchmark's thread while role listeners may read it. */
        final List<EmulatedSwitch> connections = new CopyOnWriteArrayList<>();
        final List<SwitchLoad> loads = new CopyOnWriteArrayList<>();
        /** Set once before the first connection; shared by its connections' loads. */
        PacketIns packets;
        volatile int master = NONE;
        volatile long masterSinceNanos;

        Datapath(int number) {
            this.number = number;
        }
    }

    private final List<Datapath> datapaths = new ArrayList<>();
    private final AtomicLong masterChanges = new AtomicLong();
    /** The phase a master connection's load runs; written by the benchmark's thread. */
    private volatile SwitchLoad.Phase phase = SwitchLoad.Phase.IDLE;

    /**
     * Connects {@code switches} switches, numbered from 1, to every one of {@code controllers}.
     *
     * @param macs hosts per switch, as in {@code bench openflow}
     * @param window packet-ins outstanding per switch at most
     */
    static ClusterSwitches connect(EventLoopGroup group, Class<? extends SocketChannel> channelType,
                                   List<InetSocketAddress> controllers, int switches, int macs, int ports,
                                   int window, long timeoutMillis) {
        ClusterSwitches all = new ClusterSwitches();
        try {
            for (int number = 1; number <= switches; number++) {
                Datapath dp = new Datapath(number);
                all.datapaths.add(dp);
                dp.roles.addListener((connection, role) -> all.roleChanged(dp, connection, role));
                PacketIns packets = PacketIns.build(OFVersion.OF_13, number, macs, ports);
                dp.packets = packets;
                EmulatedSwitchOptions options = EmulatedSwitchOptions.builder()
                        .datapathId(DatapathId.of(number))
                        .supportedVersions(OFVersion.OF_13)
                        .portCount(ports)
                        .build();
                for (InetSocketAddress controller : controllers) {
                    SwitchLoad load = new SwitchLoad(packets, number, window, timeoutMillis);
                    dp.loads.add(load);
                    dp.connections.add(EmulatedSwitch.prepare(options).withRoles(dp.roles).withFrameHandler(load)
                            .connectTo(group, channelType, controller));
                }
            }
            return all;
        } catch (RuntimeException e) {
            all.close();
            throw e;
        }
    }

    /** On the event loop of the connection whose role request changed the roles. */
    private void roleChanged(Datapath dp, EmulatedSwitch connection, OFControllerRole role) {
        int index = dp.connections.indexOf(connection);
        if (index < 0) {
            return; // a role request raced the list being filled: cannot happen after connect returns
        }
        if (role == OFControllerRole.ROLE_MASTER) {
            dp.masterSinceNanos = System.nanoTime();
            dp.master = index;
            masterChanges.incrementAndGet();
            dp.loads.get(index).start(phase);
        } else {
            dp.loads.get(index).stop();
        }
    }

    int size() {
        return datapaths.size();
    }

    /** Master acceptances so far, across all switches. */
    long masterChanges() {
        return masterChanges.get();
    }

    /**
     * The instance (index) each switch last accepted as master and still has connected, else
     * {@link #NONE}; by switch number - 1.
     */
    int[] masters() {
        int[] masters = new int[datapaths.size()];
        for (int i = 0; i < masters.length; i++) {
            Datapath dp = datapaths.get(i);
            Optional<EmulatedSwitch> master = dp.roles.master();
            masters[i] = master.map(dp.connections::indexOf).orElse(NONE);
        }
        return masters;
    }

    /** When switch {@code number} last accepted a master ({@link System#nanoTime}), 0 if never. */
    long masterSinceNanos(int number) {
        return datapaths.get(number - 1).masterSinceNanos;
    }

    /**
     * How many switches each instance masters (the emulators' view), by instance index, and last
     * how many have none.
     */
    int[] spread() {
        int instances = datapaths.isEmpty() ? 0 : datapaths.get(0).connections.size();
        int[] counts = new int[instances + 1];
        for (int master : masters()) {
            counts[master == NONE ? instances : master]++;
        }
        return counts;
    }

    /** Every switch that lost none of its connections (the controller closed none). */
    void requireConnected(List<Integer> liveInstances) {
        for (Datapath dp : datapaths) {
            for (int instance : liveInstances) {
                if (!dp.connections.get(instance).isConnected()) {
                    throw new IllegalStateException("instance " + (instance + 1) + " closed the connection of switch "
                            + dp.number);
                }
            }
        }
    }

    /** Starts {@code next} on every master connection, and on whichever becomes master later. */
    void run(SwitchLoad.Phase next) {
        phase = next;
        for (Datapath dp : datapaths) {
            for (int i = 0; i < dp.connections.size(); i++) {
                if (dp.connections.get(i).role() == OFControllerRole.ROLE_MASTER) {
                    dp.loads.get(i).start(next);
                } else {
                    dp.loads.get(i).stop();
                }
            }
        }
    }

    /**
     * The counters of every connection added up, and per instance in {@code perInstance} (its
     * length the instance count); read on each connection's event loop.
     */
    SwitchLoad.Counters total(SwitchLoad.Counters[] perInstance) {
        List<List<CompletableFuture<SwitchLoad.Counters>>> snapshots = new ArrayList<>();
        for (Datapath dp : datapaths) {
            List<CompletableFuture<SwitchLoad.Counters>> one = new ArrayList<>();
            for (int i = 0; i < dp.loads.size(); i++) {
                one.add(dp.loads.get(i).snapshot()); // a closed connection's loop still answers
            }
            snapshots.add(one);
        }
        long[][] sums = new long[perInstance.length][7];
        LatencyHistogram latency = new LatencyHistogram();
        for (List<CompletableFuture<SwitchLoad.Counters>> one : snapshots) {
            for (int i = 0; i < one.size(); i++) {
                SwitchLoad.Counters c = one.get(i).join();
                long[] s = sums[i];
                s[0] += c.sent();
                s[1] += c.answered();
                s[2] += c.flowMods();
                s[3] += c.packetOuts();
                s[4] += c.unmatched();
                s[5] += c.expired();
                s[6] += c.learnedHosts();
                latency.add(c.latency());
            }
        }
        long[] all = new long[7];
        for (int i = 0; i < perInstance.length; i++) {
            long[] s = sums[i];
            perInstance[i] = new SwitchLoad.Counters(s[0], s[1], s[2], s[3], s[4], s[5], (int) s[6], new LatencyHistogram());
            for (int k = 0; k < all.length; k++) {
                all[k] += s[k];
            }
        }
        return new SwitchLoad.Counters(all[0], all[1], all[2], all[3], all[4], all[5], (int) all[6], latency);
    }

    @Override
    public void close() {
        for (Datapath dp : datapaths) {
            dp.connections.forEach(EmulatedSwitch::close);
        }
        // closed and their loops idle: nothing writes from the templates any more
        for (Datapath dp : datapaths) {
            if (dp.packets != null) {
                dp.packets.release();
            }
        }
    }
}
