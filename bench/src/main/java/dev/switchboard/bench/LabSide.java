package dev.switchboard.bench;

import static dev.switchboard.bench.SharedMachine.run;
import static dev.switchboard.bench.SharedMachine.since;

import dev.switchboard.bench.LabBench.Planned;
import dev.switchboard.bench.LabReport.OvsSample;
import dev.switchboard.bench.LabReport.Sample;
import dev.switchboard.bench.LabReport.Tool;
import dev.switchboard.bench.SharedMachine.Timed;
import dev.switchboard.hostnet.HostNetwork;
import dev.switchboard.lab.run.LabRunner;
import dev.switchboard.lab.run.LabState;
import dev.switchboard.lab.spec.LabNames;
import dev.switchboard.lab.spec.LabSpec;
import dev.switchboard.ovs.runtime.PrivateOvs;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Switchboard's side of {@code bench lab}: labs brought up and down by {@link LabRunner} in this
 * process, with their state (and the labs' private OVS) in a directory of the benchmark's own.
 * The labs' shared private OVS is started by the first lab and stopped by the last one's
 * {@code down}; so around the timed lab a one-host lab ({@value #KEEPER}) is brought up first
 * and down last, keeping that OVS running through the timed {@code up} and {@code down}, and
 * the OVS's start and stop are measured apart. The lab is checked after up and after down,
 * outside the timed part, with {@code ip} and {@code ovs-vsctl}.
 */
final class LabSide {
    /** The timed lab. */
    static final String LAB = "bench";
    /** The small lab that keeps the labs' private OVS running around the timed one. */
    private static final String KEEPER = "bkeep";
    private static final String KEEPER_TOPO = "single,1";

    private final PrintStream progress;
    private final SharedMachine machine;
    private final TimedLines labLines;
    private final LabRunner runner;
    private final LabSpec keeperSpec;
    private final List<OvsSample> ovsSamples = new ArrayList<>();
    /** Whether the labs may be up (between the keeper's up and its down); read by the shutdown hook. */
    private volatile boolean labActive;

    /** Labs whose state is in {@code switchboard.labs}, which the caller has set. */
    LabSide(PrintStream progress, SharedMachine machine) {
        this.progress = progress;
        this.machine = machine;
        this.labLines = new TimedLines(progress);
        this.runner = new LabRunner(new HostNetwork(), new PrintStream(labLines, true, StandardCharsets.UTF_8));
        this.keeperSpec = LabRunner.specOf("topo:" + KEEPER_TOPO, KEEPER, null);
    }

    /** The starts and stops of the labs' private OVS so far. */
    List<OvsSample> ovsSamples() {
        return List.copyOf(ovsSamples);
    }

    /** Keeper lab up (starts the labs' OVS), timed lab up and down with checks, keeper down (stops it). */
    Sample measure(Planned p) {
        labLines.restart();
        labActive = true;
        Timed<Void> keeperUp = machine.startWhenFree("the labs' private OVS", () -> {
            runner.up(keeperSpec, "topo:" + KEEPER_TOPO, null);
            return null;
        });
        Duration up;
        Duration down;
        try {
            expectLab(p, false);
            labLines.restart();
            long start = System.nanoTime();
            runner.up(p.spec(), "topo:" + p.topo().name(), null);
            up = since(start);
            expectLab(p, true);
            labLines.restart();
            start = System.nanoTime();
            if (!runner.down(LAB)) {
                throw new IllegalStateException("lab down found no lab " + LAB);
            }
            down = since(start);
            expectLab(p, false);
        } catch (RuntimeException e) {
            downQuietly(LAB);
            downQuietly(KEEPER);
            labActive = false;
            throw e;
        }
        long start = System.nanoTime();
        runner.down(KEEPER);
        Duration keeperDown = since(start);
        labActive = false;
        if (labOvs().filter(PrivateOvs::isRunning).isPresent()) {
            throw new IllegalStateException("the labs' private OVS still runs after its last lab went down");
        }
        ovsSamples.add(new OvsSample(Tool.SWITCHBOARD, keeperUp.took(), keeperDown));
        return new Sample(p.topo().name(), Tool.SWITCHBOARD, up, down);
    }

    /**
     * Fails unless the timed lab is fully there ({@code present}) or fully gone: one namespace per
     * host, each switch port and bridge an OVS interface with a port number; when gone, also no
     * root-namespace link with the lab's prefix.
     */
    private void expectLab(Planned p, boolean present) {
        LabNames names = LabNames.of(LAB);
        String state = present ? "after up" : "with the lab down";
        long namespaces = NetworkCheck.namespaces(run(List.of("ip", "netns", "list"), Map.of())).stream()
                .filter(names::owns).count();
        int expected = present ? p.topo().hosts() : 0;
        if (namespaces != expected) {
            throw machine.checkFailed(state + ": expected " + expected + " network namespaces " + names.prefix()
                    + "*, `ip netns list` shows " + namespaces, labOvs(), "lab");
        }
        PrivateOvs ovs = labOvs().filter(PrivateOvs::isRunning)
                .orElseThrow(() -> new IllegalStateException(state + ": the labs' private OVS does not run"));
        String problem = NetworkCheck.interfaceProblem(NetworkCheck.interfaces(
                ovs.vsctl("--format=csv", "--no-headings", "--columns=name,ofport", "list", "interface")),
                names::owns, present ? p.interfaces() : 0);
        if (!problem.isEmpty()) {
            throw machine.checkFailed(state + " of " + p.topo().name() + ": " + problem, Optional.of(ovs), "lab");
        }
        if (!present) {
            List<String> links = NetworkCheck.links(run(List.of("ip", "-o", "link", "show"), Map.of())).stream()
                    .filter(names::owns).toList();
            if (!links.isEmpty()) {
                throw machine.checkFailed(state + ": links are left: " + links.subList(0, Math.min(5, links.size())),
                        Optional.of(ovs), "lab");
            }
        }
    }

    private static Optional<PrivateOvs> labOvs() {
        return PrivateOvs.attach(LabState.directory().resolve("ovs"));
    }

    /** Fails if the benchmark's labs have objects left from an earlier run. */
    void checkNoLeftovers() {
        List<String> namespaces = NetworkCheck.namespaces(run(List.of("ip", "netns", "list"), Map.of()));
        List<String> links = NetworkCheck.links(run(List.of("ip", "-o", "link", "show"), Map.of()));
        for (String lab : List.of(LAB, KEEPER)) {
            LabNames names = LabNames.of(lab);
            List<String> left = Stream.concat(namespaces.stream(), links.stream()).filter(names::owns).toList();
            if (!left.isEmpty()) {
                throw new IllegalStateException("lab " + lab + " has objects left from an earlier run (" + left.get(0)
                        + (left.size() > 1 ? " and " + (left.size() - 1) + " more" : "") + "); remove them with "
                        + "`./switchboard lab down " + lab + "` first");
            }
        }
    }

    /**
     * On Ctrl-C (a shutdown hook): takes the labs down if a lab side was running, so that neither
     * they nor the labs' private OVS, which would block everyone else's OVS, stay behind. Best
     * effort: the main thread may still be working on them.
     */
    void downIfActive() {
        if (labActive) {
            downQuietly(LAB);
            downQuietly(KEEPER);
        }
    }

    private void downQuietly(String lab) {
        try {
            runner.down(lab);
        } catch (RuntimeException e) {
            progress.println("Could not take lab " + lab + " down: " + e.getMessage());
        }
    }

    /**
     * Deletes the labs directory the benchmark made, with what the lab code keeps there besides
     * labs (a lock file, say), unless a lab's state or the labs' private OVS is still in it.
     */
    void deleteIfNoLabs(Path dir) {
        if (!LabState.labs().isEmpty() || labOvs().isPresent()) {
            progress.println("Left " + dir + " in place: it still holds a lab or the labs' private OVS");
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException | UncheckedIOException e) {
            progress.println("Could not remove " + dir + ": " + e.getMessage());
        }
    }
}
