package dev.switchboard.bench.openflow;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.projectfloodlight.openflow.protocol.OFVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./switchboard bench openflow}: the cbench-like load generator against any controller. */
@Command(name = "openflow", mixinStandardHelpOptions = true,
        description = {
            "cbench-like OpenFlow load: emulated switches send PACKET_INs to a controller and count its answers.",
            "Counts FLOW_MOD + PACKET_OUT messages per second (cbench's figure) and packet-ins answered per second"
                    + " (each packet-in once, by its buffer id or the frame a NO_BUFFER PACKET_OUT carries back)."
        })
public final class OpenFlowBench implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--controller", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:6653",
            description = "The controller to load (default: ${DEFAULT-VALUE}).")
    private String controller;

    @Option(names = "--switches", defaultValue = "16", description = "Emulated switches (default: ${DEFAULT-VALUE}).")
    private int switches;

    @Option(names = "--macs", defaultValue = "1000",
            description = "Hosts (source MACs) per switch (default: ${DEFAULT-VALUE}).")
    private int macs;

    @Option(names = "--ports", defaultValue = "16",
            description = "Ports per switch the hosts are spread over (default: ${DEFAULT-VALUE}).")
    private int ports;

    @Option(names = "--mode", defaultValue = "throughput",
            description = "throughput (--outstanding packet-ins per switch) or latency (one at a time)"
                    + " (default: ${DEFAULT-VALUE}).")
    private String mode;

    @Option(names = "--outstanding", defaultValue = "256",
            description = "Throughput mode: packet-ins in flight per switch at most (default: ${DEFAULT-VALUE}).")
    private int outstanding;

    @Option(names = "--seconds", defaultValue = "1",
            description = "Length of each loop, like cbench's -m (default: ${DEFAULT-VALUE}).")
    private double seconds;

    @Option(names = "--loops", defaultValue = "10", description = "Loops that count (default: ${DEFAULT-VALUE}).")
    private int loops;

    @Option(names = "--warmup", defaultValue = "1",
            description = "Loops run first and not counted (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--version", defaultValue = "1.0", description = "OpenFlow 1.0 or 1.3 (default: ${DEFAULT-VALUE}).")
    private String version;

    @Option(names = "--timeout-ms", defaultValue = "5000",
            description = "An unanswered packet-in is given up after this (default: ${DEFAULT-VALUE}).")
    private long timeoutMillis;

    @Option(names = "--threads", defaultValue = "1",
            description = "Event loop threads of the generator (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--connect-timeout", defaultValue = "30",
            description = "Seconds the handshake of all switches may take (default: ${DEFAULT-VALUE}).")
    private int connectTimeoutSeconds;

    @Option(names = "--learn-timeout", defaultValue = "20",
            description = "Seconds the learning phase may take (default: ${DEFAULT-VALUE}).")
    private int learnTimeoutSeconds;

    @Option(names = "--hold-seconds", defaultValue = "0",
            description = "Keep the switches connected, idle, this long after the last loop (default: ${DEFAULT-VALUE}).")
    private double holdSeconds;

    @Override
    public Integer call() throws InterruptedException {
        LoadOptions options = new LoadOptions(
                address(controller), switches, macs, ports, mode(mode), outstanding,
                Duration.ofNanos((long) (seconds * 1e9)), loops, warmup, version(version),
                Duration.ofMillis(timeoutMillis), threads, Duration.ofSeconds(connectTimeoutSeconds),
                Duration.ofSeconds(learnTimeoutSeconds));
        PrintWriter out = spec.commandLine().getOut();
        LoadGenerator.Result result = new LoadGenerator(options, line -> {
            out.println(line);
            out.flush();
        }).holdAfterLoops(Duration.ofNanos((long) (holdSeconds * 1e9))).run();
        Report.closing(result).forEach(out::println);
        out.flush();
        return 0;
    }

    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--controller must be HOST:PORT: " + hostPort);
        }
        String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
        return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
    }

    static LoadOptions.Mode mode(String name) {
        return switch (name) {
            case "throughput" -> LoadOptions.Mode.THROUGHPUT;
            case "latency" -> LoadOptions.Mode.LATENCY;
            default -> throw new IllegalArgumentException("--mode must be throughput or latency: " + name);
        };
    }

    static OFVersion version(String name) {
        return switch (name) {
            case "1.0" -> OFVersion.OF_10;
            case "1.3" -> OFVersion.OF_13;
            default -> throw new IllegalArgumentException("--version must be 1.0 or 1.3: " + name);
        };
    }
}
