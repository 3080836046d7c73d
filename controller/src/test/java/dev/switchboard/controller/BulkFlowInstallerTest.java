package dev.switchboard.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.switchboard.controller.flows.BulkFlowInstaller;
import dev.switchboard.controller.flows.BulkFlowResult;
import dev.switchboard.controller.flows.FlowFailure;
import dev.switchboard.emulator.EmulatedSwitch;
import dev.switchboard.emulator.EmulatedSwitchOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFBundleAddMsg;
import org.projectfloodlight.openflow.protocol.OFBundleCtrlMsg;
import org.projectfloodlight.openflow.protocol.OFBundleCtrlType;
import org.projectfloodlight.openflow.protocol.OFBundleFailedCode;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFFlowModFailedCode;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.BundleId;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.OFErrorCauseData;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

/** The bulk installer against an emulated switch that refuses the flow whose cookie is {@link #BAD_COOKIE}. */
class BulkFlowInstallerTest {
    private static final int FLOWS = 3000;
    private static final int BAD_INDEX = 1234;
    private static final U64 BAD_COOKIE = U64.of(BAD_INDEX);

    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    @Test
    void batchesReportTheRefusedFlowByIndexAndKeepTheOthers() throws Exception {
        try (ControllerFixture fixture = new ControllerFixture(c -> c.peerBufferBytes(ControllerConfig.SMALLEST_PEER_BUFFER))) {
            EmulatedSwitch emulator = EmulatedSwitch.prepare(options(OFVersion.OF_13));
            emulator.onMessage(OFType.FLOW_MOD, request -> {
                OFFlowMod mod = (OFFlowMod) request;
                if (mod.getCookie().equals(BAD_COOKIE)) {
                    return List.of(emulator.factory().errorMsgs().buildFlowModFailedErrorMsg().setXid(mod.getXid())
                            .setCode(OFFlowModFailedCode.TABLE_FULL)
                            .setData(OFErrorCauseData.of(bytesOf(mod), mod.getVersion())).build());
                }
                return emulator.defaultAnswer(request);
            });
            fixture.connect(emulator);
            OFSwitch sw = fixture.awaitSwitch(emulator);
            BulkFlowInstaller installer = new BulkFlowInstaller(fixture.controller.switches(), executor,
                    new BulkFlowInstaller.Options(100, 3, java.time.Duration.ofSeconds(10),
                            java.time.Duration.ofMillis(1), java.time.Duration.ofSeconds(10)));

            BulkFlowResult result = installer.install(sw, flows(sw.factory(), FLOWS)).get(30, TimeUnit.SECONDS);

            assertThat(result.method()).isEqualTo(BulkFlowResult.Method.BARRIER_BATCHES);
            assertThat(result.requested()).isEqualTo(FLOWS);
            assertThat(result.installed()).isEqualTo(FLOWS - 1);
            assertThat(result.failures()).extracting(FlowFailure::index, FlowFailure::type, FlowFailure::code)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(BAD_INDEX, "FLOW_MOD_FAILED", "TABLE_FULL"));
            assertThat(result.bundleError()).isEmpty();
            assertThat(ours(emulator)).hasSize(FLOWS - 1);
            // the barriers paced the batches: one per batch of 100
            assertThat(emulator.received(org.projectfloodlight.openflow.protocol.OFBarrierRequest.class))
                    .hasSizeGreaterThanOrEqualTo(FLOWS / 100);
        }
    }

    @Test
    void aBundleWithOneBadFlowIsRolledBackAndNamesIt() throws Exception {
        try (ControllerFixture fixture = new ControllerFixture()) {
            EmulatedSwitch emulator = bundlingSwitch(OFVersion.OF_14);
            fixture.connect(emulator);
            OFSwitch sw = fixture.awaitSwitch(emulator);
            BulkFlowInstaller installer = new BulkFlowInstaller(fixture.controller.switches(), executor, BulkFlowInstaller.Options.DEFAULTS);

            BulkFlowResult result = installer.install(sw, flows(sw.factory(), FLOWS)).get(30, TimeUnit.SECONDS);

            assertThat(result.method()).isEqualTo(BulkFlowResult.Method.BUNDLE);
            assertThat(result.rolledBack()).isTrue();
            assertThat(result.installed()).isZero();
            assertThat(result.failures()).extracting(FlowFailure::index).containsExactly(BAD_INDEX);
            assertThat(result.bundleError()).hasValueSatisfying(text -> assertThat(text).contains("rolled back"));
            assertThat(ours(emulator)).isEmpty();
        }
    }

    @Test
    void aGoodBundleInstallsEveryFlow() throws Exception {
        try (ControllerFixture fixture = new ControllerFixture()) {
            // 1.4: openflowj (which the emulator decodes with) reads 1.5's ADD_MESSAGE a byte short
            EmulatedSwitch emulator = bundlingSwitch(OFVersion.OF_14);
            fixture.connect(emulator);
            OFSwitch sw = fixture.awaitSwitch(emulator);
            BulkFlowInstaller installer = new BulkFlowInstaller(fixture.controller.switches(), executor, BulkFlowInstaller.Options.DEFAULTS);

            BulkFlowResult result = installer.install(sw, flows(sw.factory(), BAD_INDEX)).get(30, TimeUnit.SECONDS);

            assertThat(result.succeeded()).isTrue();
            assertThat(result.installed()).isEqualTo(BAD_INDEX);
            assertThat(result.committing()).as("the commit's share is measured").isPresent();
            assertThat(ours(emulator)).hasSize(BAD_INDEX);
        }
    }

    @Test
    void aBundleFailedNamingAnotherBundleDoesNotStopThisInstall() throws Exception {
        try (ControllerFixture fixture = new ControllerFixture()) {
            // when our bundle opens, the switch reports a failed ADD_MESSAGE of bundle 999, whose
            // xid it could not read: some other install's (another installer, another client)
            EmulatedSwitch emulator = bundlingSwitch(OFVersion.OF_14, strayBundleErrorOnOpen(open -> 999));
            fixture.connect(emulator);
            OFSwitch sw = fixture.awaitSwitch(emulator);
            BulkFlowInstaller installer = new BulkFlowInstaller(fixture.controller.switches(), executor, BulkFlowInstaller.Options.DEFAULTS);

            BulkFlowResult result = installer.install(sw, flows(sw.factory(), 500)).get(30, TimeUnit.SECONDS);

            assertThat(result.succeeded()).as("%s", result).isTrue();
            assertThat(ours(emulator)).hasSize(500);
        }
    }

    @Test
    void aBundleFailedNamingOurBundleButNoXidDiscardsIt() throws Exception {
        try (ControllerFixture fixture = new ControllerFixture()) {
            EmulatedSwitch emulator = bundlingSwitch(OFVersion.OF_14, strayBundleErrorOnOpen(open -> open.getBundleId().getInt()));
            fixture.connect(emulator);
            OFSwitch sw = fixture.awaitSwitch(emulator);
            BulkFlowInstaller installer = new BulkFlowInstaller(fixture.controller.switches(), executor, BulkFlowInstaller.Options.DEFAULTS);

            BulkFlowResult result = installer.install(sw, flows(sw.factory(), 500)).get(30, TimeUnit.SECONDS);

            assertThat(result.rolledBack()).isTrue();
            assertThat(result.bundleError()).hasValueSatisfying(text -> assertThat(text).contains("BUNDLE_FAILED"));
            assertThat(controls(emulator, OFBundleCtrlType.DISCARD_REQUEST)).hasSize(1);
            assertThat(ours(emulator)).isEmpty();
        }
    }

    @Test
    void anInstallThatFailsAfterOpeningItsBundleDiscardsIt() throws Exception {
        try (ControllerFixture fixture = new ControllerFixture()) {
            AtomicBoolean commitAnswered = new AtomicBoolean(true);
            EmulatedSwitch emulator = bundlingSwitch(OFVersion.OF_14, (f, bundling) -> request -> {
                if (((OFBundleCtrlMsg) request).getBundleCtrlType() == OFBundleCtrlType.COMMIT_REQUEST && !commitAnswered.get()) {
                    return List.of(); // a switch that never answers the commit
                }
                return bundling.apply(request);
            });
            fixture.connect(emulator);
            OFSwitch sw = fixture.awaitSwitch(emulator);
            BulkFlowInstaller installer = new BulkFlowInstaller(fixture.controller.switches(), executor,
                    new BulkFlowInstaller.Options(100, 2, Duration.ofMillis(500), Duration.ofMillis(1), Duration.ofSeconds(10)));
            commitAnswered.set(false);

            Throwable failure = catchThrowable(() -> installer.install(sw, flows(sw.factory(), 300)).get(30, TimeUnit.SECONDS));

            assertThat(failure).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
            List<OFBundleCtrlMsg> opened = controls(emulator, OFBundleCtrlType.OPEN_REQUEST);
            List<OFBundleCtrlMsg> discarded = controls(emulator, OFBundleCtrlType.DISCARD_REQUEST);
            assertThat(discarded).as("the open bundle is discarded").hasSize(1);
            assertThat(discarded.get(0).getBundleId()).isEqualTo(opened.get(0).getBundleId());
            assertThat(ours(emulator)).isEmpty();
        }
    }

    @Test
    void bundleIdsAreUniquePerConnectionWhicheverInstallerOpensThem() throws Exception {
        try (ControllerFixture fixture = new ControllerFixture()) {
            EmulatedSwitch emulator = bundlingSwitch(OFVersion.OF_14);
            fixture.connect(emulator);
            OFSwitch sw = fixture.awaitSwitch(emulator);
            // two installers, as two API instances (or one restarted) on one controller would have
            BulkFlowInstaller first = new BulkFlowInstaller(fixture.controller.switches(), executor, BulkFlowInstaller.Options.DEFAULTS);
            BulkFlowInstaller second = new BulkFlowInstaller(fixture.controller.switches(), executor, BulkFlowInstaller.Options.DEFAULTS);

            assertThat(first.install(sw, flows(sw.factory(), 10)).get(30, TimeUnit.SECONDS).succeeded()).isTrue();
            assertThat(second.install(sw, flows(sw.factory(), 10)).get(30, TimeUnit.SECONDS).succeeded()).isTrue();
            assertThat(first.install(sw, flows(sw.factory(), 10)).get(30, TimeUnit.SECONDS).succeeded()).isTrue();

            assertThat(controls(emulator, OFBundleCtrlType.OPEN_REQUEST)).extracting(OFBundleCtrlMsg::getBundleId)
                    .hasSize(3).doesNotHaveDuplicates();
        }
    }

    /** Answers OPEN with a BUNDLE_FAILED of xid 0 echoing an ADD_MESSAGE of the bundle {@code idOf} names, then the reply. */
    private static ControlAnswer strayBundleErrorOnOpen(ToIntFunction<OFBundleCtrlMsg> idOf) {
        return (f, bundling) -> request -> {
            OFBundleCtrlMsg control = (OFBundleCtrlMsg) request;
            List<OFMessage> answers = new ArrayList<>();
            if (control.getBundleCtrlType() == OFBundleCtrlType.OPEN_REQUEST) {
                OFBundleAddMsg foreign = f.buildBundleAddMsg().setXid(0x7777).setBundleId(BundleId.of(idOf.applyAsInt(control)))
                        .setFlags(control.getFlags()).setData(flows(f, 1).get(0)).build();
                answers.add(f.errorMsgs().buildBundleFailedErrorMsg().setXid(0)
                        .setCode(OFBundleFailedCode.MSG_FAILED)
                        .setData(OFErrorCauseData.of(bytesOf(foreign), foreign.getVersion())).build());
            }
            answers.addAll(bundling.apply(request));
            return answers;
        };
    }

    private static List<OFBundleCtrlMsg> controls(EmulatedSwitch emulator, OFBundleCtrlType type) {
        return emulator.received(OFBundleCtrlMsg.class).stream().filter(c -> c.getBundleCtrlType() == type).toList();
    }

    /** The flows this test installed, not the controller's own (its table-miss flow). */
    private static List<?> ours(EmulatedSwitch emulator) {
        return emulator.flowTable().flows().stream().filter(flow -> flow.cookie().getValue() < FLOWS).toList();
    }

    private static EmulatedSwitchOptions options(OFVersion version) {
        return EmulatedSwitchOptions.builder().datapathId(DatapathId.of(7))
                .helloVersion(version).supportedVersions(version).build();
    }

    /**
     * A switch with OVS's bundle behaviour: messages are staged, a commit applies all or, if one
     * fails, sends that message's ERROR (its xid) and fails the commit with MSG_FAILED.
     */
    private static EmulatedSwitch bundlingSwitch(OFVersion version) {
        return bundlingSwitch(version, (f, bundling) -> bundling);
    }

    /** How a test changes the bundling switch's answer to BUNDLE_CONTROL: given the factory and that answer. */
    private interface ControlAnswer {
        Function<OFMessage, List<OFMessage>> wrap(OFFactory factory, Function<OFMessage, List<OFMessage>> bundling);
    }

    private static EmulatedSwitch bundlingSwitch(OFVersion version, ControlAnswer controlAnswer) {
        EmulatedSwitch emulator = EmulatedSwitch.prepare(options(version));
        List<OFFlowMod> staged = new ArrayList<>();
        emulator.onMessage(OFType.BUNDLE_ADD_MESSAGE, request -> {
            OFBundleAddMsg add = (OFBundleAddMsg) request;
            staged.add((OFFlowMod) (add.getVersion() == OFVersion.OF_14 ? add.getData() : add.getMessage()));
            return List.of();
        });
        Function<OFMessage, List<OFMessage>> bundling = request -> {
            OFBundleCtrlMsg control = (OFBundleCtrlMsg) request;
            OFFactory f = emulator.factory();
            OFBundleCtrlType replyType = switch (control.getBundleCtrlType()) {
                case OPEN_REQUEST -> OFBundleCtrlType.OPEN_REPLY;
                case DISCARD_REQUEST -> OFBundleCtrlType.DISCARD_REPLY;
                case CLOSE_REQUEST -> OFBundleCtrlType.CLOSE_REPLY;
                default -> OFBundleCtrlType.COMMIT_REPLY;
            };
            List<OFMessage> answers = new ArrayList<>();
            if (replyType == OFBundleCtrlType.COMMIT_REPLY) {
                OFFlowMod bad = staged.stream().filter(m -> m.getCookie().equals(BAD_COOKIE)).findFirst().orElse(null);
                if (bad != null) {
                    answers.add(f.errorMsgs().buildFlowModFailedErrorMsg().setXid(bad.getXid())
                            .setCode(OFFlowModFailedCode.TABLE_FULL)
                            .setData(OFErrorCauseData.of(bytesOf(bad), bad.getVersion())).build());
                    answers.add(f.errorMsgs().buildBundleFailedErrorMsg().setXid(control.getXid())
                            .setCode(OFBundleFailedCode.MSG_FAILED)
                            .setData(OFErrorCauseData.of(bytesOf(control), control.getVersion())).build());
                    staged.clear();
                    return answers;
                }
                staged.forEach(emulator.flowTable()::apply);
            }
            staged.clear();
            answers.add(f.buildBundleCtrlMsg().setXid(control.getXid()).setBundleId(control.getBundleId())
                    .setBundleCtrlType(replyType).setFlags(control.getFlags()).setProperties(List.of()).build());
            return answers;
        };
        emulator.onMessage(OFType.BUNDLE_CONTROL, controlAnswer.wrap(OFFactories.getFactory(version), bundling));
        return emulator;
    }

    static List<OFFlowMod> flows(OFFactory f, int count) {
        List<OFFlowMod> flows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            flows.add(f.buildFlowAdd()
                    .setCookie(U64.of(i))
                    .setPriority(100)
                    .setMatch(f.buildMatch()
                            .setExact(MatchField.ETH_TYPE, EthType.IPv4)
                            .setExact(MatchField.IPV4_DST, IPv4Address.of(0x0a000000 + i))
                            .build())
                    .setActions(List.of(f.actions().output(OFPort.of(2), 0xffff)))
                    .build());
        }
        return flows;
    }

    private static byte[] bytesOf(OFMessage message) {
        ByteBuf buf = Unpooled.buffer();
        message.writeTo(buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        return bytes;
    }
}
