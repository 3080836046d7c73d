package dev.switchboard.topology;

import dev.switchboard.controller.NotMasterException;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.openflow.OpenFlowMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * Sends the LLDP (and, if configured, BDDP) probes out of switch ports. Each port's
 * packet-outs are built once and kept until the switch or the port description changes.
 *
 * <p>Threads: probes are sent from the discovery writer and the timer; the cache is a
 * concurrent map and its entries are immutable, so any thread may send.
 */
final class ProbeSender {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ProbeSender.class);
    private final boolean bddp;
    private final ProbeAuthenticator authenticator;
    private final Map<SwitchPort, PortProbes> probeCache = new ConcurrentHashMap<>();

    private record PortProbes(OFSwitch sw, OFPortDesc desc, List<OFPacketOut> packetOuts) {
    }

    ProbeSender(boolean bddp, ProbeAuthenticator authenticator) {
        this.bddp = bddp;
        this.authenticator = authenticator;
    }

    void probe(OFSwitch sw, List<OFPortDesc> ports) {
        if (ports.isEmpty() || !sw.isConnected()) {
            return;
        }
        List<OFPacketOut> messages = new ArrayList<>(ports.size() * 2);
        for (OFPortDesc port : ports) {
            SwitchPort at = new SwitchPort(sw.id(), port.getPortNo());
            PortProbes cached = probeCache.get(at);
            if (cached == null || cached.sw() != sw || cached.desc() != port) {
                cached = new PortProbes(sw, port, buildProbes(sw, port));
                probeCache.put(at, cached);
            }
            messages.addAll(cached.packetOuts());
        }
        try {
            sw.writeAll(messages);
        } catch (NotMasterException demoted) {
            // In a cluster: demoted between the switch event and this write (the mastership is
            // still settling as members join). Its new master probes it when it takes it over.
            log.debug("topology: not probing {}: {}", sw.id(), demoted.getMessage());
        }
    }

    /** Forgets the probes of a port that went down. */
    void forget(SwitchPort port) {
        probeCache.remove(port);
    }

    /** Forgets the probes of every port of a switch that went away. */
    void forget(DatapathId dpid) {
        probeCache.keySet().removeIf(port -> port.dpid().equals(dpid));
    }

    private List<OFPacketOut> buildProbes(OFSwitch sw, OFPortDesc port) {
        long mac = port.getHwAddr().getLong();
        long dpid = sw.id().getLong();
        int number = port.getPortNo().getPortNumber();
        OFPacketOut lldp = packetOut(sw.factory(), port.getPortNo(),
                ProbeFrames.build(false, mac, dpid, number, authenticator));
        if (!bddp) {
            return List.of(lldp);
        }
        return List.of(lldp, packetOut(sw.factory(), port.getPortNo(),
                ProbeFrames.build(true, mac, dpid, number, authenticator)));
    }

    private static OFPacketOut packetOut(OFFactory f, OFPort outPort, byte[] frame) {
        return OpenFlowMessages.packetOut(f, frame, OFPort.CONTROLLER, List.of(f.actions().output(outPort, 0)));
    }
}
