package dev.switchboard.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.Disposition;
import dev.switchboard.controller.SwitchListener;
import dev.switchboard.controller.OFSwitch;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFBarrierRequest;
import org.projectfloodlight.openflow.protocol.OFDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesRequest;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMessageReader;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;

/**
 * The handshake stage gives its place to the switch stage at READY, inside the read of the
 * BARRIER reply: what follows in that same read reaches the switch stage, and what a listener
 * writes on {@code switchAdded} leaves with that read's flush.
 */
class StageHandOverTest {
    private static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);
    private static final OFMessageReader<OFMessage> READER = OFFactories.getGenericReader();

    private final Counters counters = new Counters();
    private final SwitchRegistry registry = new SwitchRegistry();
    private final PacketInPipeline packetIns = new PacketInPipeline(counters);
    private final EmbeddedChannel channel = new EmbeddedChannel(false, false);

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Test
    void atReadyTheSwitchStageTakesTheHandshakeStagesPlaceWithinTheSameRead() throws Exception {
        List<OFMessage> packetsSeen = new ArrayList<>();
        packetIns.addProcessor("seen", 1, (sw, packetIn) -> {
            packetsSeen.add(packetIn);
            return Disposition.STOP;
        });
        registry.addSwitchListener(new SwitchListener() {
            @Override
            public void switchAdded(OFSwitch sw) {
                sw.write(sw.factory().buildEchoRequest().setXid(77).build());
            }
        });
        connect();
        send(OF13.buildHello().build());
        OFMessage barrierReply = null;
        for (int round = 0; round < 5 && barrierReply == null; round++) {
            for (OFMessage request : written()) {
                long xid = request.getXid();
                if (request instanceof OFFeaturesRequest) {
                    send(OF13.buildFeaturesReply().setXid(xid).setDatapathId(DatapathId.of(7)).build());
                } else if (request instanceof OFPortDescStatsRequest) {
                    send(OF13.buildPortDescStatsReply().setXid(xid).setEntries(List.of()).build());
                } else if (request instanceof OFDescStatsRequest) {
                    send(OF13.buildDescStatsReply().setXid(xid).build());
                } else if (request instanceof OFBarrierRequest) {
                    barrierReply = OF13.buildBarrierReply().setXid(xid).build();
                }
            }
        }
        assertThat(barrierReply).as("the handshake reached its BARRIER").isNotNull();
        assertThat(channel.pipeline().names()).contains(HandshakeHandler.NAME).doesNotContain(SwitchHandler.NAME);

        // the BARRIER reply and a PACKET_IN in one read
        send(barrierReply, OF13.buildPacketIn().setXid(5).setBufferId(OFBufferId.NO_BUFFER)
                .setReason(OFPacketInReason.NO_MATCH).setTableId(TableId.of(0))
                .setMatch(OF13.buildMatch().setExact(MatchField.IN_PORT,
                        OFPort.of(1)).build())
                .setData(new byte[60]).build());

        assertThat(channel.pipeline().names()).contains(SwitchHandler.NAME).doesNotContain(HandshakeHandler.NAME);
        assertThat(registry.getSwitch(DatapathId.of(7))).isPresent();
        assertThat(packetsSeen).as("the packet read with the BARRIER reply reached apps").hasSize(1);
        assertThat(written()).as("what switchAdded wrote left with the read's flush")
                .anyMatch(m -> m.getXid() == 77);
        channel.close();
        assertThat(registry.switches()).isEmpty();
    }

    @Test
    void portChangesDuringTheHandshakeAreInThePortsSwitchAddedSees() throws Exception {
        List<String> heard = new ArrayList<>();
        registry.addSwitchListener(new SwitchListener() {
            @Override
            public void switchAdded(OFSwitch sw) {
                heard.add("switchAdded " + sw.ports().keySet().stream().map(OFPort::getPortNumber).sorted().toList());
            }

            @Override
            public void portAdded(OFSwitch sw, OFPortDesc port) {
                heard.add("portAdded " + port.getPortNo().getPortNumber());
            }
        });
        connect();
        send(OF13.buildHello().build());
        OFMessage barrierReply = null;
        for (int round = 0; round < 5 && barrierReply == null; round++) {
            for (OFMessage request : written()) {
                long xid = request.getXid();
                if (request instanceof OFFeaturesRequest) {
                    send(OF13.buildFeaturesReply().setXid(xid).setDatapathId(DatapathId.of(8)).build());
                } else if (request instanceof OFPortDescStatsRequest) {
                    send(OF13.buildPortDescStatsReply().setXid(xid).setEntries(List.of(port(1))).build());
                } else if (request instanceof OFDescStatsRequest) {
                    // port 3 appears while the handshake waits for DESC
                    send(OF13.buildPortStatus().setReason(OFPortReason.ADD).setDesc(port(3)).build(),
                            OF13.buildDescStatsReply().setXid(xid).build());
                } else if (request instanceof OFBarrierRequest) {
                    barrierReply = OF13.buildBarrierReply().setXid(xid).build();
                }
            }
        }
        assertThat(barrierReply).as("the handshake reached its BARRIER").isNotNull();

        send(barrierReply);

        assertThat(registry.getSwitch(DatapathId.of(8)).orElseThrow().ports()).containsOnlyKeys(OFPort.of(1), OFPort.of(3));
        assertThat(heard).as("switchAdded already sees the port added during the handshake")
                .containsExactly("switchAdded [1, 3]");
    }

    private static OFPortDesc port(int number) {
        return OF13.buildPortDesc().setPortNo(OFPort.of(number)).setName("p" + number)
                .setHwAddr(MacAddress.of(number)).build();
    }

    private void connect() throws Exception {
        ControllerConfig config = ControllerConfig.builder().handshakeTimeout(Duration.ofHours(1)).build();
        channel.pipeline().addLast("frame", new OpenFlowFrameDecoder(config.maxMessageBytes(),
                new OpenFlowMessageParser(counters), counters));
        channel.pipeline().addLast("encoder", new OpenFlowMessageEncoder());
        ConnectionLimits limits = new ConnectionLimits(config, counters);
        limits.admit(channel);
        ConnectionGuard guard = new ConnectionGuard(channel, config, counters,
                new OutboundBudget(channel, config.peerBufferBytes(), counters));
        channel.pipeline().addLast(HandshakeHandler.NAME,
                new HandshakeHandler(config, guard, registry, packetIns, counters, limits));
        channel.register();
    }

    private void send(OFMessage... messages) {
        ByteBuf bytes = Unpooled.buffer();
        for (OFMessage message : messages) {
            message.writeTo(bytes);
        }
        channel.writeInbound(bytes);
        channel.runPendingTasks();
    }

    private List<OFMessage> written() {
        List<OFMessage> all = new ArrayList<>();
        for (Object out; (out = channel.readOutbound()) != null; ) {
            if (out instanceof OFMessage message) {
                all.add(message);
                continue;
            }
            ByteBuf bytes = (ByteBuf) out;
            try {
                while (bytes.isReadable()) {
                    all.add(READER.readFrom(bytes));
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            } finally {
                bytes.release();
            }
        }
        return all;
    }
}
