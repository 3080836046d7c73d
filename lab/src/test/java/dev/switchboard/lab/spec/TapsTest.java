package dev.switchboard.lab.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The {@code taps:} section: TAP and TUN devices, alone or attached to a switch. */
class TapsTest {

    private static final String LAB = """
            name: seed4
            hosts:
              net0: {}
              net1: {}
            switches:
              br0: {kind: linux-bridge}
              s1: {}
            links:
              - {a: {node: net0, addresses: [10.0.8.1/24]}, b: br0}
              - {a: {node: net1, addresses: [10.0.8.2/24]}, b: s1}
              - {a: br0, b: s1}
            """;

    private static List<String> problems(String yaml) {
        try {
            LabSpecs.parse(yaml, "lab.yaml");
        } catch (LabSpecException e) {
            return e.getMessage().lines().toList();
        }
        throw new AssertionError("no problems found in:\n" + yaml);
    }

    @Test
    void everyKeyLoads() {
        LabSpec lab = LabSpecs.parse(LAB + """
                taps:
                  tap0: {bridge: br0, mode: tap, owner: 1000, group: 100}
                  tap1: {bridge: s1}
                  tun0: {mode: tun}
                  tap2:
                """);
        assertThat(lab.taps()).containsExactly(
                new Tap("tap0", Optional.of("br0"), TapMode.TAP, OptionalInt.of(1000), OptionalInt.of(100)),
                Tap.on("tap1", "s1"),
                Tap.named("tun0").withMode(TapMode.TUN),
                Tap.named("tap2"));
        assertThat(lab.findTap("tun0")).map(Tap::mode).contains(TapMode.TUN);
        assertThat(lab.kernelNeeds()).contains(KernelNeed.TUN);
        assertThat(LabSpecs.parse(LAB).kernelNeeds()).doesNotContain(KernelNeed.TUN);
        assertThat(lab).hasToString("LabSpec[seed4: 2 hosts, 2 switches, 3 links, 4 taps]");
    }

    @Test
    void aTapIsItsSwitchsNextPortAfterTheLinks() {
        LabSpec lab = LabSpecs.parse(LAB + """
                taps:
                  tap0: {bridge: br0}
                  tun0: {mode: tun}
                  tap1: {bridge: s1}
                  tap2: {bridge: s1}
                """);
        assertThat(lab.tapPorts()).containsOnlyKeys("tap0", "tap1", "tap2");
        Port tap0 = lab.tapPorts().get("tap0");
        assertThat(tap0).isEqualTo(new Port("br0", NodeRole.SWITCH, 3, "seed4-tap0", "seed4-tap0", List.of()));
        assertThat(lab.tapPorts().get("tap1").label()).isEqualTo("s1:3");
        assertThat(lab.tapPorts().get("tap2").label()).isEqualTo("s1:4");
        assertThat(lab.names().tap("tap0")).isEqualTo("seed4-tap0");
        // the links keep Mininet's numbers
        assertThat(lab.portsOf("s1")).extracting(Port::number).containsExactly(1, 2);
    }

    @Test
    void aTapAfterAChosenPortNumberTakesTheNextOne() {
        LabSpec lab = LabSpec.builder("x").ovsSwitch("s1").host("h1")
                .link(Link.veth(LinkEnd.of("h1"), LinkEnd.of("s1").withPort(7)))
                .tap(Tap.on("t", "s1")).build();
        assertThat(lab.tapPorts().get("t").number()).isEqualTo(8);
    }

    @Test
    void copiesKeepTheTaps() {
        LabSpec lab = LabSpecs.parse(LAB + "taps: {tap0: {bridge: br0}}\n");
        assertThat(lab.withName("lab2").taps()).isEqualTo(lab.taps());
        assertThat(lab.withName("lab2").tapPorts().get("tap0").name()).isEqualTo("lab2-tap0");
        assertThat(lab.withController("tcp:127.0.0.1:6653").taps()).isEqualTo(lab.taps());
        assertThat(lab.toBuilder().build()).isEqualTo(lab);
        assertThat(new LabSpec("x", List.of(), List.of(), List.of()).taps()).isEmpty();
    }

    @Test
    void keyAndTypeProblems() {
        assertThat(problems(LAB + """
                taps:
                  tap0: {switch: br0, mode: tan, owner: root}
                  tap1: {bridge: br0, group: -1}
                  tap2: [br0]
                """)).containsExactly(
                "lab.yaml:13: taps.tap0.switch: unknown key (did you mean bridge?); expected one of bridge, mode, owner, group",
                "lab.yaml:13: taps.tap0.mode: 'tan' is not a TAP mode; expected one of tap, tun",
                "lab.yaml:13: taps.tap0.owner: expected a whole number, found text (root)",
                "lab.yaml:14: taps.tap1: tap tap1: group gid -1 is negative",
                "lab.yaml:15: taps.tap2: expected the settings of tap tap2 ({} for the defaults), found a list");
    }

    @Test
    void aTapAttachesToASwitchThatExists() {
        assertThat(problems(LAB + """
                taps:
                  tap0: {bridge: br9}
                  tap1: {bridge: net0}
                  tun0: {bridge: br0, mode: tun}
                """)).containsExactly(
                "lab.yaml:13: taps.tap0.bridge: no switch is named br9 (switches: br0, s1)",
                "lab.yaml:14: taps.tap1.bridge: net0 is a host: a tap attaches to a switch (a linux-bridge or an ovs switch);"
                        + " to give a host an interface, link it to a switch",
                "lab.yaml:15: taps.tun0.mode: tap tun0 is a TUN device: it carries IP packets, not Ethernet frames, so it"
                        + " cannot be a port of switch br0; use mode: tap, or drop bridge");
        assertThat(problems("name: x\ntaps: {tap0: {bridge: br0}}\n")).containsExactly(
                "lab.yaml:2: taps.tap0.bridge: no switch is named br0 (the lab has no switches)");
    }

    @Test
    void tapNamesAreUniqueAndFitTheKernel() {
        assertThat(problems(LAB + """
                taps:
                  net0: {}
                  s1: {}
                  abcdefghijk: {bridge: br0}
                  br0-e1: {}
                """)).containsExactly(
                "lab.yaml:13: taps.net0: the name net0 is already taken by a host; host, switch and tap names must be unique",
                "lab.yaml:14: taps.s1: the name s1 is already taken by a switch; host, switch and tap names must be unique",
                "lab.yaml:15: taps.abcdefghijk: the device of tap abcdefghijk would be named seed4-abcdefghijk, 17 characters;"
                        + " Linux allows 15. Use a shorter lab name (seed4) or node name (abcdefghijk)",
                "lab.yaml:16: taps.br0-e1: the device of tap br0-e1 would be named seed4-br0-e1, as is port 1 of switch br0;"
                        + " rename one of the nodes");
        assertThatThrownBy(() -> Tap.named("a234567890123456")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void linksJoinHostsAndSwitchesNotTaps() {
        assertThat(problems(LAB + """
                  - {a: net0, b: tap0}
                taps:
                  tap0: {}
                """)).containsExactly(
                "lab.yaml:12: links[3].b: tap0 is a tap: links join hosts and switches; attach the tap to a switch with its"
                        + " bridge key instead");
    }

    @Test
    void theSeedTapExampleLoads() throws Exception {
        Path example = Path.of("..", "examples", "seed-tap.yaml");
        LabSpec lab = LabSpecs.load(example);
        assertThat(lab.name()).isEqualTo("seed4");
        assertThat(lab.taps()).containsExactly(Tap.on("tap0", "br0"));
        assertThat(lab.findSwitch("br0")).containsInstanceOf(LinuxBridge.class);
        assertThat(lab.warnings()).isEmpty();
        assertThat(Files.readString(example)).contains("./switchboard lab up examples/seed-tap.yaml");
    }
}
