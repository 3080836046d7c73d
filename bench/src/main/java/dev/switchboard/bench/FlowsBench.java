package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.controller.Controller;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.hostnet.ExecResult;
import dev.switchboard.ovs.runtime.Commands;
import dev.switchboard.ovs.runtime.PrivateOvs;
import dev.switchboard.rest.RestConfig;
import dev.switchboard.rest.RestServer;
import dev.switchboard.rest.RestSources;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.projectfloodlight.openflow.types.DatapathId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench flows}: N flows into a fresh bridge of a private OVS, two ways, R runs each,
 * alternating which goes first:
 *
 * <ul>
 *   <li>Switchboard: the flow file POSTed to the REST API of a controller in this JVM
 *       ({@code POST /api/v1/switches/{dpid}/flows}: HTTP, parsing, one bundle through
 *       {@code BulkFlowInstaller}), timed from the request to the response;</li>
 *   <li>{@code ovs-ofctl --bundle add-flows} of the same file, timed from start to exit.</li>
 * </ul>
 *
 * Both use OpenFlow 1.4 (or {@code --protocol}) and one atomic bundle, and both are checked
 * afterwards, untimed: the bridge must hold exactly the N flows ({@code ovs-ofctl dump-aggregate}
 * by the file's cookie). The bridges are made afresh for every measurement and deleted after.
 * Run it alone on the machine (under the OVS lock): both ways time {@code ovs-vswitchd}'s commit.
 */
@Command(name = "flows", mixinStandardHelpOptions = true,
        description = "Install N flows into a private OVS bridge through Switchboard's REST API (one bundle) "
                + "and with ovs-ofctl --bundle add-flows; print times, flows/s and the ratio.")
final class FlowsBench implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COOKIE = "0xbe";
    private static final Pattern FLOW_COUNT = Pattern.compile("flow_count=(\\d+)");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration CHECK_TIMEOUT = Duration.ofMinutes(2);

    @Option(names = "--flows", paramLabel = "N", description = "Flows to install (default ${DEFAULT-VALUE}).")
    int flows = 100_000;

    @Option(names = "--runs", paramLabel = "R", description = "Runs of each way; medians are reported (default ${DEFAULT-VALUE}).")
    int runs = 3;

    @Option(names = "--warmup", paramLabel = "W",
            description = "Untimed Switchboard installs first, so the JIT has compiled the path, as in a controller "
                    + "that has been running (default ${DEFAULT-VALUE}).")
    int warmup = 1;

    @Option(names = "--protocol", paramLabel = "OpenFlow14|OpenFlow15",
            description = "The OpenFlow version of both ways (bundles need 1.4+; default ${DEFAULT-VALUE}).")
    String protocol = "OpenFlow14";

    private final PrintStream progress = System.err;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private PrivateOvs ovs;
    private Controller controller;
    private RestServer rest;
    private Path file;
    private String run;
    private int bridges;

    /**
     * One timed install. Switchboard only: {@code install}, the installer's own time (first message
     * to last answer), and {@code commit}, OVS's answer to the COMMIT within it.
     */
    record Sample(Duration total, Optional<Duration> install, Optional<Duration> commit) {
    }

    @Override
    public Integer call() throws IOException {
        if (flows < 1 || flows > 16_000_000 || runs < 1 || warmup < 0 || !protocol.matches("OpenFlow1[45]")) {
            throw new IllegalArgumentException("--flows must be in 1..16000000, --runs at least 1, --warmup at least 0, "
                    + "--protocol OpenFlow14 or OpenFlow15");
        }
        run = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        Path directory = Files.createTempDirectory("switchboard-bench-flows");
        file = directory.resolve("flows.txt");
        Files.writeString(file, flowFile(flows));
        progress.printf("Flow file %s: %d flows, %.1f MB%n", file, flows, Files.size(file) / 1e6);
        List<Sample> ours = new ArrayList<>();
        List<Sample> ofctl = new ArrayList<>();
        try (PrivateOvs privateOvs = PrivateOvs.start()) {
            ovs = privateOvs;
            controller = new Controller(ControllerConfig.builder()
                    .listen(List.of(new InetSocketAddress(ovs.controllerAddress(), 0))).build());
            InetSocketAddress openflow = controller.start().get(0);
            rest = RestServer.start(new RestConfig(true, "127.0.0.1", 0, Optional.empty()),
                    new RestSources(controller.switches(), Optional::empty, Optional::empty, List::of));
            for (int w = 1; w <= warmup; w++) {
                Sample sample = switchboard(openflow);
                progress.printf("warm-up %d/%d  Switchboard %s s%n", w, warmup, Stats.seconds(sample.total()));
            }
            for (int r = 1; r <= runs; r++) {
                // alternate the order, so neither way always meets an OVS the other just loaded
                boolean oursFirst = r % 2 == 1;
                Sample a = oursFirst ? switchboard(openflow) : ovsOfctl();
                Sample b = oursFirst ? ovsOfctl() : switchboard(openflow);
                Sample sb = oursFirst ? a : b;
                Sample of = oursFirst ? b : a;
                ours.add(sb);
                ofctl.add(of);
                progress.printf("run %d/%d  Switchboard %s s (install %s s, OVS commit %s s)  ovs-ofctl %s s%n", r, runs,
                        Stats.seconds(sb.total()), Stats.seconds(sb.install().orElseThrow()),
                        Stats.seconds(sb.commit().orElseThrow()), Stats.seconds(of.total()));
            }
        } finally {
            if (rest != null) {
                rest.close();
            }
            if (controller != null) {
                controller.close();
            }
            Files.deleteIfExists(file);
            Files.deleteIfExists(directory);
        }
        System.out.print(report(ours, ofctl));
        return 0;
    }

    private String report(List<Sample> ours, List<Sample> ofctl) {
        Duration sb = Stats.median(ours.stream().map(Sample::total).toList());
        Duration install = Stats.median(ours.stream().map(s -> s.install().orElseThrow()).toList());
        Duration commit = Stats.median(ours.stream().map(s -> s.commit().orElseThrow()).toList());
        Duration of = Stats.median(ofctl.stream().map(Sample::total).toList());
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%d flows, %s, one bundle each, median of %d runs (%d warm-up):%n",
                flows, protocol, runs, warmup));
        text.append(String.format(Locale.ROOT, "  Switchboard (REST POST)      %8s s  %10.0f flows/s%n", Stats.seconds(sb),
                flows / seconds(sb)));
        text.append(String.format(Locale.ROOT, "    of which before the first message (HTTP, the first batch parsed) %s s; sending the bundle (while the rest is parsed) %s s; OVS's commit %s s%n",
                Stats.seconds(sb.minus(install)), Stats.seconds(install.minus(commit)), Stats.seconds(commit)));
        text.append(String.format(Locale.ROOT, "  ovs-ofctl --bundle add-flows %8s s  %10.0f flows/s%n",
                Stats.seconds(of), flows / seconds(of)));
        text.append(String.format(Locale.ROOT, "  ratio ovs-ofctl / Switchboard: %s (above 1: Switchboard is faster)%n",
                Stats.number(seconds(of) / seconds(sb))));
        return text.toString();
    }

    private Sample switchboard(InetSocketAddress openflow) {
        DatapathId dpid = DatapathId.of(0x5b_0000L + ++bridges);
        String bridge = "sb" + run + "s" + bridges;
        ovs.vsctl("add-br", bridge, "--", "set", "bridge", bridge, "datapath_type=netdev", "protocols=" + protocol,
                "fail_mode=secure", "other-config:datapath-id=" + String.format("%016x", dpid.getLong()),
                "--", "set-controller", bridge, ovs.controllerTarget(openflow.getPort()),
                "--", "set", "controller", bridge, "max_backoff=1000");
        try {
            awaitSwitch(dpid);
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rest.port()
                            + "/api/v1/switches/" + dpid + "/flows"))
                    .timeout(INSTALL_TIMEOUT)
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofFile(file))
                    .build();
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            Duration total = Duration.ofNanos(System.nanoTime() - start);
            JsonNode result = JSON.readTree(response.body());
            if (response.statusCode() != 200 || result.path("installed").asInt() != flows) {
                throw new IllegalStateException("Switchboard's POST answered " + response.statusCode() + ": "
                        + response.body().substring(0, Math.min(500, response.body().length())));
            }
            check(bridge, "Switchboard");
            return new Sample(total, Optional.of(Duration.ofMillis(result.get("millis").asLong())),
                    Optional.of(Duration.ofMillis(result.path("commitMillis").asLong())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            ovs.vsctl("--if-exists", "del-br", bridge);
        }
    }

    private Sample ovsOfctl() {
        String bridge = "sb" + run + "o" + ++bridges;
        ovs.vsctl("add-br", bridge, "--", "set", "bridge", bridge, "datapath_type=netdev", "protocols=" + protocol,
                "fail_mode=secure");
        try {
            long start = System.nanoTime();
            ExecResult result = Commands.run(List.of("ovs-ofctl", "-O", protocol, "--bundle", "add-flows", bridge,
                    file.toString()), ovs.environment(), INSTALL_TIMEOUT);
            Duration total = Duration.ofNanos(System.nanoTime() - start);
            if (!result.succeeded()) {
                throw new IllegalStateException("ovs-ofctl --bundle add-flows failed: " + result);
            }
            check(bridge, "ovs-ofctl");
            return new Sample(total, Optional.empty(), Optional.empty());
        } finally {
            ovs.vsctl("--if-exists", "del-br", bridge);
        }
    }

    private void awaitSwitch(DatapathId dpid) {
        long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
        while (controller.switches().getSwitch(dpid).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("bridge " + dpid + " did not connect within " + CONNECT_TIMEOUT);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** The bridge holds exactly the file's flows: counted by OVS, by the file's cookie. */
    private void check(String bridge, String way) {
        ExecResult result = Commands.run(List.of("ovs-ofctl", "-O", protocol, "dump-aggregate", bridge, "cookie=" + COOKIE + "/-1"),
                ovs.environment(), CHECK_TIMEOUT);
        Matcher count = FLOW_COUNT.matcher(result.stdout());
        if (!result.succeeded() || !count.find() || Long.parseLong(count.group(1)) != flows) {
            throw new IllegalStateException(way + ": bridge " + bridge + " should hold " + flows + " flows: " + result.stdout().strip());
        }
    }

    /** N distinct flows, as a user's file would have them: an IPv4 destination each, a rewrite and an output. */
    static String flowFile(int count) {
        StringBuilder text = new StringBuilder(count * 90);
        for (int i = 0; i < count; i++) {
            text.append("cookie=").append(COOKIE).append(",priority=10,ip,nw_dst=10.").append(i >> 16 & 0xff).append('.')
                    .append(i >> 8 & 0xff).append('.').append(i & 0xff)
                    .append(",actions=mod_dl_dst:00:00:00:00:00:01,output:").append(1 + i % 4).append('\n');
        }
        return text.toString();
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
