package dev.switchboard.controller.internal;

import java.util.OptionalLong;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFNiciraControllerRole;
import org.projectfloodlight.openflow.protocol.OFRequest;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.U64;

/**
 * One connection's OpenFlow role in a cluster: what the cluster decided, what was asked of the
 * switch, and whether this instance acts as the switch's master (hands its packet-ins to apps and
 * writes flows and packets to it).
 *
 * <p>It acts as master only once the switch accepted a MASTER request of the current decision's
 * term, and stops the moment a decision says otherwise (before the SLAVE request is even sent) or
 * the switch refuses the MASTER request (a stale generation: another instance's term is newer).
 * From 1.2 on the request is ROLE_REQUEST with the term's generation id; 1.0 has no roles, so the
 * Nicira extension's role request (no generation) is used. Alone, without a cluster, the
 * connection is master and no request is sent ({@link #standalone()}).
 *
 * <p>Threads: every method except {@link #actsAsMaster()} runs on the switch's event loop; the
 * packet path and writers on any thread read {@link #actsAsMaster()}, one volatile read.
 */
final class SwitchRole {
    /** What was last asked: {@code master} with {@code generation}, or slave; {@code seq} names the request. */
    private record Asked(boolean master, long generation, long seq) {
    }

    private volatile boolean actsAsMaster;
    private Asked asked;
    private long seq;
    private boolean refusedAsStale;
    /** The newest term this connection has heard of (its own or another master's): a SLAVE request's generation id. */
    private long knownTerm;
    /**
     * The last SLAVE request was refused as stale: it was sent before this instance heard of the
     * term the switch accepted from another (its generation too old); asked again once a newer term is known.
     */
    private boolean slaveRefusedAsStale;

    private SwitchRole(boolean actsAsMaster) {
        this.actsAsMaster = actsAsMaster;
    }

    static SwitchRole standalone() {
        return new SwitchRole(true);
    }

    static SwitchRole clustered() {
        return new SwitchRole(false);
    }

    boolean actsAsMaster() {
        return actsAsMaster;
    }

    /** A request to send and the sequence number its answer must carry back to {@link #answered}. */
    record Request(OFRequest<?> message, long seq) {
    }

    /** As {@link #decide(OptionalLong, OptionalLong, OFFactory)} with no term of another master known. */
    Request decide(OptionalLong generation, OFFactory factory) {
        return decide(generation, OptionalLong.empty(), factory);
    }

    /**
     * The cluster's decision for this datapath: master in the term of {@code generation}, or (empty)
     * not master. Demotes at once when not master.
     *
     * <p>A SLAVE request carries a generation id too, and the switch checks it: one older than the
     * newest term it knows is refused as stale, which would leave it in whatever role it had (a
     * demoted master's SLAVE request must not be refused). So it carries {@code currentTerm}, the
     * term of the datapath's present master as the cluster last said, or the newest term this
     * connection knows (its own last MASTER request's) if that is newer: never older than what the
     * switch accepted from this instance, and never newer than a term the cluster has handed out.
     *
     * @param currentTerm the generation id of another instance's current term of this datapath, if known
     * @return the role request to send, or null when the switch was asked this already
     */
    Request decide(OptionalLong generation, OptionalLong currentTerm, OFFactory factory) {
        boolean master = generation.isPresent();
        if (!master) {
            actsAsMaster = false;
        }
        long heard = master ? generation.getAsLong() : currentTerm.orElse(knownTerm);
        knownTerm = Long.compareUnsigned(heard, knownTerm) > 0 ? heard : knownTerm;
        long term = master ? heard : knownTerm;
        if (asked != null && asked.master() == master && (!master || asked.generation() == term)) {
            boolean retrySlave = !master && slaveRefusedAsStale && Long.compareUnsigned(term, asked.generation()) > 0;
            if (!retrySlave) {
                return null; // a slave stays a slave whatever term another instance starts: nothing to ask
            }
        }
        if (master && refusedAsStale && asked != null && asked.master() && Long.compareUnsigned(term, asked.generation()) <= 0) {
            return null; // the switch knows a newer term than this one: asking again is refused again
        }
        refusedAsStale = false;
        slaveRefusedAsStale = false;
        asked = new Asked(master, term, ++seq);
        return new Request(request(factory, master, term), seq);
    }

    /** The switch accepted ({@code ok}) or refused request {@code seq}; answers of older requests are ignored. */
    void answered(long seq, boolean ok, boolean stale) {
        if (asked == null || asked.seq() != seq) {
            return;
        }
        if (!asked.master()) {
            slaveRefusedAsStale = !ok && stale;
            return; // a slave stays a slave, whatever the switch says
        }
        if (ok) {
            actsAsMaster = true;
        } else {
            actsAsMaster = false;
            refusedAsStale = stale;
        }
    }

    /** Whether the last request asked for MASTER (for the log). */
    boolean askedMaster() {
        return asked != null && asked.master();
    }

    /** Whether the last SLAVE request was refused as stale (for the log and tests). */
    boolean slaveRefusedAsStale() {
        return slaveRefusedAsStale;
    }

    /** Whether the last MASTER request was refused as stale (for the log and tests). */
    boolean refusedAsStale() {
        return refusedAsStale;
    }

    static OFRequest<?> request(OFFactory factory, boolean master, long generation) {
        if (factory.getVersion() == OFVersion.OF_10 || factory.getVersion() == OFVersion.OF_11) {
            return factory.buildNiciraControllerRoleRequest()
                    .setRole(master ? OFNiciraControllerRole.ROLE_MASTER : OFNiciraControllerRole.ROLE_SLAVE)
                    .build();
        }
        return factory.buildRoleRequest()
                .setRole(master ? OFControllerRole.ROLE_MASTER : OFControllerRole.ROLE_SLAVE)
                .setGenerationId(U64.of(generation))
                .build();
    }
}
