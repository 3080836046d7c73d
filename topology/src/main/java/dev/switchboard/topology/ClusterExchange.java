package dev.switchboard.topology;

import dev.switchboard.controller.Registration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How the topology and hosts apps of a cluster member share what they found with the other
 * members: each member publishes its own part of each kind (the switches it masters, the links
 * and hosts it learned on them) and hears the others' parts. The apps merge them into the views
 * they publish, so every member's {@link TopologyService} and host service show the whole network.
 *
 * <p>Bound only in a cluster ({@code cluster:} in the config); the apps take it as an
 * {@code Optional} and, without one, work alone exactly as before. Parts are opaque bytes here:
 * each app encodes its own (compact JSON), the exchange only stores and delivers them.
 *
 * <p>Threads: {@link #publish} never blocks (it hands the bytes to the exchange's own thread,
 * which writes the newest of a burst only); listeners of {@link #watch} run on the exchange's
 * thread and must hand the work to their own thread.
 */
public interface ClusterExchange {

    /** Parts larger than this are refused (a ZooKeeper node holds at most 1 MB). */
    int MAX_PART_BYTES = 900 * 1024;

    /** This member's id in the cluster. */
    String memberId();

    /**
     * Replaces this member's part of {@code kind}; a later call supersedes one not yet written.
     *
     * @throws IllegalArgumentException for a part above {@link #MAX_PART_BYTES}
     */
    void publish(String kind, byte[] part);

    /**
     * Tells {@code listener} the other live members' parts of {@code kind}, by member id, now and
     * whenever any of them changes (a member that left or lost its session has no part).
     */
    Registration watch(String kind, Consumer<Map<String, byte[]>> listener);

    /**
     * A secret shared by every member (made once by the first who asks, kept under the cluster's
     * root), for the probes: a link between switches of two masters is proved by one member's
     * signature and checked by the other. May wait for ZooKeeper: call it before starting, never
     * on an event loop.
     *
     * @throws IllegalStateException when it cannot be read in time
     */
    byte[] sharedSecret(String name);
}
