package dev.switchboard.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.switchboard.emulator.EmulatedSwitch;
import dev.switchboard.emulator.EmulatedSwitchOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFBadRequestCode;
import org.projectfloodlight.openflow.protocol.OFDescStatsReply;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowModFailedCode;
import org.projectfloodlight.openflow.protocol.OFFlowRemovedReason;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsReply;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFPortStatsReply;
import org.projectfloodlight.openflow.protocol.OFTableStatsReply;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFErrorCauseData;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

class SwitchApiTest {
    private static final byte[] FRAME = new byte[60];

    private static byte[] bytesOf(OFMessage message) {
        ByteBuf buffer = Unpooled.buffer();
        message.writeTo(buffer);
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        return bytes;
    }

    @Test
    void writtenFlowReachesTheSwitch() {
        try (ControllerFixture fixture = new ControllerFixture()) {
            EmulatedSwitch emulator = fixture.connect(1);
            OFSwitch sw = fixture.awaitSwitch(emulator);
            OFFactory f = sw.factory();

            sw.write(f.buildFlowAdd().setCookie(U64.of(0xabc)).setPriority(100)
                    .setMatch(f.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(1)).build())
                    .build());

            await().atMost(Duration.ofSeconds(5)).until(() -> emulator.received(OFFlowAdd.class).stream()
                    .anyMatch(flow -> flow.getCookie().equals(U64.of(0xabc))));
        }
    }

    @Test
    void statsRequestsCompleteWithAllParts() {
        try (ControllerFixture fixture = new ControllerFixture()) {
            OFSwitch sw = fixture.connectReady(EmulatedSwitchOptions.builder().datapathId(DatapathId.of(1))
                    .portCount(5).portsPerDescReply(2).build());
            OFFactory f = sw.factory();

            List<OFPortDescStatsReply> portDesc = sw.requestStats(f.buildPortDescStatsRequest().build()).join();
            List<OFDescStatsReply> desc = sw.requestStats(f.buildDescStatsRequest().build()).join();
            List<OFFlowStatsReply> flows = sw.requestStats(f.buildFlowStatsRequest().build()).join();
            List<OFPortStatsReply> ports = sw.requestStats(f.buildPortStatsRequest().setPortNo(OFPort.ANY).build()).join();
            List<OFTableStatsReply> tables = sw.requestStats(f.buildTableStatsRequest().build()).join();

            assertThat(portDesc).hasSize(3);
            assertThat(portDesc.stream().flatMap(r -> r.getEntries().stream()).map(OFPortDesc::getName))
                    .containsExactly("eth1", "eth2", "eth3", "eth4", "eth5");
            assertThat(desc).singleElement().extracting(OFDescStatsReply::getMfrDesc).isEqualTo("Switchboard");
            assertThat(flows).hasSize(1);
            assertThat(ports).hasSize(1);
            assertThat(tables).hasSize(1);
            assertThat(sw.barrier()).succeedsWithin(Duration.ofSeconds(5));
        }
    }

    @Test
    void errorAnswerFailsTheRequestAndReachesErrorListeners() {
        try (ControllerFixture fixture = new ControllerFixture()) {
            EmulatedSwitch emulator = fixture.connect(1);
            OFSwitch sw = fixture.awaitSwitch(emulator);
            emulator.onMessage(OFType.STATS_REQUEST, request -> List.of(emulator.factory().errorMsgs()
                    .buildBadRequestErrorMsg().setXid(request.getXid()).setCode(OFBadRequestCode.BAD_STAT)
                    .setData(OFErrorCauseData.of(bytesOf(request), request.getVersion())).build()));
            List<SwitchError> heard = new CopyOnWriteArrayList<>();
            fixture.controller.switches().addErrorListener((s, error) -> heard.add(error));

            CompletableFuture<List<OFTableStatsReply>> reply = sw.requestStats(sw.factory().buildTableStatsRequest().build());

            Throwable failure = catchThrowable(() -> reply.get(5, TimeUnit.SECONDS));
            assertThat(failure).isInstanceOf(ExecutionException.class).cause().isInstanceOf(SwitchErrorException.class);
            SwitchError error = ((SwitchErrorException) failure.getCause()).error();
            assertThat(error.type()).isEqualTo("BAD_REQUEST");
            assertThat(error.code()).isEqualTo("BAD_STAT");
            assertThat(error.cause()).hasValueSatisfying(cause -> assertThat(cause.getType()).isEqualTo(OFType.STATS_REQUEST));
            assertThat(heard).singleElement().extracting(SwitchError::code).isEqualTo("BAD_STAT");
        }
    }

    @Test
    void unsolicitedErrorTellsWhichMessageCausedIt() {
        try (ControllerFixture fixture = new ControllerFixture()) {
            EmulatedSwitch emulator = fixture.connect(1);
            OFSwitch sw = fixture.awaitSwitch(emulator);
            List<SwitchError> heard = new CopyOnWriteArrayList<>();
            fixture.controller.switches().addErrorListener((s, error) -> heard.add(error));
            OFFlowAdd badFlow = sw.factory().buildFlowAdd().setXid(4242).setPriority(7).build();

            emulator.send(emulator.factory().errorMsgs().buildFlowModFailedErrorMsg().setXid(4242)
                    .setCode(OFFlowModFailedCode.TABLE_FULL)
                    .setData(OFErrorCauseData.of(bytesOf(badFlow), badFlow.getVersion())).build());

            await().atMost(Duration.ofSeconds(5)).until(() -> !heard.isEmpty());
            assertThat(heard.get(0).type()).isEqualTo("FLOW_MOD_FAILED");
            assertThat(heard.get(0).code()).isEqualTo("TABLE_FULL");
            assertThat(heard.get(0).cause()).hasValue(badFlow);
        }
    }

    @Test
    void unansweredRequestTimesOut() {
        try (ControllerFixture fixture = new ControllerFixture()) {
            EmulatedSwitch emulator = fixture.connect(1);
            OFSwitch sw = fixture.awaitSwitch(emulator);
            emulator.onMessage(OFType.BARRIER_REQUEST, request -> List.of());

            CompletableFuture<?> reply = sw.request(sw.factory().buildBarrierRequest().build(), Duration.ofMillis(200));

            assertThat(reply).failsWithin(Duration.ofSeconds(5)).withThrowableThat().havingRootCause()
                    .isInstanceOf(TimeoutException.class);
        }
    }

    @Test
    void pendingRequestsFailWhenTheSwitchDisconnects() {
        try (ControllerFixture fixture = new ControllerFixture()) {
            EmulatedSwitch emulator = fixture.connect(1);
            OFSwitch sw = fixture.awaitSwitch(emulator);
            emulator.onMessage(OFType.BARRIER_REQUEST, request -> List.of());
            CompletableFuture<?> reply = sw.barrier();

            emulator.close();

            assertThat(reply).failsWithin(Duration.ofSeconds(5)).withThrowableThat().havingRootCause()
                    .isInstanceOf(SwitchDisconnectedException.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> fixture.controller.switches().switches().isEmpty());
        }
    }

    @Test
    void packetInPipelineRunsProcessorsInOrderUntilOneStops() {
        try (ControllerFixture fixture = new ControllerFixture(); LogCapture log = new LogCapture()) {
            List<String> calls = new CopyOnWriteArrayList<>();
            PacketInService packets = fixture.controller.packetIns();
            packets.addProcessor("fourth", 40, (sw, pi) -> {
                calls.add("fourth");
                return Disposition.CONTINUE;
            });
            packets.addProcessor("second", 20, (sw, pi) -> {
                calls.add("second");
                return Disposition.CONTINUE;
            });
            packets.addProcessor("broken", 15, (sw, pi) -> {
                throw new IllegalStateException("bug in an app");
            });
            packets.addProcessor("first", 10, (sw, pi) -> {
                calls.add("first");
                return Disposition.CONTINUE;
            });
            packets.addProcessor("third", 30, (sw, pi) -> {
                calls.add("third");
                sw.write(sw.factory().buildPacketOut().setData(pi.getData())
                        .setActions(List.of(sw.factory().actions().output(OFPort.FLOOD, 0))).build());
                return Disposition.STOP;
            });
            EmulatedSwitch emulator = fixture.connect(1);
            fixture.awaitSwitch(emulator);

            emulator.sendPacketIn(OFPort.of(1), FRAME);

            await().atMost(Duration.ofSeconds(5)).until(() -> !emulator.received(OFPacketOut.class).isEmpty());
            assertThat(calls).containsExactly("first", "second", "third");
            assertThat(fixture.controller.counters().processorFailures()).isEqualTo(1);
            assertThat(log.warningsContaining("'broken'")).hasSize(1);
        }
    }

    @Test
    void removedProcessorIsNoLongerCalled() {
        try (ControllerFixture fixture = new ControllerFixture()) {
            List<String> calls = new CopyOnWriteArrayList<>();
            Registration registration = fixture.controller.packetIns().addProcessor("gone", 1, (sw, pi) -> {
                calls.add("gone");
                return Disposition.CONTINUE;
            });
            fixture.controller.packetIns().addProcessor("stays", 2, (sw, pi) -> {
                calls.add("stays");
                return Disposition.CONTINUE;
            });
            EmulatedSwitch emulator = fixture.connect(1);
            fixture.awaitSwitch(emulator);

            registration.close();
            emulator.sendPacketIn(OFPort.of(1), FRAME);

            await().atMost(Duration.ofSeconds(5)).until(() -> !calls.isEmpty());
            assertThat(calls).containsExactly("stays");
        }
    }

    @Test
    void portStatusChangesThePortsAndTellsListeners() {
        try (ControllerFixture fixture = new ControllerFixture()) {
            EmulatedSwitch emulator = fixture.connect(1);
            OFSwitch sw = fixture.awaitSwitch(emulator);

            emulator.sendPortStatus(OFPortReason.ADD, emulator.portDesc(7, "new7"));
            emulator.sendPortStatus(OFPortReason.MODIFY, emulator.portDesc(7, "renamed7"));
            emulator.sendPortStatus(OFPortReason.DELETE, emulator.portDesc(1, "eth1"));

            await().atMost(Duration.ofSeconds(5)).until(() -> fixture.events.contains("port removed eth1"));
            assertThat(fixture.events).endsWith("port added new7", "port changed renamed7", "port removed eth1");
            assertThat(sw.ports().values()).extracting(OFPortDesc::getName).containsExactlyInAnyOrder("eth2", "renamed7");
        }
    }

    @Test
    void asynchronousMessagesReachTheirListeners() {
        try (ControllerFixture fixture = new ControllerFixture()) {
            List<OFMessage> removed = new CopyOnWriteArrayList<>();
            fixture.controller.switches().addMessageListener(OFType.FLOW_REMOVED, (sw, message) -> removed.add(message));
            EmulatedSwitch emulator = fixture.connect(EmulatedSwitchOptions.builder().datapathId(DatapathId.of(1))
                    .supportedVersions(EnumSet.of(OFVersion.OF_13)).build());
            fixture.awaitSwitch(emulator);

            emulator.send(emulator.factory().buildFlowRemoved().setCookie(U64.of(99))
                    .setReason(OFFlowRemovedReason.IDLE_TIMEOUT).build());

            await().atMost(Duration.ofSeconds(5)).until(() -> !removed.isEmpty());
            assertThat(removed.get(0).getType()).isEqualTo(OFType.FLOW_REMOVED);
        }
    }

    @Test
    void messageThatCannotBeEncodedIsDroppedButTheSwitchStays() {
        try (ControllerFixture fixture = new ControllerFixture(); LogCapture log = new LogCapture()) {
            EmulatedSwitch emulator = fixture.connect(1);
            OFSwitch sw = fixture.awaitSwitch(emulator);
            OFFactory f = sw.factory();

            sw.write(f.buildPacketOut().setData(new byte[65530])
                    .setActions(List.of(f.actions().output(OFPort.of(1), 0))).build());

            assertThat(sw.barrier()).succeedsWithin(Duration.ofSeconds(5));
            assertThat(emulator.isConnected()).isTrue();
            assertThat(log.warningsContaining("cannot be encoded")).hasSize(1);
        }
    }

    @Test
    void writesDuringAPacketInLeaveInOrderAndAnUnencodableOneIsDropped() {
        try (ControllerFixture fixture = new ControllerFixture(); LogCapture log = new LogCapture()) {
            List<CompletableFuture<?>> barriers = new CopyOnWriteArrayList<>();
            fixture.controller.packetIns().addProcessor("writer", 10, (sw, pi) -> {
                OFFactory f = sw.factory();
                sw.write(f.buildFlowAdd().setCookie(U64.of(1)).build());
                sw.write(f.buildPacketOut().setData(new byte[65530])
                        .setActions(List.of(f.actions().output(OFPort.of(1), 0))).build());
                barriers.add(sw.barrier()); // written at once: must not overtake the batched flow
                sw.writeAll(List.of(f.buildFlowAdd().setCookie(U64.of(2)).build(),
                        f.buildFlowAdd().setCookie(U64.of(3)).build()));
                return Disposition.STOP;
            });
            EmulatedSwitch emulator = fixture.connect(1);
            fixture.awaitSwitch(emulator);
            emulator.clearReceived();

            emulator.sendPacketIn(OFPort.of(1), FRAME);

            await().atMost(Duration.ofSeconds(5)).until(() -> emulator.received(OFFlowAdd.class).size() == 3);
            assertThat(emulator.received()).extracting(m -> m instanceof OFFlowAdd flow
                    ? "flow " + flow.getCookie().getValue() : m.getType().toString())
                    .containsExactly("flow 1", "BARRIER_REQUEST", "flow 2", "flow 3");
            assertThat(barriers.get(0)).succeedsWithin(Duration.ofSeconds(5));
            assertThat(emulator.isConnected()).isTrue();
            assertThat(log.warningsContaining("cannot be encoded")).hasSize(1);
        }
    }

    @Test
    void multipartRequestThroughRequestIsRefusedWithAHint() {
        try (ControllerFixture fixture = new ControllerFixture()) {
            OFSwitch sw = fixture.awaitSwitch(fixture.connect(1));

            CompletableFuture<?> reply = sw.request(sw.factory().buildFlowStatsRequest().build());

            assertThat(reply).failsWithin(Duration.ofSeconds(1)).withThrowableThat()
                    .havingRootCause().isInstanceOf(IllegalArgumentException.class).withMessageContaining("requestStats");
        }
    }
}
