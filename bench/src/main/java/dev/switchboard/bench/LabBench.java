package dev.switchboard.bench;

import static dev.switchboard.bench.SharedMachine.since;

import dev.switchboard.bench.LabReport.Sample;
import dev.switchboard.bench.LabReport.Tool;
import dev.switchboard.bench.LabReport.Topo;
import dev.switchboard.lab.run.LabRunner;
import dev.switchboard.lab.spec.LabSpec;
import dev.switchboard.lab.spec.NodeRole;
import dev.switchboard.lab.spec.OvsSwitch;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench lab}: brings Mininet topologies up and tears them down again, with Switchboard's
 * labs ({@link LabRunner}, in this process) and with Mininet ({@code mn --test none}), R runs
 * each, interleaved (lab, mn, lab, mn…) so that drift hits both, and prints the medians.
 *
 * <p>What is timed, and why it is fair:
 * <ul>
 *   <li>Neither side's time includes starting or stopping OVS. Mininet needs an OVS that runs; it
 *       gets a {@link PrivateOvs} of its own, started before and stopped after {@code mn}. A lab
 *       uses the labs' shared private OVS, which its first lab starts and its last lab's
 *       {@code down} stops: so around the timed lab a one-host lab ({@code bkeep}) is brought
 *       up first and down last, keeping that OVS running through the timed {@code up} and
 *       {@code down}. Both starts and stops are measured and reported apart.</li>
 *   <li>Only one userspace {@code ovs-vswitchd} can run on a host, so the sides run one after the
 *       other, each stopping its OVS before the other starts; before each start the benchmark
 *       waits (up to {@code --wait}) while another {@code ovs-vswitchd} runs.</li>
 *   <li>Each side is checked after up and after down, outside the timed part, with {@code ip} and
 *       {@code ovs-vsctl} (not with Switchboard's code): one network namespace per host, every
 *       switch port and bridge in OVS with an OpenFlow port number; afterwards none of it. A side
 *       that skipped work fails the benchmark instead of looking fast.</li>
 *   <li>The labs' state goes to a fresh directory ({@code --labs-dir}), so the benchmark neither
 *       sees nor disturbs anyone's labs, and the labs' private OVS is its own.</li>
 * </ul>
 *
 * <p>This class runs the measurements and reports them; {@link LabSide} and {@link MininetSide}
 * are the two sides, {@link SharedMachine} the machine they share with others.
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Bring Mininet topologies up and down with Switchboard's labs and with Mininet (mn), "
                + "interleaved, and compare the medians and the time per host (total, and up alone).")
final class LabBench implements Callable<Integer> {
    static final List<String> DEFAULT_TOPOS = List.of("tree,2,4", "tree,2,8", "tree,3,6");
    /** How often one measurement is tried when another OVS broke it. */
    private static final int MAX_ATTEMPTS = 3;

    @Option(names = "--topo", paramLabel = "TOPO",
            description = "A topology as mn --topo takes it (tree,2,8); repeat the option for more. "
                    + "Default: tree,2,4 tree,2,8 tree,3,6.")
    List<String> topos;

    @Option(names = "--runs", paramLabel = "R", description = "Runs of each side per topology; medians are reported "
            + "(default ${DEFAULT-VALUE}).")
    int runs = 3;

    @Option(names = "--markdown", description = "Also print the results as Markdown tables.")
    boolean markdown;

    @Option(names = "--labs-dir", paramLabel = "DIR",
            description = "State directory of the benchmark's labs (default: a fresh directory under /tmp, removed at "
                    + "the end); -Dswitchboard.labs is ignored.")
    Path labsDir;

    @Option(names = "--wait", paramLabel = "MINUTES",
            description = "How long to wait, before each start of an OVS, while another ovs-vswitchd runs on this "
                    + "host (default ${DEFAULT-VALUE}).")
    int waitMinutes = 10;

    /** A topology to measure: its size and spec, and how many OVS interfaces it makes. */
    record Planned(Topo topo, LabSpec spec, int interfaces) {
    }

    private final PrintStream progress = System.err;
    private final List<Sample> samples = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        List<String> names = topos == null || topos.isEmpty() ? DEFAULT_TOPOS : List.copyOf(topos);
        if (runs < 1 || waitMinutes < 0) {
            throw new IllegalArgumentException("--runs must be at least 1 and --wait at least 0");
        }
        if (names.stream().distinct().count() < names.size()) {
            throw new IllegalArgumentException("a topology is given twice: " + names);
        }
        List<Planned> planned = names.stream().map(LabBench::plan).toList();
        if (planned.stream().map(p -> p.topo().hosts()).distinct().count() < planned.size()) {
            throw new IllegalArgumentException("the topologies must differ in their number of hosts (to judge growth): "
                    + planned.stream().map(Planned::topo).toList());
        }
        Path dir = labsDir != null ? labsDir.toAbsolutePath().normalize()
                : Files.createTempDirectory(Path.of("/tmp"), "sblab");
        System.setProperty("switchboard.labs", dir.toString());
        SharedMachine machine = new SharedMachine(progress, waitMinutes);
        LabSide labs = new LabSide(progress, machine);
        MininetSide mininet = new MininetSide(progress, machine);
        labs.checkNoLeftovers();
        Thread cleanUp = new Thread(() -> {
            labs.downIfActive();
            if (labsDir == null) {
                labs.deleteIfNoLabs(dir);
            }
        }, "bench-lab-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanUp);
        progress.println("Labs' state and private OVS in " + dir + "; " + runs + " runs of " + names);
        long started = System.nanoTime();
        try {
            for (int r = 1; r <= runs; r++) {
                for (Planned p : planned) {
                    measure(p, r, Tool.SWITCHBOARD, machine, () -> labs.measure(p));
                    measure(p, r, Tool.MININET, machine, () -> mininet.measure(p));
                }
            }
        } finally {
            Runtime.getRuntime().removeShutdownHook(cleanUp);
            if (labsDir == null) {
                labs.deleteIfNoLabs(dir);
            }
        }
        Duration took = since(started);
        LabReport report = LabReport.of(planned.stream().map(Planned::topo).toList(), samples,
                Stream.concat(labs.ovsSamples().stream(), mininet.ovsSamples().stream()).toList());
        System.out.print(report.text());
        System.out.print(notes(took, machine, mininet.startups()));
        if (markdown) {
            System.out.println();
            System.out.print(report.markdown());
        }
        return 0;
    }

    private static Planned plan(String topo) {
        LabSpec spec = LabRunner.specOf("topo:" + topo, LabSide.LAB, null);
        if (!spec.switches().stream().allMatch(OvsSwitch.class::isInstance)) {
            throw new IllegalArgumentException("topology " + topo + " has switches other than OVS");
        }
        int switchPorts = (int) spec.wiring().stream().flatMap(w -> Stream.of(w.a(), w.b()))
                .filter(port -> port.role() == NodeRole.SWITCH).count();
        return new Planned(new Topo(topo, spec.hosts().size(), spec.switches().size()), spec,
                spec.switches().size() + switchPorts);
    }

    /** One sample of one side, measured again (up to {@value #MAX_ATTEMPTS} times) when another OVS broke it. */
    private void measure(Planned p, int run, Tool tool, SharedMachine machine, Supplier<Sample> side) {
        SharedMachine.Watch watch = machine.watch();
        Sample sample = null;
        for (int attempt = 1; sample == null; attempt++) {
            try {
                sample = side.get();
            } catch (SharedMachine.Interfered e) {
                if (attempt == MAX_ATTEMPTS) {
                    throw new IllegalStateException(e.getMessage() + "; gave up after " + MAX_ATTEMPTS + " attempts", e);
                }
                machine.interfered(e.getMessage());
                progress.println("Discarded, measuring again: " + e.getMessage());
            }
        }
        String pressure = watch.end();
        samples.add(sample);
        progress.printf(Locale.ROOT, "run %d/%d %-10s %-11s up %s s, down %s s, total %s s%s%n", run, runs,
                p.topo().name(), tool.label, Stats.seconds(sample.up()), Stats.seconds(sample.down()),
                Stats.seconds(sample.up().plus(sample.down())), pressure);
    }

    private static String notes(Duration took, SharedMachine machine, List<Duration> mininetStartups) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "The benchmark took %.0f s.", took.toMillis() / 1e3));
        lines.addAll(machine.notes());
        if (!mininetStartups.isEmpty()) {
            lines.add("mn's startup (process start to its first line: Python and Mininet's imports; part of Mininet's up): "
                    + "median " + Stats.seconds(Stats.median(mininetStartups)) + " s.");
        }
        return String.join("\n", lines) + "\n";
    }
}
