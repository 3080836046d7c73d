package dev.switchboard.lab.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.lab.spec.LabSpec;
import dev.switchboard.lab.spec.Topologies;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The intent log and the lock, in a labs directory of the test's own; nothing here touches the kernel. */
class LabStateTest {
    @TempDir
    Path labs;
    private String before;

    @BeforeEach
    void useTheTestsDirectory() {
        before = System.getProperty("switchboard.labs");
        System.setProperty("switchboard.labs", labs.toString());
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty("switchboard.labs");
        } else {
            System.setProperty("switchboard.labs", before);
        }
    }

    @Test
    void intentsAreOnDiskBeforeTheyReturnAndSurviveARead() {
        LabState state = LabState.create("seed", "topo:single,2", null, "unix:/x/db.sock", true);
        state.intend(LabState.Kind.NAMESPACE, "seed-h1");
        state.intendAll(List.of(new LabState.Entry(LabState.Kind.VETH, "seed-s1-e1"),
                new LabState.Entry(LabState.Kind.NAMESPACE, "seed-h1"), new LabState.Entry(LabState.Kind.TAP, "seed-tap0")));

        LabState read = LabState.read("seed").orElseThrow();
        assertThat(read.contents().objects()).containsExactly(new LabState.Entry(LabState.Kind.NAMESPACE, "seed-h1"),
                new LabState.Entry(LabState.Kind.VETH, "seed-s1-e1"), new LabState.Entry(LabState.Kind.TAP, "seed-tap0"));
        assertThat(read.contents().ovsDb()).isEqualTo("unix:/x/db.sock");
        assertThat(read.contents().privateOvs()).isTrue();
        assertThat(LabState.labs()).containsExactly("seed");
        assertThat(labs.resolve("seed.json.tmp")).doesNotExist();
    }

    @Test
    void describeKeepsTheObjectsAndChangesTheSource() {
        LabState state = LabState.create("seed", "topo:single,2", null, null, false);
        state.intend(LabState.Kind.NAMESPACE, "seed-h1");
        state.describe("topo:single,3", "tcp:127.0.0.1:6653", null, false);

        LabState.Contents contents = LabState.read("seed").orElseThrow().contents();
        assertThat(contents.source()).isEqualTo("topo:single,3");
        assertThat(contents.controller()).isEqualTo("tcp:127.0.0.1:6653");
        assertThat(contents.objects()).containsExactly(new LabState.Entry(LabState.Kind.NAMESPACE, "seed-h1"));
        state.delete();
        assertThat(LabState.read("seed")).isEmpty();
        assertThat(LabState.labs()).isEmpty();
    }

    @Test
    void theLockIsReentrantInOneJvmAndLeavesNoLabBehind() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream progress = new PrintStream(out, true, StandardCharsets.UTF_8);
        try (LabLock outer = LabLock.acquire(progress); LabLock inner = LabLock.acquire(progress)) {
            assertThat(Files.exists(labs.resolve(".lock"))).isTrue();
        }
        Thread other = new Thread(() -> LabLock.acquire(progress).close());
        other.start();
        other.join(5_000);
        assertThat(other.isAlive()).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty(); // never had to wait
        assertThat(LabState.labs()).isEmpty();
    }

    @Test
    void aHostInterfaceHasAStableLocallyAdministeredMac() {
        LabSpec lab = Topologies.parse("single,2", "mn");
        var h1 = lab.portsOf("h1").get(0);
        var h2 = lab.portsOf("h2").get(0);
        String mac = KernelSide.mac("mn", h1);
        assertThat(mac).matches("02(:[0-9a-f]{2}){5}").isEqualTo(KernelSide.mac("mn", h1));
        assertThat(KernelSide.mac("mn", h2)).isNotEqualTo(mac);
        assertThat(KernelSide.mac("mn2", h1)).isNotEqualTo(mac);
    }
}
