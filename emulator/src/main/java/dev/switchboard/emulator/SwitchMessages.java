package dev.switchboard.emulator;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortFeatures;
import org.projectfloodlight.openflow.protocol.OFPortState;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;

/** Version-aware builders for the messages a switch originates. Stateless. */
final class SwitchMessages {
    /** Every emulated port is a 1 Gb/s full-duplex copper link. */
    private static final Set<OFPortFeatures> FEATURES =
            EnumSet.of(OFPortFeatures.PF_1GB_FD, OFPortFeatures.PF_COPPER);
    /** The same features as OF 1.4+ ethernet-property bits: 1GB_FD = 1 << 5, COPPER = 1 << 11. */
    private static final long FEATURE_BITS = (1L << 5) | (1L << 11);
    private static final long SPEED_KBPS = 1_000_000;

    private SwitchMessages() {}

    /** 02:00:00:&lt;dpid low byte&gt;:&lt;port high byte&gt;:&lt;port low byte&gt; (locally administered). */
    static MacAddress portMac(DatapathId dpid, int portNumber) {
        long dpidByte = dpid.getLong() & 0xff;
        return MacAddress.of(
                0x02_00_00_00_00_00L | dpidByte << 16 | (portNumber & 0xffff));
    }

    /** An up, unconfigured port described in the factory's version. */
    static OFPortDesc portDesc(OFFactory f, int portNumber, String name, MacAddress mac) {
        return portDesc(f, portNumber, name, mac, Set.of(), Set.of());
    }

    /**
     * A port description in the factory's version. Only fields valid in that version are set: the
     * feature sets exist in 1.0–1.3, speeds in 1.1–1.3, and 1.4+ moves both into an ethernet
     * property.
     */
    static OFPortDesc portDesc(
            OFFactory f,
            int portNumber,
            String name,
            MacAddress mac,
            Set<OFPortConfig> config,
            Set<OFPortState> state) {
        OFVersion v = f.getVersion();
        OFPortDesc.Builder b =
                f.buildPortDesc()
                        .setPortNo(OFPort.of(portNumber))
                        .setHwAddr(mac)
                        .setName(name)
                        .setConfig(config)
                        .setState(withLiveness(v, state));
        if (v.compareTo(OFVersion.OF_14) < 0) {
            b.setCurr(FEATURES).setAdvertised(FEATURES).setSupported(FEATURES).setPeer(Set.of());
            if (v != OFVersion.OF_10) {
                b.setCurrSpeed(SPEED_KBPS).setMaxSpeed(SPEED_KBPS);
            }
        } else {
            b.setProperties(
                    List.of(
                            f.buildPortDescPropEthernet()
                                    .setCurr(FEATURE_BITS)
                                    .setAdvertised(FEATURE_BITS)
                                    .setSupported(FEATURE_BITS)
                                    .setCurrSpeed(SPEED_KBPS)
                                    .setMaxSpeed(SPEED_KBPS)
                                    .build()));
        }
        return b.build();
    }

    /**
     * The same port in another version. Only what every version can express is carried over:
     * number, MAC, name, PORT_DOWN and LINK_DOWN.
     */
    static OFPortDesc convert(OFPortDesc desc, OFFactory f) {
        if (desc.getVersion() == f.getVersion()) {
            return desc;
        }
        Set<OFPortConfig> config = EnumSet.noneOf(OFPortConfig.class);
        if (desc.getConfig().contains(OFPortConfig.PORT_DOWN)) {
            config.add(OFPortConfig.PORT_DOWN);
        }
        Set<OFPortState> state = EnumSet.noneOf(OFPortState.class);
        if (desc.getState().contains(OFPortState.LINK_DOWN)) {
            state.add(OFPortState.LINK_DOWN);
        }
        return portDesc(
                f, desc.getPortNo().getPortNumber(), desc.getName(), desc.getHwAddr(), config, state);
    }

    /**
     * Marks an up port: 1.1+ has a LIVE bit. 1.0 has none, but its STP field reads as STP_LISTEN
     * when zero, so that is set to keep our descriptions equal to what a controller decodes.
     */
    private static Set<OFPortState> withLiveness(OFVersion v, Set<OFPortState> state) {
        Set<OFPortState> result = EnumSet.noneOf(OFPortState.class);
        result.addAll(state);
        if (v == OFVersion.OF_10) {
            result.add(OFPortState.STP_LISTEN);
        } else if (!state.contains(OFPortState.LINK_DOWN)) {
            result.add(OFPortState.LIVE);
        }
        return result;
    }

    /**
     * An unbuffered table-miss PACKET_IN. The in-port is a field up to 1.1 and a match entry from
     * 1.2 on.
     */
    static OFPacketIn packetIn(OFFactory f, OFPort inPort, byte[] frame) {
        OFPacketIn.Builder b =
                f.buildPacketIn()
                        .setBufferId(OFBufferId.NO_BUFFER)
                        .setTotalLen(frame.length)
                        .setReason(OFPacketInReason.NO_MATCH)
                        .setData(frame);
        switch (f.getVersion()) {
            case OF_10 -> b.setInPort(inPort);
            case OF_11 -> b.setInPort(inPort).setInPhyPort(inPort);
            default -> b.setMatch(f.buildMatch().setExact(MatchField.IN_PORT, inPort).build());
        }
        return b.build();
    }
}
