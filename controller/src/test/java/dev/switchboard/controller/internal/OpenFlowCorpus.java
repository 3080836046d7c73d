package dev.switchboard.controller.internal;

import dev.switchboard.controller.ControllerConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.projectfloodlight.openflow.protocol.OFBadRequestCode;
import org.projectfloodlight.openflow.protocol.OFCapabilities;
import org.projectfloodlight.openflow.protocol.OFConfigFlags;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowRemovedReason;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFErrorCauseData;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U32;
import org.projectfloodlight.openflow.types.U64;

/**
 * Valid messages a switch sends, of every OpenFlow version from 1.0 to 1.5, built with
 * openflowj and written to bytes: the seeds the fuzzer mutates. A message a version cannot
 * express (a PORT_DESC reply before 1.3) is left out of that version.
 */
public final class OpenFlowCorpus {
    /** The versions whose messages the fuzzer starts from: every version switches may send. */
    public static final List<OFVersion> VERSIONS =
            List.of(OFVersion.OF_10, OFVersion.OF_11, OFVersion.OF_12, OFVersion.OF_13, OFVersion.OF_14, OFVersion.OF_15);
    /** The versions a connection can settle on: those the controller offers (not 1.1). */
    public static final List<OFVersion> CONNECTION_VERSIONS =
            ControllerConfig.DEFAULT_VERSIONS.stream().sorted().toList();
    public static final DatapathId DATAPATH_ID = DatapathId.of(0x5342_0000_0000_f022L);

    /** Seeds that failed to build for another reason than the version lacking them (should stay empty). */
    static final List<String> SKIPPED = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final Map<OFVersion, List<byte[]>> SEEDS = build();
    private static final List<byte[]> ALL = SEEDS.values().stream().flatMap(List::stream).toList();

    private OpenFlowCorpus() {
    }

    /** Every seed message of {@code version}, one frame each. */
    public static List<byte[]> seeds(OFVersion version) {
        return SEEDS.get(version);
    }

    /** Every seed of every version. */
    public static List<byte[]> all() {
        return ALL;
    }

    public static byte[] bytes(OFMessage message) {
        ByteBuf buffer = Unpooled.buffer();
        try {
            message.writeTo(buffer);
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.readBytes(bytes);
            return bytes;
        } finally {
            buffer.release();
        }
    }

    static OFPortDesc port(OFFactory f, int number, String name) {
        return f.buildPortDesc()
                .setPortNo(OFPort.of(number))
                .setHwAddr(MacAddress.of(0x02_00_00_00_00_00L | number))
                .setName(name)
                .setConfig(Set.of())
                .setState(Set.of())
                .build();
    }

    /** The switch's ports: two numbered ones and LOCAL. */
    static List<OFPortDesc> ports(OFFactory f) {
        return List.of(port(f, 1, "eth1"), port(f, 2, "eth2"),
                f.buildPortDesc().setPortNo(OFPort.LOCAL).setHwAddr(MacAddress.of(2L)).setName("br0")
                        .setConfig(Set.of()).setState(Set.of()).build());
    }

    private static Map<OFVersion, List<byte[]>> build() {
        Map<OFVersion, List<byte[]>> seeds = new EnumMap<>(OFVersion.class);
        for (OFVersion version : VERSIONS) {
            OFFactory f = OFFactories.getFactory(version);
            List<byte[]> list = new ArrayList<>();
            for (Function<OFFactory, OFMessage> builder : builders()) {
                try {
                    list.add(bytes(builder.apply(f)));
                } catch (UnsupportedOperationException e) {
                    // not expressible in this version
                } catch (RuntimeException e) {
                    SKIPPED.add(version + ": " + e);
                }
            }
            seeds.put(version, Collections.unmodifiableList(list));
        }
        return Collections.unmodifiableMap(seeds);
    }

    private static boolean atLeast(OFFactory f, OFVersion version) {
        return f.getVersion().compareTo(version) >= 0;
    }

    private static byte[] ethernetFrame() {
        byte[] frame = new byte[64];
        for (int i = 0; i < 6; i++) {
            frame[i] = (byte) 0xff;
        }
        frame[6] = 2;
        frame[11] = 7;
        frame[12] = 0x08;
        frame[13] = 0x06;
        return frame;
    }

    // setExact answers null on some versions' builders: no chaining
    private static Match inPort(OFFactory f, int port) {
        Match.Builder match = f.buildMatch();
        match.setExact(MatchField.IN_PORT, OFPort.of(port));
        return match.build();
    }

    private static Match ipv4(OFFactory f) {
        Match.Builder match = f.buildMatch();
        match.setExact(MatchField.ETH_TYPE, EthType.IPv4);
        return match.build();
    }

    private static List<Function<OFFactory, OFMessage>> builders() {
        return List.of(
                f -> f.buildHello().setXid(1).build(),
                f -> VersionNegotiation.hello(EnumSet.copyOf(
                        VERSIONS.stream().filter(v -> v.compareTo(f.getVersion()) <= 0).toList())),
                f -> {
                    var b = f.buildFeaturesReply().setXid(2).setDatapathId(DATAPATH_ID).setNBuffers(256)
                            .setNTables((short) 254).setCapabilities(EnumSet.of(OFCapabilities.FLOW_STATS));
                    if (!atLeast(f, OFVersion.OF_13)) {
                        b.setPorts(ports(f));
                    }
                    return b.build();
                },
                f -> f.buildPortDescStatsReply().setXid(3).setEntries(ports(f)).build(),
                f -> f.buildPortDescStatsReply().setXid(3).setFlags(EnumSet.of(OFStatsReplyFlags.REPLY_MORE))
                        .setEntries(List.of(port(f, 3, "eth3"))).build(),
                f -> f.buildDescStatsReply().setXid(4).setMfrDesc("Nicira, Inc.").setHwDesc("Open vSwitch")
                        .setSwDesc("3.1.0").setSerialNum("None").setDpDesc("br0").build(),
                f -> f.buildBarrierReply().setXid(5).build(),
                f -> f.buildEchoRequest().setXid(6).setData(new byte[] {1, 2, 3}).build(),
                f -> f.buildEchoReply().setXid(7).setData(new byte[0]).build(),
                f -> {
                    var b = f.buildPacketIn().setXid(0).setBufferId(OFBufferId.NO_BUFFER).setTotalLen(64)
                            .setReason(OFPacketInReason.NO_MATCH).setData(ethernetFrame());
                    if (atLeast(f, OFVersion.OF_12)) {
                        b.setMatch(inPort(f, 1));
                    } else {
                        b.setInPort(OFPort.of(1));
                    }
                    if (atLeast(f, OFVersion.OF_13)) {
                        b.setTableId(TableId.of(0)).setCookie(U64.of(0x5342_0400_0000_0001L));
                    }
                    return b.build();
                },
                f -> f.buildPortStatus().setXid(0).setReason(OFPortReason.MODIFY).setDesc(port(f, 1, "eth1")).build(),
                f -> f.buildPortStatus().setXid(0).setReason(OFPortReason.ADD).setDesc(port(f, 9, "eth9")).build(),
                f -> f.errorMsgs().buildBadRequestErrorMsg().setXid(8).setCode(OFBadRequestCode.BAD_TYPE)
                        .setData(OFErrorCauseData.of(bytes(f.buildBarrierRequest().setXid(8).build()), f.getVersion()))
                        .build(),
                f -> {
                    var b = f.buildFlowRemoved().setXid(0).setCookie(U64.of(0x5342_0400_0000_0002L))
                            .setPriority(100).setReason(OFFlowRemovedReason.IDLE_TIMEOUT).setIdleTimeout(30)
                            .setMatch(ipv4(f));
                    if (atLeast(f, OFVersion.OF_11)) {
                        b.setTableId(TableId.of(0));
                    }
                    return b.build();
                },
                f -> f.buildGetConfigReply().setXid(9).setFlags(EnumSet.of(OFConfigFlags.FRAG_NORMAL))
                        .setMissSendLen(0xffff).build(),
                f -> {
                    var entry = f.buildFlowStatsEntry().setCookie(U64.of(0x5342_0400_0000_0003L)).setPriority(10)
                            .setMatch(inPort(f, 2));
                    if (atLeast(f, OFVersion.OF_11)) {
                        entry.setTableId(TableId.of(0)).setInstructions(List.of(f.instructions().applyActions(
                                List.of(f.actions().output(OFPort.of(1), 0xffff)))));
                    } else {
                        entry.setActions(List.of(f.actions().output(OFPort.of(1), 0xffff)));
                    }
                    if (atLeast(f, OFVersion.OF_15)) {
                        entry.setStats(f.buildStat().build());
                    }
                    return f.buildFlowStatsReply().setXid(10).setEntries(List.of(entry.build())).build();
                },
                f -> {
                    var entry = f.buildPortStatsEntry().setPortNo(OFPort.of(1));
                    if (atLeast(f, OFVersion.OF_14)) {
                        entry.setProperties(List.of());
                    }
                    return f.buildPortStatsReply().setXid(11).setEntries(List.of(entry.build())).build();
                },
                f -> f.buildAggregateStatsReply().setXid(12).setFlowCount(3).build(),
                f -> f.buildTableStatsReply().setXid(13).setEntries(atLeast(f, OFVersion.OF_13)
                        ? List.of(f.buildTableStatsEntry().setTableId(TableId.of(0)).setActiveCount(1).build())
                        : List.of()).build(),
                f -> f.buildGroupDescStatsReply().setXid(14).setEntries(List.of()).build(),
                f -> f.buildRoleReply().setXid(15).setRole(OFControllerRole.ROLE_EQUAL).setGenerationId(U64.ZERO).build(),
                f -> f.buildQueueGetConfigReply().setXid(16).setPort(OFPort.of(1)).setQueues(List.of()).build(),
                f -> f.buildHello().setXid(17).setElements(atLeast(f, OFVersion.OF_13)
                        ? List.of(f.buildHelloElemVersionbitmap().setBitmaps(List.of(U32.of(0x7e))).build())
                        : List.of()).build());
    }
}
