package dev.switchboard.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.controller.app.AppConfig;
import dev.switchboard.controller.app.AppContext;
import dev.switchboard.controller.app.AppCookies;
import dev.switchboard.controller.app.AppRuntime;
import dev.switchboard.controller.app.SwitchboardApp;
import dev.switchboard.emulator.EmulatedSwitch;
import dev.switchboard.emulator.EmulatedSwitchOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import dev.switchboard.controller.app.FlowPlan;
import dev.switchboard.emulator.FlowTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowDelete;
import org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

class AppRuntimeTest {

    /** An app that records what happens to it. */
    private static class Probe implements SwitchboardApp {
        /** The built-in apps' numbers, so flows read as theirs; other probes count up from 0x80. */
        private static final Map<String, Integer> COOKIES = Map.of("topology", 2, "hosts", 3, "forwarding", 5,
                "routing", 6);
        private static final AtomicInteger NEXT_COOKIE = new AtomicInteger(0x80);

        final String name;
        final List<Class<?>> provides = new ArrayList<>();
        final List<Class<?>> consumes;
        final List<String> log;
        final int order;
        final int cookieNumber;
        boolean failOnStart;

        Probe(String name, List<String> log, int order, Class<?>... consumes) {
            this.name = name;
            this.consumes = List.of(consumes);
            this.log = log;
            this.order = order;
            this.cookieNumber = COOKIES.getOrDefault(name, NEXT_COOKIE.getAndIncrement());
        }

        Probe providing(Class<?> service) {
            provides.add(service);
            return this;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int cookieNumber() {
            return cookieNumber;
        }

        @Override
        public List<Class<?>> provides() {
            return provides;
        }

        @Override
        public List<Class<?>> consumes() {
            return consumes;
        }

        @Override
        public int pipelineOrder() {
            return order;
        }

        @Override
        public void start(AppContext context) {
            if (failOnStart) {
                throw new IllegalStateException("boom");
            }
            log.add("start " + name);
            context.addPacketInProcessor((sw, packetIn) -> {
                log.add("packet " + name);
                if (name.equals("thrower")) {
                    throw new IllegalStateException("app bug");
                }
                return Disposition.CONTINUE;
            });
            context.switches().addSwitchListener(new SwitchListener() {
                @Override
                public void switchAdded(OFSwitch sw) {
                    log.add("switch " + name);
                    if (name.equals("thrower")) {
                        throw new IllegalStateException("listener bug");
                    }
                }
            });
        }

        @Override
        public void stop() {
            log.add("stop " + name);
        }
    }

    private static Map<String, SwitchboardApp> catalog(SwitchboardApp... apps) {
        Map<String, SwitchboardApp> map = new java.util.TreeMap<>();
        for (SwitchboardApp app : apps) {
            map.put(app.name(), app);
        }
        return map;
    }

    /** Service types the probes provide and consume. */
    interface Topology {
    }

    interface Hosts {
    }

    interface Missing {
    }

    @Test
    void providersStartFirstOnceAndStopInReverse() {
        List<String> log = new CopyOnWriteArrayList<>();
        Map<String, SwitchboardApp> apps = catalog(new Probe("topology", log, 100).providing(Topology.class),
                new Probe("hosts", log, 200, Topology.class).providing(Hosts.class),
                new Probe("forwarding", log, 400, Topology.class, Hosts.class),
                new Probe("routing", log, 300, Topology.class, Hosts.class));
        List<SwitchboardApp> resolved = AppRuntime.resolve(List.of("forwarding", "routing"), apps);
        assertThat(resolved).extracting(SwitchboardApp::name).containsExactly("topology", "hosts", "forwarding", "routing");

        try (ControllerFixture fixture = new ControllerFixture()) {
            AppRuntime runtime = AppRuntime.start(fixture.controller.switches(), fixture.controller.packetIns(),
                    resolved, name -> AppConfig.empty("apps." + name));
            assertThat(runtime.names()).containsExactly("topology", "hosts", "forwarding", "routing");
            runtime.close();
        }
        assertThat(log).containsExactly("start topology", "start hosts", "start forwarding", "start routing",
                "stop routing", "stop forwarding", "stop hosts", "stop topology");
    }

    @Test
    void unknownAppsMissingProvidersAndCyclesAreNamed() {
        List<String> log = new ArrayList<>();
        Map<String, SwitchboardApp> apps = catalog(new Probe("a", log, 1, Hosts.class).providing(Topology.class),
                new Probe("b", log, 1, Topology.class).providing(Hosts.class), new Probe("c", log, 1, Missing.class));
        assertThatThrownBy(() -> AppRuntime.resolve(List.of("nope"), apps))
                .hasMessageContaining("unknown app 'nope'").hasMessageContaining("known: a, b, c");
        assertThatThrownBy(() -> AppRuntime.resolve(List.of("c"), apps))
                .hasMessageContaining("app 'c' consumes " + Missing.class.getName() + " but no app on the class path provides it");
        assertThatThrownBy(() -> AppRuntime.resolve(List.of("a"), apps))
                .hasMessageContaining("cycle: 'a' needs Hosts from 'b' needs Topology from 'a'");
    }

    @Test
    void aServiceTwoAppsProvideIsRefusedByName() {
        Map<String, SwitchboardApp> apps = catalog(new Probe("one", new ArrayList<>(), 1).providing(Topology.class),
                new Probe("two", new ArrayList<>(), 1).providing(Topology.class),
                new Probe("user", new ArrayList<>(), 1, Topology.class));
        assertThatThrownBy(() -> AppRuntime.resolve(List.of("user"), apps))
                .hasMessageContaining("app 'user' consumes " + Topology.class.getName() + ", which several apps provide: one, two");
    }

    @Test
    void twoAppsWithOneCookieNumberAreRefused() {
        Probe first = new Probe("forwarding", new ArrayList<>(), 1);
        SwitchboardApp second = new Probe("copycat", new ArrayList<>(), 1) {
            @Override
            public int cookieNumber() {
                return 5;
            }
        };
        assertThatThrownBy(() -> AppRuntime.resolve(List.of("forwarding", "copycat"), catalog(first, second)))
                .hasMessageContaining("apps 'forwarding' and 'copycat' both declare flow cookie number 0x05");
    }

    @Test
    void aFailedStartStopsTheAppsAlreadyStarted() {
        List<String> log = new CopyOnWriteArrayList<>();
        Probe broken = new Probe("broken", log, 2, Topology.class);
        broken.failOnStart = true;
        try (ControllerFixture fixture = new ControllerFixture()) {
            assertThatThrownBy(() -> AppRuntime.start(fixture.controller.switches(), fixture.controller.packetIns(),
                    AppRuntime.resolve(List.of("broken"), catalog(new Probe("base", log, 1).providing(Topology.class), broken)),
                    name -> AppConfig.empty(name)))
                    .hasMessageContaining("app 'broken' failed to start").hasMessageContaining("boom");
            assertThat(log).containsExactly("start base", "stop broken", "stop base");
            // nothing of base is left registered
            EmulatedSwitch emulator = fixture.connect(7);
            fixture.awaitSwitch(emulator);
            emulator.sendPacketIn(OFPort.of(1), new byte[64]);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !log.contains("packet base"));
            assertThat(log).doesNotContain("switch base");
        }
    }

    @Test
    void anAppsExceptionDoesNotStopTheOthersAndStoppingRemovesItsRegistrations() {
        List<String> log = new CopyOnWriteArrayList<>();
        try (ControllerFixture fixture = new ControllerFixture()) {
            AppRuntime runtime = AppRuntime.start(fixture.controller.switches(), fixture.controller.packetIns(),
                    AppRuntime.resolve(List.of("after"), catalog(new Probe("thrower", log, 1).providing(Topology.class),
                            new Probe("after", log, 2, Topology.class))),
                    name -> AppConfig.empty(name));
            EmulatedSwitch emulator = fixture.connect(8);
            fixture.awaitSwitch(emulator);
            // apps are told of a switch once its flows are reconciled, and see its packets from then on
            await().atMost(Duration.ofSeconds(5)).until(() -> log.contains("switch after"));
            emulator.sendPacketIn(OFPort.of(1), new byte[64]);
            await().atMost(Duration.ofSeconds(5)).until(() -> log.contains("packet after"));
            assertThat(log).containsSubsequence("packet thrower", "packet after");
            assertThat(log).contains("switch thrower", "switch after");
            // counted for /metrics, by app: the processor's failure by the controller, the listener's by the runtime
            await().atMost(Duration.ofSeconds(5)).until(() -> runtime.listenerFailures().get("thrower") == 1);
            assertThat(runtime.listenerFailures()).containsExactly(Map.entry("thrower", 1L), Map.entry("after", 0L));
            assertThat(fixture.controller.stats().processorFailures()).containsExactly(Map.entry("thrower", 1L));

            runtime.close();
            log.clear();
            emulator.sendPacketIn(OFPort.of(1), new byte[64]);
            EmulatedSwitch second = fixture.connect(9);
            fixture.awaitSwitch(second);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(log::isEmpty);
        }
    }

    /** A service with listeners, as the topology is. */
    interface Announcer {
        Registration addListener(Runnable listener);
    }

    /** Publishes an {@link Announcer} whose views hand each consumer's listeners to its context. */
    static final class AnnouncerApp extends Probe {
        final List<Runnable> listeners = new CopyOnWriteArrayList<>();

        AnnouncerApp(List<String> log) {
            super("announcer", log, 1);
            providing(Announcer.class);
        }

        @Override
        public void start(AppContext context) {
            super.start(context);
            Announcer service = listener -> {
                listeners.add(listener);
                return () -> listeners.remove(listener);
            };
            context.publishViews(Announcer.class, consumer -> listener -> consumer.track(service.addListener(listener)));
        }
    }

    /** Receives the announcer through its constructor and never unregisters by hand. */
    public static final class ListeningApp extends Probe {
        private final Announcer announcer;

        /** How ServiceLoader makes it: describes the app. */
        public ListeningApp() {
            this(null);
        }

        @jakarta.inject.Inject
        public ListeningApp(Announcer announcer) {
            super("listener", new ArrayList<>(), 2, Announcer.class);
            this.announcer = announcer;
        }

        @Override
        public void start(AppContext context) {
            announcer.addListener(() -> { });
        }
    }

    @Test
    void anAppGetsConsumedServicesByConstructorAndWhatItRegisteredOnThemGoesWhenItStops() {
        AnnouncerApp announcer = new AnnouncerApp(new CopyOnWriteArrayList<>());
        Map<String, SwitchboardApp> apps = catalog(announcer, new ListeningApp());
        try (ControllerFixture fixture = new ControllerFixture()) {
            AppRuntime runtime = AppRuntime.start(fixture.controller.switches(), fixture.controller.packetIns(),
                    AppRuntime.resolve(List.of("listener"), apps), name -> AppConfig.empty(name),
                    dev.switchboard.controller.app.AppFactory.reflective());
            assertThat(runtime.names()).containsExactly("announcer", "listener");
            assertThat(announcer.listeners).hasSize(1);
            runtime.service(Announcer.class).orElseThrow().addListener(() -> { });
            assertThat(announcer.listeners).hasSize(2);
            runtime.close();
            assertThat(announcer.listeners).as("the consumers' listeners are removed").isEmpty();
        }
    }

    @Test
    void usingOrPublishingAnUndeclaredServiceIsAnError() {
        Probe user = new Probe("user", new ArrayList<>(), 1) {
            @Override
            public void start(AppContext context) {
                context.service(Topology.class);
            }
        };
        Probe publisher = new Probe("publisher", new ArrayList<>(), 1) {
            @Override
            public void start(AppContext context) {
                context.publish(Topology.class, new Topology() { });
            }
        };
        try (ControllerFixture fixture = new ControllerFixture()) {
            assertThatThrownBy(() -> AppRuntime.start(fixture.controller.switches(), fixture.controller.packetIns(),
                    List.of(user), name -> AppConfig.empty(name)))
                    .hasMessageContaining("app 'user' uses a " + Topology.class.getName()
                            + " but does not declare it in consumes()");
            assertThatThrownBy(() -> AppRuntime.start(fixture.controller.switches(), fixture.controller.packetIns(),
                    List.of(publisher), name -> AppConfig.empty(name)))
                    .hasMessageContaining("app 'publisher' publishes a " + Topology.class.getName()
                            + " but does not declare it in provides()");
        }
    }

    @Test
    void cookiesCarryTheAppsOwnNumber() {
        assertThat(AppCookies.cookie(4)).isEqualTo(U64.of(0x5342_0400_0000_0000L));
        assertThat(AppCookies.cookie(new Probe("forwarding", new ArrayList<>(), 1))).isEqualTo(U64.of(0x5342_0500_0000_0000L));
        assertThat(AppCookies.isOf(U64.of(0x5342_0500_0000_002AL), 5)).isTrue();
        assertThat(AppCookies.isOf(U64.of(0x5342_0500_0000_002AL), 4)).isFalse();
        assertThatThrownBy(() -> AppCookies.cookie(0x100)).hasMessageContaining("1 to 255");
    }

    /**
     * A switch that comes back to a restarted controller still holds the last run's flows: the
     * app's flows on live ports stay (never a sweep), one out of a port that is gone and one of an
     * app no longer running are deleted exactly, a flow that is not Switchboard's is left alone,
     * and only then does the app hear of the switch.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void aReconnectingSwitchKeepsTheAppsLiveFlowsAndLosesTheStaleOnes(OFVersion version) {
        List<String> log = new CopyOnWriteArrayList<>();
        FlowTable table = new FlowTable();
        OFFactory f = OFFactories.getFactory(version);
        long app = 0x5342_0500_0000_0000L;
        table.apply(flow(f, app | 7, 100, 1, 2));           // ports 1 and 2 exist: kept
        table.apply(flow(f, app | 8, 100, 2, 9));           // out of port 9, which is gone
        table.apply(flow(f, 0x5342_0700_0000_0001L, 50, 1, 2)); // an app that does not run now
        table.apply(flow(f, 0x1234L, 10, 2, 1));            // not Switchboard's
        try (ControllerFixture fixture = new ControllerFixture()) {
            Probe probe = new Probe("forwarding", log, 1) {
                @Override
                public FlowPlan reconcile(OFSwitch sw, List<OFFlowStatsEntry> flows) {
                    log.add("reconcile " + flows.size());
                    return super.reconcile(sw, flows);
                }
            };
            AppRuntime runtime = AppRuntime.start(fixture.controller.switches(), fixture.controller.packetIns(),
                    List.of(probe), name -> AppConfig.empty(name));
            EmulatedSwitch emulator = fixture.connect(EmulatedSwitch.prepare(EmulatedSwitchOptions.builder()
                    .datapathId(DatapathId.of(10)).supportedVersions(Set.of(version)).build()).withFlowTable(table));
            fixture.awaitSwitch(emulator);
            await().atMost(Duration.ofSeconds(5)).until(() -> log.contains("switch forwarding"));
            assertThat(log).containsSubsequence("reconcile 2", "switch forwarding");
            assertThat(table.flows()).extracting(fl -> fl.cookie().getValue())
                    .contains(app | 7, 0x1234L).doesNotContain(app | 8, 0x5342_0700_0000_0001L);
            assertThat(emulator.received(OFFlowDeleteStrict.class)).hasSize(2);
            assertThat(emulator.received(OFFlowDelete.class)).as("no sweep").isEmpty();

            runtime.close();
            assertThat(emulator.received(OFFlowDelete.class)).as("stopping keeps the flows").isEmpty();
            assertThat(table.flows()).extracting(fl -> fl.cookie().getValue()).contains(app | 7);
        }
    }

    /**
     * A plan far larger than a peer's outbound budget (20,000 strict deletes, ~2 MiB) is applied
     * whole, in chunks each waiting for its barrier, and the app hears of the switch only once
     * every stale flow is gone. Written in one go from the read burst, the budget refused about
     * half of it silently and the switch was announced anyway.
     */
    @Test
    void aPlanLargerThanTheOutboundBudgetIsAppliedWholeBeforeTheSwitchIsAnnounced() {
        FlowTable table = new FlowTable();
        OFFactory f = OFFactories.getFactory(OFVersion.OF_13);
        long app = 0x5342_0500_0000_0000L;
        int stale = 20_000;
        for (int i = 0; i < stale; i++) {
            table.apply(f.buildFlowAdd().setCookie(U64.of(app | i)).setPriority(100)
                    .setMatch(f.buildMatch().setExact(org.projectfloodlight.openflow.protocol.match.MatchField.IN_PORT, OFPort.of(1))
                            .setExact(org.projectfloodlight.openflow.protocol.match.MatchField.ETH_DST,
                                    org.projectfloodlight.openflow.types.MacAddress.of(0x0200_0000_0000L + i)).build())
                    .setInstructions(List.of(f.instructions().applyActions(List.of(f.actions().output(OFPort.of(9), 0)))))
                    .build()); // out of port 9, which is gone
        }
        List<Long> leftWhenAnnounced = new CopyOnWriteArrayList<>();
        try (ControllerFixture fixture = new ControllerFixture()) {
            SwitchboardApp probe = new Probe("forwarding", new CopyOnWriteArrayList<>(), 1) {
                @Override
                public void start(AppContext context) {
                    context.switches().addSwitchListener(new SwitchListener() {
                        @Override
                        public void switchAdded(OFSwitch sw) {
                            leftWhenAnnounced.add(table.flows().stream()
                                    .filter(fl -> (fl.cookie().getValue() & AppCookies.APP_MASK) == app).count());
                        }
                    });
                }
            };
            AppRuntime runtime = AppRuntime.start(fixture.controller.switches(), fixture.controller.packetIns(),
                    List.of(probe), name -> AppConfig.empty(name));
            EmulatedSwitch emulator = fixture.connect(EmulatedSwitch.prepare(EmulatedSwitchOptions.builder()
                    .datapathId(DatapathId.of(13)).supportedVersions(Set.of(OFVersion.OF_13)).build()).withFlowTable(table));
            fixture.awaitSwitch(emulator);
            await().atMost(Duration.ofSeconds(60)).until(() -> !leftWhenAnnounced.isEmpty());
            assertThat(leftWhenAnnounced).containsExactly(0L);
            assertThat(table.flows()).extracting(fl -> fl.cookie().getValue()).noneMatch(c -> (c & AppCookies.APP_MASK) == app);
            assertThat(emulator.received(OFFlowDeleteStrict.class)).hasSize(stale);
            assertThat(emulator.isConnected()).isTrue();
            runtime.close();
        }
    }

    /** Until its flows are reconciled, a switch's packets pass the app by: it cannot install a flow a stale plan deletes. */
    @Test
    void anAppSeesNoPacketOfASwitchBeforeItWasReconciled() {
        List<String> log = new CopyOnWriteArrayList<>();
        try (ControllerFixture fixture = new ControllerFixture()) {
            AppRuntime runtime = AppRuntime.start(fixture.controller.switches(), fixture.controller.packetIns(),
                    List.of(new Probe("hub", log, 1)), name -> AppConfig.empty(name));
            EmulatedSwitch prepared = EmulatedSwitch.prepare(EmulatedSwitchOptions.builder()
                    .datapathId(DatapathId.of(12)).supportedVersions(Set.of(OFVersion.OF_13)).build());
            List<OFFlowStatsRequest> held = new CopyOnWriteArrayList<>();
            prepared.onMessage(OFType.STATS_REQUEST, request -> {
                if (request instanceof OFFlowStatsRequest flows) {
                    held.add(flows); // answered below, by hand
                    return List.of();
                }
                return prepared.defaultAnswer(request);
            });
            EmulatedSwitch emulator = fixture.connect(prepared);
            fixture.awaitSwitch(emulator);
            await().atMost(Duration.ofSeconds(5)).until(() -> !held.isEmpty());
            OFFlowStatsRequest request = held.get(0);
            assertThat(request.getCookie()).isEqualTo(U64.of(AppCookies.SWITCHBOARD));
            assertThat(request.getCookieMask()).isEqualTo(U64.of(0xFFFF_0000_0000_0000L));

            emulator.sendPacketIn(OFPort.of(1), new byte[64]);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !log.contains("packet hub"));
            assertThat(log).doesNotContain("switch hub");

            emulator.send(emulator.factory().buildFlowStatsReply().setXid(request.getXid()).setEntries(List.of()).build());
            await().atMost(Duration.ofSeconds(5)).until(() -> log.contains("switch hub"));
            emulator.sendPacketIn(OFPort.of(1), new byte[64]);
            await().atMost(Duration.ofSeconds(5)).until(() -> log.contains("packet hub"));
            runtime.close();
        }
    }

    /**
     * An app enabled while the controller runs: refused while a provider it needs is stopped
     * (naming it), otherwise started and reconciled on the switch already served (its plan's
     * flow installed) and told of it once; a provider whose service a running app consumes
     * cannot be disabled; disabling deletes the app's flows and removes its listeners. The change
     * listeners hear of each change that happened (an enabled app before it is told of a switch),
     * and of nothing else.
     */
    @Test
    void appsAreEnabledAndDisabledWhileTheControllerRuns() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        FlowTable table = new FlowTable();
        long hostsCookie = 0x5342_0300_0000_0000L;
        Probe topology = new Probe("topology", log, 100).providing(Topology.class);
        Probe hosts = new Probe("hosts", log, 200, Topology.class) {
            @Override
            public FlowPlan reconcile(OFSwitch sw, List<OFFlowStatsEntry> flows) {
                log.add("reconcile hosts " + flows.size());
                return FlowPlan.sort(flows, flow -> true).adding(List.of(flow(sw.factory(), hostsCookie | 1, 5, 1, 2)));
            }
        }.providing(Hosts.class);
        Probe forwarding = new Probe("forwarding", log, 400, Topology.class, Hosts.class);
        Map<String, SwitchboardApp> available = catalog(topology, hosts, forwarding);
        try (ControllerFixture fixture = new ControllerFixture()) {
            AppRuntime runtime = AppRuntime.start(fixture.controller.switches(), fixture.controller.packetIns(),
                    List.of(topology), name -> AppConfig.empty(name));
            runtime.addChangeListener(() -> log.add("apps changed " + runtime.names()));
            EmulatedSwitch emulator = fixture.connect(EmulatedSwitch.prepare(EmulatedSwitchOptions.builder()
                    .datapathId(DatapathId.of(20)).supportedVersions(Set.of(OFVersion.OF_13)).build()).withFlowTable(table));
            fixture.awaitSwitch(emulator);
            await().atMost(Duration.ofSeconds(5)).until(() -> log.contains("switch topology"));

            assertThatThrownBy(() -> runtime.enable(forwarding, available))
                    .isInstanceOf(dev.switchboard.controller.app.AppConflictException.class)
                    .hasMessageContaining("from app 'hosts', which is not running");
            assertThat(runtime.names()).containsExactly("topology");

            runtime.enable(hosts, available).get(5, TimeUnit.SECONDS);
            assertThat(runtime.names()).containsExactly("topology", "hosts");
            assertThat(log).containsSubsequence("start hosts", "reconcile hosts 0", "switch hosts");
            assertThat(log).containsSubsequence("start hosts", "apps changed [topology, hosts]", "switch hosts");
            assertThat(log.stream().filter("switch hosts"::equals)).hasSize(1);
            assertThat(table.flows()).extracting(fl -> fl.cookie().getValue()).contains(hostsCookie | 1);
            runtime.enable(hosts, available).get(5, TimeUnit.SECONDS); // already running: nothing happens
            assertThat(log.stream().filter("start hosts"::equals)).hasSize(1);
            assertThat(log.stream().filter(line -> line.startsWith("apps changed"))).hasSize(1);

            assertThatThrownBy(() -> runtime.disable("topology"))
                    .isInstanceOf(dev.switchboard.controller.app.AppConflictException.class)
                    .hasMessageContaining("[hosts]");

            runtime.disable("hosts").get(5, TimeUnit.SECONDS);
            assertThat(runtime.names()).containsExactly("topology");
            assertThat(log).containsSubsequence("stop hosts", "apps changed [topology]");
            assertThat(table.flows()).extracting(fl -> fl.cookie().getValue()).doesNotContain(hostsCookie | 1);
            emulator.sendPacketIn(OFPort.of(1), new byte[64]);
            await().atMost(Duration.ofSeconds(5)).until(() -> log.contains("packet topology"));
            assertThat(log).doesNotContain("packet hosts");
            runtime.close();
        }
    }

    @Test
    void onOpenFlow13RemovingFlowsOnStopDeletesByCookieAndMask() {
        try (ControllerFixture fixture = new ControllerFixture()) {
            AppRuntime runtime = AppRuntime.start(fixture.controller.switches(), fixture.controller.packetIns(),
                    AppRuntime.resolve(List.of("forwarding"), catalog(new Probe("forwarding", new ArrayList<>(), 1))),
                    name -> AppConfig.empty(name));
            EmulatedSwitch emulator = fixture.connect(EmulatedSwitchOptions.builder()
                    .datapathId(DatapathId.of(10)).supportedVersions(Set.of(OFVersion.OF_13)).build());
            fixture.awaitSwitch(emulator);
            runtime.closeAndRemoveFlows();
            assertThat(emulator.received(OFFlowDelete.class)).hasSize(1);
            OFFlowDelete delete = emulator.received(OFFlowDelete.class).get(0);
            assertThat(delete.getCookie()).isEqualTo(U64.of(0x5342_0500_0000_0000L));
            assertThat(delete.getCookieMask()).isEqualTo(U64.of(AppCookies.APP_MASK));
        }
    }

    @Test
    void onOpenFlow10RemovingFlowsOnStopDeletesOnlyTheAppsFlowsOneByOne() {
        try (ControllerFixture fixture = new ControllerFixture()) {
            AppRuntime runtime = AppRuntime.start(fixture.controller.switches(), fixture.controller.packetIns(),
                    AppRuntime.resolve(List.of("routing"), catalog(new Probe("routing", new ArrayList<>(), 1))),
                    name -> AppConfig.empty(name));
            EmulatedSwitch emulator = fixture.connect(EmulatedSwitchOptions.builder()
                    .datapathId(DatapathId.of(11)).supportedVersions(Set.of(OFVersion.OF_10)).build());
            fixture.awaitSwitch(emulator);
            await().atMost(Duration.ofSeconds(5)).until(() -> emulator.received(OFFlowStatsRequest.class).size() == 1);
            // after the handshake and the reconciliation's read, whose requests are STATS_REQUESTs too
            AtomicInteger statsRequests = new AtomicInteger();
            emulator.onMessage(OFType.STATS_REQUEST, request -> {
                statsRequests.incrementAndGet();
                OFFactory f = emulator.factory();
                List<OFFlowStatsEntry> entries = List.of(
                        entry(f, 0x5342_0600_0000_0007L, 20, 1),
                        entry(f, 0x5342_0400_0000_0001L, 30, 2),
                        entry(f, 0x5342_0600_0000_0009L, 40, 3));
                return List.of(f.buildFlowStatsReply().setXid(request.getXid()).setEntries(entries).build());
            });
            runtime.closeAndRemoveFlows();
            assertThat(statsRequests).hasValue(1);
            assertThat(emulator.received(OFFlowDeleteStrict.class))
                    .extracting(OFFlowDeleteStrict::getPriority).containsExactly(20, 40);
        }
    }

    private static OFFlowAdd flow(OFFactory f, long cookie, int priority, int inPort, int outPort) {
        List<org.projectfloodlight.openflow.protocol.action.OFAction> out = List.of(f.actions().output(OFPort.of(outPort), 0));
        OFFlowAdd.Builder b = f.buildFlowAdd().setCookie(U64.of(cookie)).setPriority(priority)
                .setMatch(f.buildMatch().setExact(org.projectfloodlight.openflow.protocol.match.MatchField.IN_PORT,
                        OFPort.of(inPort)).build());
        if (f.getVersion() == OFVersion.OF_10) {
            b.setActions(out);
        } else {
            b.setInstructions(List.of(f.instructions().applyActions(out)));
        }
        return b.build();
    }

    private static OFFlowStatsEntry entry(OFFactory f, long cookie, int priority, int inPort) {
        return f.buildFlowStatsEntry().setCookie(U64.of(cookie)).setPriority(priority)
                .setMatch(f.buildMatch().setExact(org.projectfloodlight.openflow.protocol.match.MatchField.IN_PORT,
                        OFPort.of(inPort)).build())
                .setDurationSec(1).setTableId(org.projectfloodlight.openflow.types.TableId.of(0)).build();
    }

    @Test
    void configBindsRecordsWithDurationsAndNamesBadKeys() {
        record Settings(Duration idleTimeout, Integer max, List<String> names) {
        }
        Settings settings = AppConfig.of("apps.x", Map.of("idleTimeout", "30s", "max", 5, "names", List.of("a")))
                .bind(Settings.class);
        assertThat(settings).isEqualTo(new Settings(Duration.ofSeconds(30), 5, List.of("a")));
        assertThat(AppConfig.empty("apps.x").bind(Settings.class)).isEqualTo(new Settings(null, null, null));
        assertThatThrownBy(() -> AppConfig.of("apps.x", Map.of("idle", "30s")).bind(Settings.class))
                .hasMessage("apps.x.idle: unknown key; expected one of idleTimeout, max, names");
        assertThatThrownBy(() -> AppConfig.of("apps.x", Map.of("idleTimeout", "soon")).bind(Settings.class))
                .hasMessage("apps.x.idleTimeout: 'soon' is not a duration like 500ms, 10s, 2m or 1h");
        assertThat(TimeUnit.SECONDS).isNotNull();
    }
}
