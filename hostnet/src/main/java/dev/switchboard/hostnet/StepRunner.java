package dev.switchboard.hostnet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies planned steps with as few iproute2 processes as the dependencies allow, and on the first failure undoes
 * the steps already applied, newest first.
 */
final class StepRunner {

    private static final Logger log = LoggerFactory.getLogger(StepRunner.class);
    /** Undo errors that mean the object is already gone, which is what the undo wanted. */
    private static final Pattern ALREADY_GONE = Pattern.compile(
            "Cannot find device|does not exist|No such device|Cannot open network namespace|No such file or directory"
                    + "|No such process|Cannot delete qdisc with handle of zero|Invalid handle");

    private final IpRoute2 ip;

    StepRunner(IpRoute2 ip) {
        this.ip = ip;
    }

    /** A batch: steps run by one process. */
    static final class Group {
        final List<Step> steps = new ArrayList<>();

        Group(Step first) {
            steps.add(first);
        }

        Step first() {
            return steps.get(0);
        }

        boolean conflictsWith(Step step) {
            return steps.stream().anyMatch(s -> Step.conflict(s, step));
        }
    }

    /**
     * Puts steps into batches: each step joins the latest batch of its program and namespace unless a later batch
     * touches an object it touches, in which case it starts a new batch at the end. The result runs every pair of
     * conflicting steps in their given order.
     */
    static List<Group> group(List<Step> steps) {
        List<Group> groups = new ArrayList<>();
        for (Step step : steps) {
            Group target = null;
            for (int g = groups.size() - 1; g >= 0; g--) {
                Group candidate = groups.get(g);
                if (candidate.first().sameBatch(step)) {
                    target = candidate;
                    break;
                }
                if (candidate.conflictsWith(step)) {
                    break;
                }
            }
            if (target != null) {
                target.steps.add(step);
            } else {
                groups.add(new Group(step));
            }
        }
        return groups;
    }

    /**
     * Applies the steps. On failure, undoes what was applied and throws.
     *
     * @throws OperationFailedException naming the failing step and the kernel's message
     */
    void apply(List<Step> steps, List<Snapshot> snapshots) {
        List<Group> groups = group(steps);
        log.debug("applying {} steps in {} batches", steps.size(), groups.size());
        List<Step> done = new ArrayList<>();
        for (Group group : groups) {
            Step first = group.first();
            if (first.runner == Step.Runner.PROCESS) {
                ExecResult result = ip.run(first.process);
                if (!result.succeeded()) {
                    fail(first, IpRoute2.errorText(result), done, snapshots);
                }
                done.add(first);
                continue;
            }
            IpRoute2.BatchResult result = ip.batch(tool(first), first.runIn, lines(group.steps), false);
            if (result.succeeded()) {
                done.addAll(group.steps);
                continue;
            }
            int failedLine = result.firstFailedLine();
            if (failedLine > 0 && failedLine <= group.steps.size()) {
                done.addAll(group.steps.subList(0, failedLine - 1));
                String text = result.failedLines().get(failedLine);
                if (text.isEmpty()) {
                    text = result.otherErrors().isEmpty() ? IpRoute2.errorText(result.result()) : result.otherErrors();
                }
                fail(group.steps.get(failedLine - 1), text, done, snapshots);
            }
            if (!IpRoute2.namespaceMissing(result.otherErrors())) {
                // not attributable to a line (killed, timed out): any of them may have been applied
                done.addAll(group.steps);
            }
            String text = result.otherErrors().isEmpty() ? IpRoute2.errorText(result.result()) : result.otherErrors();
            fail(first, text, done, snapshots);
        }
    }

    private void fail(Step failed, String kernelMessage, List<Step> done, List<Snapshot> snapshots) {
        List<String> leftBehind = rollback(done, snapshots);
        StringBuilder message = new StringBuilder(failed.description).append(" failed: ").append(kernelMessage);
        long undone = done.stream().filter(s -> !s.undo().isEmpty()).count();
        if (undone > 0) {
            message.append(" (rolled back ").append(undone).append(undone == 1 ? " earlier change)" : " earlier changes)");
        }
        if (!leftBehind.isEmpty()) {
            message.append(" (could not undo: ").append(String.join("; ", leftBehind)).append(')');
        }
        throw new OperationFailedException(failed.description, kernelMessage, leftBehind, message.toString());
    }

    /**
     * Undoes {@code done}, newest first, continuing past errors; then adds back what the snapshots had and side
     * effects removed, and retries the undos that failed (a route can only come back after its address did). Returns
     * what could not be undone.
     */
    List<String> rollback(List<Step> done, List<Snapshot> snapshots) {
        List<Step> undos = new ArrayList<>();
        for (int i = done.size() - 1; i >= 0; i--) {
            undos.addAll(done.get(i).undo());
        }
        Map<Step, String> failed = runUndos(undos);
        List<String> leftBehind = new ArrayList<>(restore(snapshots));
        if (!failed.isEmpty() && !snapshots.isEmpty()) {
            failed = runUndos(new ArrayList<>(failed.keySet()));
        }
        failed.forEach((undo, text) -> leftBehind.add(undo.description + ": " + text));
        if (!leftBehind.isEmpty()) {
            log.warn("rollback left changes behind: {}", leftBehind);
        }
        return leftBehind;
    }

    /** Runs undo steps in order, batching neighbours, continuing past errors; returns the failed ones. */
    private Map<Step, String> runUndos(List<Step> undos) {
        Map<Step, String> failures = new LinkedHashMap<>();
        int i = 0;
        while (i < undos.size()) {
            Step first = undos.get(i);
            if (first.runner == Step.Runner.PROCESS) {
                ExecResult result = ip.run(first.process);
                if (!result.succeeded()) {
                    note(failures, first, IpRoute2.errorText(result));
                }
                i++;
                continue;
            }
            int end = i + 1;
            while (end < undos.size() && undos.get(end).sameBatch(first)) {
                end++;
            }
            List<Step> batch = undos.subList(i, end);
            IpRoute2.BatchResult result = ip.batch(tool(first), first.runIn, lines(batch), true);
            result.failedLines().forEach((line, text) -> {
                if (line >= 1 && line <= batch.size()) {
                    note(failures, batch.get(line - 1), text);
                }
            });
            if (!result.result().succeeded() && result.failedLines().isEmpty()) {
                note(failures, first, result.otherErrors());
            }
            i = end;
        }
        return failures;
    }

    /** Adds back addresses and routes that steps took with them as a side effect. */
    private List<String> restore(List<Snapshot> snapshots) {
        List<String> failures = new ArrayList<>();
        for (Snapshot snapshot : snapshots) {
            List<String> lines;
            try {
                lines = snapshot.restoreLines(ip);
            } catch (HostNetworkException e) {
                failures.add("restoring addresses and routes of " + snapshot.ns + ": " + e.getMessage());
                continue;
            }
            if (lines.isEmpty()) {
                continue;
            }
            log.debug("restoring in {}: {}", snapshot.ns, lines);
            IpRoute2.BatchResult result = ip.batch(IpRoute2.Tool.IP, snapshot.ns, lines, true);
            result.failedLines().forEach((line, text) -> failures.add("restore in " + snapshot.ns + " ("
                    + (line >= 1 && line <= lines.size() ? lines.get(line - 1) : "line " + line) + "): " + text));
        }
        return failures;
    }

    private static void note(Map<Step, String> failures, Step undo, String text) {
        if (ALREADY_GONE.matcher(text).find()) {
            log.debug("undo '{}' found nothing to undo: {}", undo.description, text);
            return;
        }
        failures.put(undo, text);
    }

    private static IpRoute2.Tool tool(Step step) {
        return step.runner == Step.Runner.TC ? IpRoute2.Tool.TC : IpRoute2.Tool.IP;
    }

    private static List<String> lines(List<Step> steps) {
        return steps.stream().map(s -> s.line).toList();
    }
}
