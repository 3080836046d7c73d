package dev.switchboard.it;

import static dev.switchboard.it.TestSetup.config;
import static dev.switchboard.it.TestSetup.hostBehind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.Registration;
import dev.switchboard.controller.SwitchListener;
import dev.switchboard.controller.app.AppCookies;
import dev.switchboard.controller.app.AppRuntime;
import dev.switchboard.ovs.runtime.Commands;
import dev.switchboard.ovs.runtime.PrivateOvs;
import dev.switchboard.ovsdb.client.OvsdbClient;
import dev.switchboard.ovsdb.client.OvsdbSession;
import dev.switchboard.server.OvsdbManager;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.SwitchboardConfig;
import dev.switchboard.topology.TopologyService;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * Restarting {@code ovs-vswitchd} or {@code ovsdb-server} under a running controller: it
 * notices, reconnects, re-applies the declared bridges and its flows, the ping across two
 * declared bridges resumes, and nothing keeps the dead connections (old switches and OVSDB
 * sessions become garbage).
 *
 * <p>The network: bridges A and B, declared in the server's {@code ovsdb:} section (no
 * {@code failMode}, so secure), joined by a patch pair; namespace 1 behind A, namespace 2
 * behind B; the {@code l2-learning} app ({@link OvsRestartForwardingIT}: {@code forwarding}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OvsRestartIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String TARGET = "10.216.0.2";

    private final String appCookie = String.format("cookie=0x%x", AppCookies.cookie(AppRuntime.available(getClass().getClassLoader()).get(app())).getValue() >>> 40);
    private final String bridgeA = RunNames.name("rs" + app().charAt(0) + "a");
    private final String bridgeB = RunNames.name("rs" + app().charAt(0) + "b");
    private final List<String> namespaces = List.of(RunNames.name("rn" + app().charAt(0) + "1"),
            RunNames.name("rn" + app().charAt(0) + "2"));
    private final List<String> veths = List.of(RunNames.name("rv" + app().charAt(0) + "1"),
            RunNames.name("rv" + app().charAt(0) + "2"));

    private PrivateOvs ovs;
    private Switchboard switchboard;
    private String controllerTarget;
    /** Every switch the controller announced, weakly: a dead one must become garbage. */
    private final List<WeakReference<OFSwitch>> announced = new CopyOnWriteArrayList<>();
    /** Per datapath id, how often it was added and removed. */
    private final Map<DatapathId, Integer> added = new ConcurrentHashMap<>();
    private final Map<DatapathId, Integer> removed = new ConcurrentHashMap<>();
    private Registration listening;

    /** The app that forwards the pings. */
    String app() {
        return "l2-learning";
    }

    @BeforeAll
    void start() throws Exception {
        ovs = PrivateOvs.start();
        try {
            SwitchboardConfig config = config("""
                    openflow:
                      listen: ["%s:0"]
                      echoInterval: 1s
                      maxMissedEchoes: 3
                    ovsdb:
                      connect: ["%s"]
                      bridges:
                        - {name: %s, datapathType: netdev, protocols: [OpenFlow13]}
                        - {name: %s, datapathType: netdev, protocols: [OpenFlow13]}
                    apps:
                      %s: {}
                    """.formatted(ovs.controllerAddress().getHostAddress(), ovs.dbTarget(), bridgeA, bridgeB, app()));
            switchboard = Switchboard.start(config.controllerConfig().build(), config.ovsdb(),
                    List.copyOf(config.apps().keySet()), config.apps());
            controllerTarget = ovs.controllerTarget(switchboard.openflowAddresses().get(0).getPort());
            listening = switchboard.controller().switches().addSwitchListener(new SwitchListener() {
                @Override
                public void switchAdded(OFSwitch sw) {
                    announced.add(new WeakReference<>(sw));
                    added.merge(sw.id(), 1, Integer::sum);
                }

                @Override
                public void switchRemoved(OFSwitch sw) {
                    removed.merge(sw.id(), 1, Integer::sum);
                }
            });
            await().atMost(PATIENCE).until(() -> ovs.vsctl("list-br").lines().filter(b -> b.equals(bridgeA)
                    || b.equals(bridgeB)).count() == 2);
            for (int i = 0; i < 2; i++) {
                hostBehind(namespaces.get(i), veths.get(i), "10.216.0." + (i + 1) + "/24");
                ovs.moveIntoNamespace(veths.get(i));
            }
            ovs.vsctl("add-port", bridgeA, veths.get(0), "--", "add-port", bridgeB, veths.get(1),
                    "--", "add-port", bridgeA, bridgeA + "p", "--", "set", "interface", bridgeA + "p", "type=patch",
                    "options:peer=" + bridgeB + "p",
                    "--", "add-port", bridgeB, bridgeB + "p", "--", "set", "interface", bridgeB + "p", "type=patch",
                    "options:peer=" + bridgeA + "p");
        } catch (Exception | Error e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    void stop() {
        try {
            if (listening != null) {
                listening.close();
            }
            if (switchboard != null) {
                switchboard.close();
            }
        } finally {
            namespaces.forEach(ns -> Commands.run(Duration.ofSeconds(10), "ip", "netns", "del", ns));
            veths.forEach(veth -> Commands.run(Duration.ofSeconds(10), "ip", "link", "del", veth));
            if (ovs != null) {
                ovs.close();
            }
        }
    }

    @Test
    @Order(1)
    void aKilledSwitchDaemonComesBackWithItsFlowsAndNothingKeepsTheDeadConnections() {
        Set<DatapathId> dpids = awaitPinging();
        try (PingMonitor ping = PingMonitor.start(namespaces.get(0), TARGET, Duration.ofMillis(20))) {
            Instant begun = Instant.now();
            await().atMost(PATIENCE).until(() -> ping.answeredAfter(begun));
            int addedBefore = added.values().stream().mapToInt(Integer::intValue).sum();
            int removedBefore = removed.values().stream().mapToInt(Integer::intValue).sum();

            Instant killed = Instant.now();
            ovs.killSwitchDaemon();
            await().atMost(PATIENCE).until(() -> switchboard.controller().switches().switches().isEmpty());
            ovs.startSwitchDaemon();
            Instant restarted = Instant.now();

            await().atMost(PATIENCE).until(() -> ping.answeredAfter(restarted));
            PingMonitor.Outage outage = ping.outageSince(killed);
            System.out.printf("OUTAGE ovs-vswitchd killed and started again: %s (pings resumed %d ms after the kill)%n",
                    outage, Duration.between(killed, outage.resumedAt()).toMillis());

            // the controller saw both switches go and come back, and they are the live ones only
            assertThat(removed.values().stream().mapToInt(Integer::intValue).sum() - removedBefore).isEqualTo(2);
            assertThat(added.values().stream().mapToInt(Integer::intValue).sum() - addedBefore).isEqualTo(2);
            assertThat(switchboard.controller().switches().switches()).extracting(OFSwitch::id)
                    .containsExactlyInAnyOrderElementsOf(dpids);
            // the app's flows are back on the new daemon, which started with none
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(dumpFlows(bridgeA)).contains(appCookie));
            assertThat(dumpFlows(bridgeB)).contains(appCookie);
            assertThat(ovs.vsctl("get", "bridge", bridgeA, "fail_mode")).isEqualTo("secure");
        }
        assertOnlyLiveSwitchesAreKept(dpids, true);
    }

    @Test
    @Order(2)
    void aRestartedDatabaseGetsTheDeclaredBridgesBackAndNothingKeepsTheDeadSession() throws Exception {
        Set<DatapathId> dpids = awaitPinging();
        OvsdbManager manager = switchboard.ovsdb().orElseThrow();
        assertThat(manager.clients()).hasSize(1);
        OvsdbClient client = manager.clients().get(0);
        await().atMost(PATIENCE).until(client::isConnected);
        WeakReference<OvsdbSession> oldSession = new WeakReference<>(client.session());
        try (PingMonitor ping = PingMonitor.start(namespaces.get(0), TARGET, Duration.ofMillis(20))) {
            Instant begun = Instant.now();
            await().atMost(PATIENCE).until(() -> ping.answeredAfter(begun));

            Instant stopped = Instant.now();
            ovs.stopOvsdbServer();
            await().atMost(PATIENCE).until(() -> !client.isConnected());
            // while the controller cannot see it: bridge A loses its controller and becomes standalone
            Commands.check(List.of("ovsdb-tool", "transact", ovs.databaseFile().toString(), """
                    ["Open_vSwitch", {"op": "update", "table": "Bridge", "where": [["name", "==", "%s"]],
                     "row": {"fail_mode": "standalone", "controller": ["set", []]}}]""".formatted(bridgeA)),
                    ovs.environment(), PATIENCE);
            Instant started = Instant.now();
            ovs.startOvsdbServer();

            await().atMost(PATIENCE).until(() -> ovs.vsctl("get-controller", bridgeA).equals(controllerTarget)
                    && ovs.vsctl("get", "bridge", bridgeA, "fail_mode").equals("secure"));
            Duration reapplied = Duration.between(started, Instant.now());
            await().atMost(PATIENCE).until(() -> switchboard.controller().switches().switches().size() == 2);
            Instant fixed = Instant.now();
            await().atMost(PATIENCE).until(() -> ping.answeredAfter(fixed));
            PingMonitor.Outage outage = ping.outageSince(stopped);
            System.out.printf("OUTAGE ovsdb-server stopped, bridge %s changed offline, started again: %s; declared state "
                    + "re-applied %d ms after the start%n", bridgeA, outage, reapplied.toMillis());

            assertThat(ovs.vsctl("get", "bridge", bridgeB, "fail_mode")).isEqualTo("secure");
            assertThat(ovs.vsctl("get-controller", bridgeB)).isEqualTo(controllerTarget);
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(dumpFlows(bridgeA)).contains(appCookie));
        }
        // one client, connected on a new session; the old one (and its pending calls) is garbage
        assertThat(manager.clients()).containsExactly(client);
        assertThat(client.isConnected()).isTrue();
        assertThat(client.session()).isNotSameAs(oldSession.get());
        awaitCollected("the OVSDB session of the stopped ovsdb-server", List.of(oldSession));
        // at the server: ovs-vswitchd's session and ours, and no other appears later from a stale
        // reconnection task (the backoff is at most 8 s)
        await().during(Duration.ofSeconds(9)).atMost(PATIENCE).until(() -> ovsdbSessions() == 2);
        // bridge A's connection dropped if ovs-vswitchd read the changed database before the controller fixed it
        assertOnlyLiveSwitchesAreKept(dpids, false);
    }

    @Test
    @Order(3)
    void aHungSwitchDaemonIsDroppedAfterMissedEchoesAndComesBackWhenItWakes() {
        Set<DatapathId> dpids = awaitPinging();
        try (PingMonitor ping = PingMonitor.start(namespaces.get(0), TARGET, Duration.ofMillis(20))) {
            Instant begun = Instant.now();
            await().atMost(PATIENCE).until(() -> ping.answeredAfter(begun));

            Instant paused = Instant.now();
            ovs.pauseSwitchDaemon();
            try {
                // its sockets stay open: only the unanswered echoes tell the controller
                await().atMost(PATIENCE).until(() -> switchboard.controller().switches().switches().isEmpty());
                System.out.printf("HUNG ovs-vswitchd dropped by the controller %d ms after it stopped answering%n",
                        Duration.between(paused, Instant.now()).toMillis());
            } finally {
                ovs.resumeSwitchDaemon();
            }
            Instant resumed = Instant.now();
            await().atMost(PATIENCE).until(() -> ping.answeredAfter(resumed));
            await().atMost(PATIENCE).until(() -> switchboard.controller().switches().switches().size() == 2);
            System.out.printf("HUNG ovs-vswitchd: after SIGCONT the ping resumed in %d ms and both switches were back "
                    + "in %d ms%n", Duration.between(resumed, ping.outageSince(resumed).resumedAt()).toMillis(),
                    Duration.between(resumed, Instant.now()).toMillis());
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(dumpFlows(bridgeA)).contains(appCookie));
        }
        assertOnlyLiveSwitchesAreKept(dpids, true);
    }

    /** Waits until both switches are connected, discovered and a ping passes; their datapath ids. */
    private Set<DatapathId> awaitPinging() {
        await().atMost(PATIENCE).until(() -> switchboard.controller().switches().switches().size() == 2);
        Set<DatapathId> dpids = switchboard.controller().switches().switches().stream().map(OFSwitch::id)
                .collect(Collectors.toSet());
        TopologyService topology = switchboard.service(TopologyService.class).orElseThrow();
        await().atMost(PATIENCE).until(() -> topology.current().links().size() == 2);
        assertThat(Commands.run(PATIENCE, "ip", "netns", "exec", namespaces.get(0), "ping", "-c", "1", "-w", "30", TARGET)
                .succeeded()).as("a ping across both bridges").isTrue();
        return dpids;
    }

    /**
     * The registry, the topology and every other holder (apps' per-switch state, timers,
     * listeners, pending requests) keep only the live switches: each switch announced earlier
     * and not live any more becomes garbage.
     */
    private void assertOnlyLiveSwitchesAreKept(Set<DatapathId> dpids, boolean someDied) {
        List<OFSwitch> live = List.copyOf(switchboard.controller().switches().switches());
        assertThat(live).extracting(OFSwitch::id).containsExactlyInAnyOrderElementsOf(dpids);
        TopologyService topology = switchboard.service(TopologyService.class).orElseThrow();
        await().atMost(PATIENCE).until(() -> topology.current().switches().equals(dpids));
        List<WeakReference<OFSwitch>> dead = new ArrayList<>();
        for (WeakReference<OFSwitch> ref : announced) {
            OFSwitch sw = ref.get();
            // a switch already collected was a dead connection's too (the live ones are held)
            if (sw == null || live.stream().noneMatch(l -> l == sw)) {
                dead.add(ref);
            }
        }
        live = null; // the strong references go before collecting
        if (someDied) {
            assertThat(dead).as("switches of dead connections").isNotEmpty();
        }
        awaitCollected("switches of dead connections", dead);
    }

    private static <T> void awaitCollected(String what, List<WeakReference<T>> refs) {
        await(what + " collected").atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> {
            System.gc();
            return refs.stream().allMatch(ref -> ref.get() == null);
        });
    }

    /** The clients {@code ovsdb-server} has (its {@code memory/show} leaves the count out at 0). */
    private int ovsdbSessions() {
        Matcher m = Pattern.compile("sessions:(\\d+)").matcher(ovs.appctl("-t", "ovsdb-server", "memory/show"));
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private String dumpFlows(String bridge) {
        return ovs.ofctl("-O", "OpenFlow13", "dump-flows", bridge);
    }

}
