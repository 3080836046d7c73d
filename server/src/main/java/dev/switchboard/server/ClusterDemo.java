package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.switchboard.hostnet.HostNetwork;
import dev.switchboard.lab.run.LabRunner;
import dev.switchboard.lab.run.LabState;
import dev.switchboard.lab.run.PingReport;
import dev.switchboard.lab.spec.LabSpec;
import dev.switchboard.lab.spec.LabSpecs;
import dev.switchboard.lab.spec.OvsSwitch;
import dev.switchboard.lab.spec.Switch;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code switchboard demo examples/cluster}: an example whose {@code controller.yaml} has a {@code cluster:}
 * section is a controller cluster. It starts a three-server ZooKeeper ensemble on 127.0.0.1
 * ({@link LoopbackEnsemble}), three Switchboard processes from that config (each its own node id and ports),
 * brings up the example's {@code lab.yaml} with every OVS bridge connected to all three, and shows who masters
 * which bridge, by OVS's Controller table and by each instance's {@code /api/v1/cluster}. It pings across, kills
 * one master with SIGKILL, shows how long until its bridges have a new master and that the pings work again, and
 * removes it all (at once with {@code --once}, else on Ctrl-C).
 */
final class ClusterDemo {
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final int ENSEMBLE_SIZE = 3;
    private static final List<String> NODE_IDS = List.of("n1", "n2", "n3");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One Switchboard instance: its node id, ports, process and log. */
    private record Member(String id, int openflowPort, int restPort, Process process, Path log) {
        String restUrl(String path) {
            return "http://127.0.0.1:" + restPort + "/api/v1" + path;
        }
    }

    private final PrintStream out;
    private final Path example;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    ClusterDemo(PrintStream out, Path example) {
        this.out = out;
        this.example = example;
    }

    /** Whether {@code example} is a directory whose {@code controller.yaml} has a {@code cluster:} section. */
    static boolean isClusterExample(Path example) {
        Path config = example == null ? null : example.resolve("controller.yaml");
        return config != null && Files.isRegularFile(config) && SwitchboardConfig.load(config).cluster() != null;
    }

    int run(boolean once) throws Exception {
        Path configFile = example.resolve("controller.yaml");
        SwitchboardConfig config = SwitchboardConfig.load(configFile); // checked as a whole before anything starts
        Duration session = config.clusterConfig().orElseThrow().sessionTimeout();
        Path labFile = example.resolve("lab.yaml");
        if (!Files.isReadable(labFile)) {
            throw new UserFacingException("cannot read " + labFile + " (a cluster example needs lab.yaml beside controller.yaml)");
        }
        String labSource = LabSpecs.read(labFile);
        LabSpec lab = LabRunner.specOf(labSource, labFile.toString(), null, null);
        List<String> switchNames = lab.switches().stream().filter(OvsSwitch.class::isInstance).map(Switch::name).toList();
        if (switchNames.isEmpty()) {
            throw new UserFacingException(labFile + ": the cluster demo needs OVS switches in its lab");
        }
        Path dir = Files.createTempDirectory("switchboard-cluster-demo");
        LabRunner runner = new LabRunner(new HostNetwork(), out);
        Teardown teardown = new Teardown(runner, dir);
        Thread hook = new Thread(teardown::run, "cluster-demo-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            out.println("=== ZooKeeper: an ensemble of " + ENSEMBLE_SIZE + " servers on 127.0.0.1 (switchboard zookeeper)");
            LoopbackEnsemble ensemble = LoopbackEnsemble.start(ENSEMBLE_SIZE, java("-Xmx128m"), dir);
            teardown.ensemble = ensemble;
            List<String> modes = ensemble.awaitServing();
            for (LoopbackEnsemble.Server server : ensemble.servers()) {
                out.println("  zk" + server.id() + ": 127.0.0.1:" + server.clientPort() + ", " + modes.get(server.id() - 1));
            }

            Optional<InetAddress> ovsSide = runner.extraControllerAddress();
            teardown.ovsMayRun = true;
            out.println();
            out.println("=== Switchboard: " + NODE_IDS.size() + " instances, ZooKeeper session timeout "
                    + session.toMillis() + " ms (apps: " + String.join(", ", config.apps().keySet()) + ")");
            Map<String, Object> template = YAML.readValue(configFile.toFile(), YAML.getTypeFactory()
                    .constructMapType(LinkedHashMap.class, String.class, Object.class));
            for (String id : NODE_IDS) {
                teardown.members.add(startMember(id, template, ensemble.connectString(), ovsSide, dir));
            }
            List<Member> members = List.copyOf(teardown.members);
            awaitMembers(members);
            for (Member member : members) {
                out.println("  " + member.id() + ": OpenFlow port " + member.openflowPort() + ", REST "
                        + member.restUrl("/cluster") + " (pid " + member.process().pid() + ")");
            }

            out.println();
            String firstController = "tcp:127.0.0.1:" + members.get(0).openflowPort();
            LabSpec spec = lab.withController(firstController);
            out.println("=== lab " + spec.name() + ": " + switchNames.size() + " OVS bridges, " + spec.hosts().size()
                    + " hosts; every bridge connected to all " + members.size() + " instances");
            teardown.lab = spec.name();
            runner.up(spec, labSource, firstController);
            String db = LabState.read(spec.name()).map(s -> s.contents().ovsDb())
                    .orElseThrow(() -> new UserFacingException("lab " + spec.name() + " came up without an OVS"));
            List<String> bridges = switchNames.stream().map(name -> spec.names().bridge(name)).toList();
            for (String bridge : bridges) {
                String first = OvsControllerRoles.firstTarget(db, bridge);
                String host = first.substring(0, first.lastIndexOf(':')); // tcp:ADDRESS, as OVS reaches the instances
                List<String> targets = members.stream().map(m -> host + ":" + m.openflowPort()).toList();
                OvsControllerRoles.setControllers(db, bridge, targets);
                out.println("  ovs-vsctl set-controller " + bridge + " " + String.join(" ", targets));
            }

            out.println();
            out.println("=== Mastership: one master per bridge, elected through ZooKeeper");
            Map<String, Member> masters = awaitAgreement(db, bridges, members);
            printMastership(db, bridges, members, masters);
            out.println();
            out.println("=== Pings with every instance up");
            PingReport before = runner.ping(spec.name());

            Member victim = masters.get(bridges.get(0));
            List<String> victimBridges = bridges.stream().filter(b -> masters.get(b) == victim).toList();
            List<Member> survivors = members.stream().filter(m -> m != victim).toList();
            out.println();
            out.println("=== Killing " + victim.id() + " (kill -9 " + victim.process().pid() + "), master of "
                    + String.join(", ", victimBridges));
            BackgroundPing ping = BackgroundPing.start(spec, dir.resolve("ping.log"));
            teardown.ping = ping;
            Thread.sleep(1000); // answered pings before the kill, to measure the gap against
            Instant killed = Instant.now();
            victim.process().destroyForcibly(); // SIGKILL: no goodbye to ZooKeeper, its session has to expire
            victim.process().waitFor(10, TimeUnit.SECONDS);
            Duration byZooKeeper = awaitRestMasters(survivors.get(0), datapathIds(db, victimBridges).values(), survivors, killed);
            Map<String, Member> takenOver = awaitMasters(db, victimBridges, survivors);
            Duration byOvs = Duration.between(killed, Instant.now());
            for (String bridge : victimBridges) {
                out.println("  takeover: " + bridge + " mastered by " + takenOver.get(bridge).id() + " (was " + victim.id() + "): "
                        + byZooKeeper.toMillis() + " ms after the kill by " + survivors.get(0).id() + "'s /api/v1/cluster, "
                        + byOvs.toMillis() + " ms by OVS's Controller table (session timeout " + session.toMillis() + " ms)");
            }
            Map<String, Member> after = awaitAgreement(db, bridges, survivors);
            for (String bridge : bridges) {
                if (!victimBridges.contains(bridge) && after.get(bridge) != masters.get(bridge)) {
                    out.println("  rebalanced: " + bridge + " from " + masters.get(bridge).id() + " to " + after.get(bridge).id()
                            + " (the cluster spreads the switches evenly over the live instances)");
                }
            }
            printMastership(db, bridges, survivors, after);
            out.println();
            out.println("=== Pings after the takeover");
            if (!ping.awaitSteady(Duration.ofSeconds(2), PATIENCE)) {
                out.println("  the pings " + ping.description() + " did not come back steadily within " + PATIENCE.toSeconds() + " s");
            }
            PingReport afterKill = runner.ping(spec.name());
            out.println("  " + ping.stopAndSummarize(killed));

            boolean passed = !before.failed() && !afterKill.failed();
            out.println();
            out.println("Look for yourself (while the demo runs):");
            for (Member member : survivors) {
                out.println("  curl -s " + member.restUrl("/cluster") + "    # members, and each switch's master");
                out.println("  curl -s " + member.restUrl("/switches") + "   # this instance's role per switch");
            }
            out.println("  ovs-vsctl --db=" + db + " --columns=target,role,is_connected list controller");
            out.println("  ./switchboard lab ping " + spec.name());
            out.println("  instances' and ZooKeeper's logs: " + dir);
            if (once) {
                out.println(passed ? "Cluster demo check passed; tearing down." : "Cluster demo check FAILED; tearing down.");
                teardown.keepLogs = !passed;
                return passed ? 0 : 1;
            }
            out.println();
            out.println("Press Ctrl-C to stop; the instances, the ZooKeeper servers and the lab are removed then.");
            new CountDownLatch(1).await();
            return 0;
        } catch (Exception | Error e) {
            teardown.keepLogs = true;
            throw e;
        } finally {
            teardown.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs or ran: teardown is idempotent
            }
        }
    }

    /** The command line that runs Switchboard's main class in a JVM like this one, with {@code options}. */
    private static List<String> java(String... options) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of(options));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        return command;
    }

    /** Starts {@code switchboard controller} with the example's config, made this member's. */
    private Member startMember(String id, Map<String, Object> template, String connect, Optional<InetAddress> ovsSide, Path dir)
            throws IOException {
        int openflowPort = FreePorts.loopback();
        int restPort = FreePorts.loopback();
        Map<String, Object> config = new LinkedHashMap<>(template);
        List<String> listen = new ArrayList<>(List.of("127.0.0.1:" + openflowPort));
        ovsSide.ifPresent(address -> listen.add(address.getHostAddress() + ":" + openflowPort));
        config.put("openflow", merged(template.get("openflow"), Map.of("listen", listen)));
        config.put("rest", merged(template.get("rest"), Map.of("port", restPort)));
        config.put("cluster", merged(template.get("cluster"), Map.of("connect", connect, "nodeId", id)));
        Path file = dir.resolve(id + ".yaml");
        YAML.writeValue(file.toFile(), config);
        Path log = dir.resolve(id + ".log");
        List<String> command = new ArrayList<>(java("-Xmx256m"));
        command.addAll(List.of("controller", "--config", file.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Member(id, openflowPort, restPort, process, log);
    }

    private static Map<String, Object> merged(Object section, Map<String, Object> values) {
        Map<String, Object> result = new LinkedHashMap<>();
        if (section instanceof Map<?, ?> map) {
            map.forEach((key, value) -> result.put(String.valueOf(key), value));
        }
        result.putAll(values);
        return result;
    }

    /** Waits until every member's REST API shows all of them as members, in touch with ZooKeeper. */
    private void awaitMembers(List<Member> members) throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        List<String> ids = members.stream().map(Member::id).toList();
        for (Member member : members) {
            while (true) {
                Optional<JsonNode> cluster = get(member, "/cluster");
                if (cluster.isPresent() && cluster.get().path("connected").asBoolean()
                        && ids.equals(textList(cluster.get().path("members")))) {
                    break;
                }
                failIfDead(member);
                if (Instant.now().isAfter(deadline)) {
                    throw new UserFacingException("instance " + member.id() + " did not see all of " + ids
                            + " in the cluster within " + PATIENCE.toSeconds() + " s (" + member.restUrl("/cluster") + ": "
                            + cluster.map(JsonNode::toString).orElse("no answer") + "); its log: " + member.log());
                }
                Thread.sleep(200);
            }
        }
    }

    private static void failIfDead(Member member) {
        if (!member.process().isAlive()) {
            throw new UserFacingException("instance " + member.id() + " exited (status " + member.process().exitValue()
                    + "); its log: " + member.log());
        }
    }

    /** Polls OVS until every bridge has one master among {@code members} and every other of them is slave. */
    private Map<String, Member> awaitMasters(String db, List<String> bridges, List<Member> members) throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (true) {
            Map<String, Map<String, String>> roles = OvsControllerRoles.read(db, bridges);
            Map<String, Member> masters = new LinkedHashMap<>();
            for (String bridge : bridges) {
                soleMaster(roles.get(bridge), members).ifPresent(master -> masters.put(bridge, master));
            }
            if (masters.size() == bridges.size()) {
                return masters;
            }
            members.forEach(ClusterDemo::failIfDead);
            if (Instant.now().isAfter(deadline)) {
                throw new UserFacingException("not every bridge had one master among " + members.stream().map(Member::id).toList()
                        + " by OVS within " + PATIENCE.toSeconds() + " s; OVS shows " + roles);
            }
            Thread.sleep(100);
        }
    }

    /**
     * Polls {@code member}'s {@code /api/v1/cluster} until each of {@code dpids} has one of {@code members} as master;
     * the time since {@code since} then. OVS writes the role it gave a controller into its Controller table a little
     * later, so this is the earlier, ZooKeeper's, view of the takeover.
     */
    private Duration awaitRestMasters(Member member, java.util.Collection<String> dpids, List<Member> members, Instant since)
            throws InterruptedException {
        List<String> ids = members.stream().map(Member::id).toList();
        Instant deadline = Instant.now().plus(PATIENCE);
        while (true) {
            Map<String, String> masters = restMasters(member);
            if (dpids.stream().allMatch(dpid -> ids.contains(masters.get(dpid)))) {
                return Duration.between(since, Instant.now());
            }
            failIfDead(member);
            if (Instant.now().isAfter(deadline)) {
                throw new UserFacingException(member.id() + "'s " + member.restUrl("/cluster") + " named no master among " + ids
                        + " for " + dpids + " within " + PATIENCE.toSeconds() + " s: " + masters);
            }
            Thread.sleep(50);
        }
    }

    /** The one member whose target OVS shows as master while it shows every other as slave. */
    private static Optional<Member> soleMaster(Map<String, String> rolesByTarget, List<Member> members) {
        Member master = null;
        for (Member member : members) {
            String role = roleOf(rolesByTarget, member);
            if ("master".equals(role)) {
                if (master != null) {
                    return Optional.empty();
                }
                master = member;
            } else if (!"slave".equals(role)) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(master);
    }

    /** The role OVS gives the member (targets differ only in their port), null when it is not connected. */
    private static String roleOf(Map<String, String> rolesByTarget, Member member) {
        String suffix = ":" + member.openflowPort();
        return rolesByTarget.entrySet().stream().filter(e -> e.getKey().endsWith(suffix)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    /**
     * Waits until OVS shows one master per bridge among {@code members} and every member's {@code /api/v1/cluster}
     * names that master; the masters then. Read afresh each time: a rebalance may move a bridge meanwhile.
     */
    private Map<String, Member> awaitAgreement(String db, List<String> bridges, List<Member> members) throws InterruptedException {
        Map<String, String> dpids = datapathIds(db, bridges);
        Instant deadline = Instant.now().plus(PATIENCE);
        while (true) {
            Map<String, Member> masters = awaitMasters(db, bridges, members);
            Map<String, Map<String, String>> rest = new LinkedHashMap<>();
            members.forEach(m -> rest.put(m.id(), restMasters(m)));
            boolean agrees = rest.values().stream().allMatch(seen ->
                    bridges.stream().allMatch(b -> masters.get(b).id().equals(seen.get(dpids.get(b)))));
            if (agrees) {
                return masters;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new UserFacingException("the instances' /api/v1/cluster show masters " + rest + " (by datapath), OVS shows "
                        + masters.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().id()).toList());
            }
            Thread.sleep(100);
        }
    }

    private void printMastership(String db, List<String> bridges, List<Member> members, Map<String, Member> masters) {
        Map<String, String> dpids = datapathIds(db, bridges);
        Map<String, Map<String, String>> roles = OvsControllerRoles.read(db, bridges);
        Map<Member, Map<String, String>> rest = new LinkedHashMap<>();
        members.forEach(m -> rest.put(m, restMasters(m)));
        out.printf("  %-8s %-17s %-14s %-30s %s%n", "bridge", "datapath", "master by OVS", "roles by OVS (Controller table)",
                "master by /api/v1/cluster of " + String.join(", ", members.stream().map(Member::id).toList()));
        for (String bridge : bridges) {
            List<String> roleText = members.stream().map(m -> m.id() + " " + roleOf(roles.get(bridge), m)).toList();
            List<String> restText = rest.values().stream().map(r -> r.getOrDefault(dpids.get(bridge), "-")).toList();
            out.printf("  %-8s %-17s %-14s %-30s %s%n", bridge, dpids.get(bridge), masters.get(bridge).id(),
                    String.join(", ", roleText), String.join(", ", restText));
        }
    }

    /** Each bridge's datapath id as OVS shows it, 16 hex digits. */
    private static Map<String, String> datapathIds(String db, List<String> bridges) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (String bridge : bridges) {
            String id = dev.switchboard.ovs.runtime.Commands.run(Duration.ofSeconds(10), "ovs-vsctl", "--db=" + db, "get", "bridge",
                    bridge, "datapath_id").stdout().strip().replace("\"", "");
            ids.put(bridge, id);
        }
        return ids;
    }

    /** The member's {@code /api/v1/cluster} masters: datapath id (16 hex digits, as OVS writes it) to node id. */
    private Map<String, String> restMasters(Member member) {
        Map<String, String> masters = new LinkedHashMap<>();
        get(member, "/cluster").ifPresent(cluster -> cluster.path("masters").forEach(entry ->
                masters.put(entry.path("dpid").asText().replace(":", "").toLowerCase(java.util.Locale.ROOT),
                        entry.path("master").asText())));
        return masters;
    }

    private Optional<JsonNode> get(Member member, String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(member.restUrl(path)))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // not up yet, or killed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static List<String> textList(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    /** Stops what the demo started, once: from the finally block or the Ctrl-C hook. */
    private final class Teardown {
        private final LabRunner runner;
        private final Path dir;
        final List<Member> members = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile LoopbackEnsemble ensemble;
        volatile BackgroundPing ping;
        volatile String lab;
        volatile boolean ovsMayRun;
        volatile boolean keepLogs;
        private boolean done;

        Teardown(LabRunner runner, Path dir) {
            this.runner = runner;
            this.dir = dir;
        }

        synchronized void run() {
            if (done) {
                return;
            }
            done = true;
            if (ping != null) {
                ping.stop();
            }
            members.forEach(m -> m.process().destroy());
            for (Member member : members) {
                try {
                    if (!member.process().waitFor(15, TimeUnit.SECONDS)) {
                        member.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    member.process().destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
            if (lab != null) {
                try {
                    runner.down(lab);
                } catch (RuntimeException e) {
                    System.err.println("switchboard: taking lab " + lab + " down failed: " + e.getMessage());
                }
            }
            if (ovsMayRun) {
                try {
                    runner.stopUnusedOvs();
                } catch (RuntimeException e) {
                    System.err.println("switchboard: stopping the labs' private OVS failed: " + e.getMessage());
                }
            }
            if (ensemble != null) {
                ensemble.close();
            }
            if (keepLogs) {
                System.err.println("switchboard: the instances' and ZooKeeper's logs are kept in " + dir);
            } else {
                deleteTree(dir);
            }
        }

        private static void deleteTree(Path root) {
            try (var paths = Files.walk(root)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                System.err.println("switchboard: could not remove " + root + ": " + e.getMessage());
            }
        }
    }
}
