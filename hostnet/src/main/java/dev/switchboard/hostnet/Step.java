package dev.switchboard.hostnet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One change as iproute2 applies it: a batch line for {@code ip} or {@code tc} run in a namespace, or (for the few
 * things iproute2 cannot do in a batch) a program of its own. Knows how to undo itself where that is possible, and
 * which kernel objects it reads and writes, so independent steps can share a batch.
 *
 * <p>Objects are named {@code ns:NS}, {@code link:NS/NAME} and {@code link:NS/*} (any link or route of NS);
 * a barrier step (a deletion, which may take more objects with it) conflicts with everything.
 */
final class Step {

    /** How the step runs. */
    enum Runner { IP, TC, PROCESS }

    final Runner runner;
    final Netns runIn;
    /** The batch line (IP, TC), or empty for a PROCESS. */
    final String line;
    /** The program and arguments of a PROCESS step. */
    final List<String> process;
    /** What it does, for messages: "create veth 'a' in namespace 'x'". */
    final String description;
    private List<Step> undo = List.of();
    private Set<String> uses = Set.of();
    private Set<String> changes = Set.of();
    private boolean barrier;

    private Step(Runner runner, Netns runIn, String line, List<String> process, String description) {
        this.runner = runner;
        this.runIn = Objects.requireNonNull(runIn, "runIn");
        this.line = line;
        this.process = List.copyOf(process);
        this.description = description;
    }

    static Step ip(Netns runIn, String description, String line) {
        return new Step(Runner.IP, runIn, line, List.of(), description);
    }

    static Step tc(Netns runIn, String description, String line) {
        return new Step(Runner.TC, runIn, line, List.of(), description);
    }

    static Step process(Netns runIn, String description, List<String> command) {
        return new Step(Runner.PROCESS, runIn, "", command, description);
    }

    /** The steps that undo this one, in the order they run; null elements are skipped. */
    Step undo(Step... undo) {
        List<Step> steps = new ArrayList<>();
        for (Step step : undo) {
            if (step != null) {
                steps.add(step);
            }
        }
        this.undo = List.copyOf(steps);
        return this;
    }

    List<Step> undo() {
        return undo;
    }

    /** The objects this step needs to exist or reads. */
    Step uses(String... objects) {
        this.uses = new HashSet<>(Arrays.asList(objects));
        return this;
    }

    /** The objects this step creates, changes or deletes. */
    Step changes(String... objects) {
        this.changes = new HashSet<>(Arrays.asList(objects));
        return this;
    }

    Step barrier() {
        this.barrier = true;
        return this;
    }

    static String nsObject(Netns ns) {
        return "ns:" + ns.name().orElse("");
    }

    static String linkObject(Netns ns, String link) {
        return "link:" + ns.name().orElse("") + "/" + link;
    }

    static String anyLinkObject(Netns ns) {
        return linkObject(ns, "*");
    }

    /** Whether the two steps must keep their order: one writes what the other reads or writes. */
    static boolean conflict(Step a, Step b) {
        if (a.barrier || b.barrier) {
            return true;
        }
        return overlap(a.changes, b.changes) || overlap(a.changes, b.uses) || overlap(b.changes, a.uses);
    }

    private static boolean overlap(Set<String> x, Set<String> y) {
        for (String e : x) {
            for (String f : y) {
                if (e.equals(f) || wildcardMatch(e, f) || wildcardMatch(f, e)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean wildcardMatch(String pattern, String object) {
        return pattern.endsWith("/*") && object.startsWith(pattern.substring(0, pattern.length() - 1));
    }

    /** Steps that may share one batch: same program in the same namespace. */
    boolean sameBatch(Step other) {
        return runner != Runner.PROCESS && runner == other.runner && runIn.equals(other.runIn);
    }

    @Override
    public String toString() {
        return description;
    }
}
