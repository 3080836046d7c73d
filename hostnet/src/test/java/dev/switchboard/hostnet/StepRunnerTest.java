package dev.switchboard.hostnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How steps are put into batches; no kernel involved. */
class StepRunnerTest {

    private static final Netns ROOT = Netns.ROOT;
    private static final Netns A = Netns.named("a");
    private static final Netns B = Netns.named("b");

    private static Step step(Netns runIn, String name, String... changes) {
        return Step.ip(runIn, name, name).uses(Step.nsObject(runIn)).changes(changes);
    }

    private static List<List<String>> batches(Step... steps) {
        return StepRunner.group(List.of(steps)).stream()
                .map(g -> g.steps.stream().map(s -> s.description).toList())
                .toList();
    }

    @Test
    void independentStepsJoinTheLatestBatchOfTheirNamespace() {
        assertThat(batches(
                Step.ip(ROOT, "add a", "").changes(Step.nsObject(A)),
                step(A, "a: lo up", Step.linkObject(A, "lo")),
                Step.ip(ROOT, "add b", "").changes(Step.nsObject(B)),
                step(B, "b: lo up", Step.linkObject(B, "lo")),
                Step.ip(ROOT, "veth a/eth0 b/eth0", "").uses(Step.nsObject(A), Step.nsObject(B))
                        .changes(Step.linkObject(A, "eth0"), Step.linkObject(B, "eth0")),
                step(A, "a: address", Step.linkObject(A, "eth0")),
                step(B, "b: address", Step.linkObject(B, "eth0"))))
                .containsExactly(
                        List.of("add a", "add b", "veth a/eth0 b/eth0"),
                        List.of("a: lo up", "a: address"),
                        List.of("b: lo up", "b: address"));
    }

    @Test
    void aStepNeverOvertakesOneItConflictsWith() {
        assertThat(batches(
                step(A, "a: create x", Step.linkObject(A, "x")),
                Step.ip(ROOT, "move x from a to root", "").uses(Step.nsObject(A))
                        .changes(Step.linkObject(A, "x"), Step.linkObject(ROOT, "x")),
                step(A, "a: create y", Step.linkObject(A, "y")),
                step(A, "a: route via any link", Step.anyLinkObject(A)),
                step(ROOT, "root: x up", Step.linkObject(ROOT, "x"))))
                .containsExactly(
                        List.of("a: create x", "a: create y"),
                        // x up may follow the move in the same batch: it overtakes only the unrelated route
                        List.of("move x from a to root", "root: x up"),
                        List.of("a: route via any link"));
    }

    @Test
    void barriersAndProgramsKeepTheirPlace() {
        assertThat(batches(
                step(A, "a: one", Step.linkObject(A, "1")),
                Step.process(ROOT, "sysctl", List.of("true")).changes("sysctl:"),
                step(A, "a: two", Step.linkObject(A, "2")),
                Step.ip(B, "b: delete", "").barrier(),
                step(A, "a: three", Step.linkObject(A, "3"))))
                .containsExactly(
                        List.of("a: one", "a: two"),
                        List.of("sysctl"),
                        List.of("b: delete"),
                        List.of("a: three"));
    }
}
