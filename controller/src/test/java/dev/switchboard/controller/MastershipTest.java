package dev.switchboard.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.controller.app.AppConfig;
import dev.switchboard.controller.app.AppContext;
import dev.switchboard.controller.app.AppCookies;
import dev.switchboard.controller.app.AppRuntime;
import dev.switchboard.controller.app.FlowPlan;
import dev.switchboard.controller.app.SwitchboardApp;
import dev.switchboard.emulator.EmulatedSwitch;
import dev.switchboard.emulator.EmulatedSwitchOptions;
import dev.switchboard.emulator.FlowTable;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFRoleRequest;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.U64;

/**
 * A controller in a cluster, with a mastership source the test moves by hand and an emulated
 * switch that accepts every role request: writes to a switch this instance does not master fail
 * loudly, the gate follows the source at once, and a switch becoming mastered is reconciled and
 * announced to the apps (and taken from them on demotion).
 */
class MastershipTest {
    private static final DatapathId DPID = DatapathId.of(0x42);
    private static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final int PROBE_COOKIE = 0x90;

    /** Decisions set by the test; listeners told only when the test says so. */
    private static final class HandMastership implements MastershipSource {
        private final Listeners<Consumer<MasteredDatapaths>> listeners = new Listeners<>();
        private volatile MasteredDatapaths current = MasteredDatapaths.NONE;

        @Override
        public MasteredDatapaths current() {
            return current;
        }

        @Override
        public Registration addListener(Consumer<MasteredDatapaths> listener) {
            return listeners.add(listener);
        }

        void set(MasteredDatapaths next, boolean tell) {
            current = next;
            if (tell) {
                listeners.fire("test decision", l -> l.accept(next));
            }
        }
    }

    /** Adds one flow of its own when it reconciles a switch; records the switch events it hears. */
    private static final class Probe implements SwitchboardApp {
        final List<String> events = new CopyOnWriteArrayList<>();
        private volatile U64 cookie;

        @Override
        public String name() {
            return "probe";
        }

        @Override
        public int cookieNumber() {
            return PROBE_COOKIE;
        }

        @Override
        public void start(AppContext context) {
            cookie = context.flows().cookie();
            context.switches().addSwitchListener(new SwitchListener() {
                @Override
                public void switchAdded(OFSwitch sw) {
                    events.add("added");
                }

                @Override
                public void switchRoleChanged(OFSwitch sw, ControllerRole role) {
                    events.add("role " + role);
                }

                @Override
                public void switchRemoved(OFSwitch sw) {
                    events.add("removed");
                }
            });
        }

        @Override
        public FlowPlan reconcile(OFSwitch sw, List<OFFlowStatsEntry> flows) {
            FlowPlan plan = FlowPlan.sort(flows, flow -> true);
            return plan.keep().isEmpty() ? plan.adding(List.of(flow(sw.factory(), cookie))) : plan;
        }
    }

    private final EventLoopGroup switchLoops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final HandMastership mastership = new HandMastership();
    private final Controller controller = new Controller(ControllerConfig.builder()
            .listen(new InetSocketAddress("127.0.0.1", 0)).eventLoopThreads(1).build());
    private final FlowTable table = new FlowTable();
    private EmulatedSwitch emulator;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
        controller.close();
        switchLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private OFSwitch connect() {
        InetSocketAddress address = controller.start().get(0);
        emulator = EmulatedSwitch.prepare(EmulatedSwitchOptions.builder().datapathId(DPID)
                .supportedVersions(Set.of(OFVersion.OF_13)).build()).withFlowTable(table).connectTo(switchLoops, address);
        return await().atMost(PATIENCE).until(() -> controller.switches().getSwitch(DPID).orElse(null), sw -> sw != null);
    }

    private static org.projectfloodlight.openflow.protocol.OFFlowAdd flow(OFFactory f, U64 cookie) {
        return f.buildFlowAdd().setCookie(cookie).setPriority(7).setMatch(f.buildMatch().build()).build();
    }

    private boolean tableHas(U64 cookie) {
        return table.flows().stream().anyMatch(fl -> fl.cookie().equals(cookie));
    }

    @Test
    void aSwitchThisInstanceDoesNotMasterRefusesStateChangingWritesLoudly() throws Exception {
        controller.useMastership(mastership);
        OFSwitch sw = connect();

        assertThat(sw.controllerRole()).isEqualTo(ControllerRole.SLAVE);
        U64 cookie = U64.of(0x1234);
        assertThatThrownBy(() -> sw.write(flow(sw.factory(), cookie))).isInstanceOf(NotMasterException.class)
                .hasMessageContaining("not its master");
        assertThatThrownBy(() -> sw.writeAll(List.<org.projectfloodlight.openflow.protocol.OFMessage>of(sw.factory().buildEchoRequest().build(), flow(sw.factory(), cookie))))
                .as("one state change refuses the lot").isInstanceOf(NotMasterException.class);
        assertThatThrownBy(() -> sw.tryWriteAll(List.of(flow(sw.factory(), cookie)))).isInstanceOf(NotMasterException.class);
        sw.barrier().get(5, TimeUnit.SECONDS); // reads and barriers pass
        assertThat(tableHas(cookie)).as("nothing reached the switch").isFalse();
    }

    @Test
    void theWriteGateFollowsTheSourceAtOnceWithoutWaitingForItsListeners() throws Exception {
        controller.useMastership(mastership);
        OFSwitch sw = connect();
        mastership.set(new MasteredDatapaths(Map.of(DPID, 5L)), true);
        await().atMost(PATIENCE).until(() -> sw.controllerRole() == ControllerRole.MASTER);
        U64 cookie = U64.of(0x1234);
        sw.write(flow(sw.factory(), cookie));
        sw.barrier().get(5, TimeUnit.SECONDS);
        assertThat(tableHas(cookie)).isTrue();

        mastership.set(MasteredDatapaths.NONE, false); // the role manager has not run: only the gate knows

        assertThat(sw.controllerRole()).isEqualTo(ControllerRole.SLAVE);
        assertThatThrownBy(() -> sw.write(flow(sw.factory(), U64.of(0x5678)))).isInstanceOf(NotMasterException.class);
    }

    @Test
    void aSlaveRequestCarriesTheCurrentMastersGenerationId() {
        controller.useMastership(mastership);
        mastership.set(new MasteredDatapaths(Map.of(), Map.of(DPID, 0x7_0000_0003L)), false);
        connect();

        OFRoleRequest slave = await().atMost(PATIENCE).until(() -> emulator.received(OFRoleRequest.class).stream()
                .findFirst().orElse(null), r -> r != null);

        assertThat(slave.getRole()).isEqualTo(OFControllerRole.ROLE_SLAVE);
        assertThat(slave.getGenerationId()).isEqualTo(U64.of(0x7_0000_0003L));
    }

    @Test
    void becomingMasterReconcilesTheSwitchAndTheAppsHearOfItAndOfTheDemotion() throws Exception {
        controller.useMastership(mastership);
        Probe probe = new Probe();
        try (AppRuntime apps = AppRuntime.start(controller.switches(), controller.packetIns(), List.of(probe),
                name -> AppConfig.empty("apps." + name))) {
            OFSwitch sw = connect();
            U64 cookie = AppCookies.cookie(PROBE_COOKIE);
            sw.barrier().get(5, TimeUnit.SECONDS);
            assertThat(probe.events).as("a slave's switch is not the apps'").isEmpty();
            assertThat(tableHas(cookie)).isFalse();

            mastership.set(new MasteredDatapaths(Map.of(DPID, 9L)), true);

            await().atMost(PATIENCE).until(() -> probe.events.contains("role MASTER"));
            assertThat(probe.events).containsExactly("added", "role MASTER");
            assertThat(tableHas(cookie)).as("reconciled: the app's flow was added before it heard of the switch").isTrue();
            assertThat(apps.serves(sw)).isTrue();

            mastership.set(new MasteredDatapaths(Map.of(), Map.of(DPID, 11L)), true);

            await().atMost(PATIENCE).until(() -> probe.events.contains("removed"));
            assertThat(probe.events).containsExactly("added", "role MASTER", "role SLAVE", "removed");
            assertThat(apps.serves(sw)).isFalse();
            assertThat(emulator.received(OFRoleRequest.class)).last().satisfies(r -> {
                assertThat(r.getRole()).isEqualTo(OFControllerRole.ROLE_SLAVE);
                assertThat(r.getGenerationId()).as("the new master's term").isEqualTo(U64.of(11));
            });
            assertThat(tableHas(cookie)).as("a demotion flushes nothing").isTrue();

            mastership.set(new MasteredDatapaths(Map.of(DPID, 13L)), true);

            await().atMost(PATIENCE).until(() -> probe.events.size() == 6);
            assertThat(probe.events).endsWith("added", "role MASTER");
            assertThat(table.flows().stream().filter(fl -> fl.cookie().equals(cookie))).as("kept, not added twice").hasSize(1);
        }
    }
}
