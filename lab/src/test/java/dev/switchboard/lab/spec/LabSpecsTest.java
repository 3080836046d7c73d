package dev.switchboard.lab.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** YAML in, a LabSpec or every problem with file, line and key path out. */
class LabSpecsTest {

    private static final String SEED = """
            name: seed
            hosts:
              net0: {gateway: 10.0.8.254}
              net1: {}
            switches:
              br0: {kind: linux-bridge, stp: false}
              s1: {kind: ovs, protocols: [OpenFlow13], failMode: secure, controller: "tcp:127.0.0.1:6653"}
            links:
              - {a: net0, b: br0, addresses: {net0: [10.0.8.1/24]}}
              - {a: {node: net1, interface: eth0, addresses: [10.0.8.2/24]}, b: br0, rate: 10mbit, delay: 2ms}
            """;

    private static List<String> problems(String yaml) {
        try {
            LabSpecs.parse(yaml, "lab.yaml");
        } catch (LabSpecException e) {
            assertThat(e.getMessage()).isEqualTo(String.join("\n", e.getMessage().lines().toList()));
            return e.getMessage().lines().toList();
        }
        throw new AssertionError("no problems found in:\n" + yaml);
    }

    @Test
    void aHostCanBeARouter() {
        LabSpec lab = LabSpecs.parse("""
                name: r
                hosts:
                  r: {forwarding: true}
                  h: {}
                links:
                  - {a: {node: r, addresses: [10.0.3.1/24]}, b: {node: h, addresses: [10.0.3.10/24]}}
                """);
        assertThat(lab.hosts()).extracting(Host::name, Host::forwarding)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("r", true), org.assertj.core.groups.Tuple.tuple("h", false));
        assertThat(problems("name: r\nhosts:\n  r: {forwarding: maybe}\n"))
                .anySatisfy(line -> assertThat(line).contains("hosts.r.forwarding"));
    }

    @Test
    void theSeedExampleLoadsAsWritten() {
        LabSpec lab = LabSpecs.parse(SEED);

        LabSpec expected = LabSpec.builder("seed")
                .host(Host.named("net0").withGateway("10.0.8.254"))
                .host("net1")
                .addSwitch(new LinuxBridge("br0", false))
                .addSwitch(new OvsSwitch("s1", List.of(OpenFlowVersion.OF13), Optional.of(FailMode.SECURE),
                        Optional.of(ControllerTarget.parse("tcp:127.0.0.1:6653")), OptionalLong.empty(), false))
                .link(Link.veth(LinkEnd.of("net0").withAddresses("10.0.8.1/24"), LinkEnd.of("br0")))
                .link(Link.veth(LinkEnd.of("net1").withInterface("eth0").withAddresses("10.0.8.2/24"), LinkEnd.of("br0"))
                        .withRate(Rate.parse("10mbit")).withDelay(Duration.ofMillis(2)))
                .build();
        assertThat(lab).isEqualTo(expected);
        assertThat(lab.kernelNeeds()).contains(KernelNeed.HTB, KernelNeed.NETEM, KernelNeed.OPENVSWITCH);
    }

    @Test
    void everyKeyHasADefault() {
        LabSpec lab = LabSpecs.parse("""
                name: d
                hosts:
                  h1:
                  h2: {}
                switches:
                  s1:
                links:
                  - {a: h1, b: s1}
                  - {a: s1, b: h2}
                """);
        OvsSwitch s1 = (OvsSwitch) lab.switches().get(0);
        assertThat(s1).isEqualTo(OvsSwitch.named("s1"));
        assertThat(s1.protocols()).containsExactly(OpenFlowVersion.OF13);
        assertThat(s1.effectiveFailMode()).isEqualTo(FailMode.STANDALONE);
        assertThat(lab.hosts()).containsExactly(Host.named("h1"), Host.named("h2"));
        Link link = lab.links().get(0);
        assertThat(link.kind()).isEqualTo(LinkKind.VETH);
        assertThat(link.mtu()).isEmpty();
        assertThat(link.shaping()).isEmpty();
        assertThat(LabSpecs.parse("name: e").hosts()).isEmpty();
    }

    @Test
    void everyOptionLoads() {
        LabSpec lab = LabSpecs.parse("""
                name: all
                hosts:
                  h1:
                    gateway: 10.0.8.254
                    routes:
                      - {to: 10.9.0.0/16, via: 10.0.8.253}
                      - {to: default, via: "fd00::fe"}
                  h2: {}
                switches:
                  s1: {protocols: [OpenFlow10, OpenFlow15], datapathId: "00000000000000aa", stp: true, failMode: standalone}
                  s2: {kind: ovs, controller: "tcp:[::1]"}
                links:
                  - a: {node: h1, interface: up0, addresses: [10.0.8.1/24, "fd00::1/64"]}
                    b: {node: s1, port: 7}
                    mtu: 9000
                    rate: 1.5
                    delay: 500us
                    loss: "0.5%"
                    queue: 100
                  - {a: s1, b: s2, kind: patch}
                  - {a: h2, b: s2, loss: 2}
                """);
        Host h1 = lab.findHost("h1").orElseThrow();
        assertThat(h1.routes()).containsExactly(LabValues.route("10.9.0.0/16", "10.0.8.253"), LabValues.route("default", "fd00::fe"));
        OvsSwitch s1 = (OvsSwitch) lab.findSwitch("s1").orElseThrow();
        assertThat(s1.protocols()).containsExactly(OpenFlowVersion.OF10, OpenFlowVersion.OF15);
        assertThat(s1.datapathIdHex()).contains("00000000000000aa");
        assertThat(s1.stp()).isTrue();
        assertThat(((OvsSwitch) lab.findSwitch("s2").orElseThrow()).controller()).map(Object::toString).contains("tcp:[::1]:6653");
        Link first = lab.links().get(0);
        assertThat(first.mtu()).isEqualTo(OptionalInt.of(9000));
        assertThat(LabValues.describe(first.shaping().orElseThrow())).isEqualTo("rate 1500kbit delay 500us loss 0.5% queue 100");
        assertThat(lab.links().get(1).kind()).isEqualTo(LinkKind.PATCH);
        assertThat(lab.wiring().get(0).b().number()).isEqualTo(7);
        assertThat(lab.wiring().get(1).a().number()).isEqualTo(2);
        assertThat(lab.kernelNeeds()).contains(KernelNeed.IPV6, KernelNeed.NETEM, KernelNeed.HTB);
    }

    @Test
    void keyAndTypeProblemsNameFileLineAndKeyPath() {
        assertThat(problems("""
                name: seed
                hosts:
                  net0: {gateway: 10.0.8.254, bw: 3}
                  net1: []
                switches:
                  br0: {kind: linux-bridge, stp: "no", protocols: [OpenFlow13]}
                  s1: {kind: ovs, protocols: OpenFlow13, fail_mode: secure, controller: "tcp:localhost:6653"}
                  s2: {kind: hub, datapathId: 0000000000000010}
                links:
                  - {a: net0, b: br0, addresses: {net0: [10.0.8.1/24, 10.0.8.300/24]}, mtu: big}
                  - {a: {node: net1, adresses: [10.0.8.2/24]}, b: 7, rate: 100mbps, delay: 2, loss: 120, queue: 0}
                  - a: net1
                  - just text
                """)).containsExactly(
                "lab.yaml:3: hosts.net0.bw: unknown key; expected one of gateway, routes, forwarding",
                "lab.yaml:4: hosts.net1: expected the settings of host net1 ({} for the defaults), found a list",
                "lab.yaml:6: switches.br0.protocols: only kind ovs has protocols; br0 is a linux-bridge",
                "lab.yaml:6: switches.br0.stp: expected true or false, found text (no)",
                "lab.yaml:7: switches.s1.fail_mode: unknown key (did you mean failMode?); expected one of kind, protocols,"
                        + " failMode, controller, datapathId, stp",
                "lab.yaml:7: switches.s1.protocols: expected a list like [OpenFlow13], found text (OpenFlow13)",
                "lab.yaml:7: switches.s1.controller: 'tcp:localhost:6653' is not a controller target like tcp:127.0.0.1:6653"
                        + " or tcp:[::1]:6653: 'localhost' is not an IP address: an IPv4 address has four dot-separated numbers",
                "lab.yaml:8: switches.s2.kind: 'hub' is not a switch kind; expected one of ovs, linux-bridge",
                "lab.yaml:8: switches.s2.datapathId: write the datapath id as quoted hex, like \"0000000000000001\""
                        + " (YAML reads unquoted digits as a decimal or octal number)",
                "lab.yaml:10: links[0].mtu: expected a whole number, found text (big)",
                "lab.yaml:10: links[0].addresses.net0[1]: '10.0.8.300/24' is not an IPv4 or IPv6 address with a prefix"
                        + " length, like 10.0.8.1/24 or fd00::1/64: '10.0.8.300' is not an IP address: 300 is larger than 255",
                "lab.yaml:11: links[1].a.adresses: unknown key (did you mean addresses?); expected one of node, interface,"
                        + " port, addresses",
                "lab.yaml:11: links[1].b: expected a node name or {node: NAME, interface: …, port: …, addresses: […]},"
                        + " found a whole number (7) (quote a numeric name)",
                "lab.yaml:11: links[1].rate: '100mbps': tc's 'mbps' counts bytes, not bits; write the rate in bits, e.g. 100mbit",
                "lab.yaml:11: links[1].delay: a delay needs a unit: write 2ms, 2us or 2s",
                "lab.yaml:11: links[1].loss: loss '120' is over 100%",
                "lab.yaml:11: links[1].queue: a queue holds at least 1 packet",
                "lab.yaml:12: links[2].b: missing: a link has two ends, a and b, each a node name or {node: …}",
                "lab.yaml:13: links[3]: expected a link like {a: h1, b: s1}, found text (just text)");
    }

    @Test
    void labProblemsGetTheLineOfTheKeyTheyName() {
        assertThat(problems("""
                name: seed
                hosts:
                  net0: {gateway: 10.0.9.254}
                  net1:
                    routes:
                      - {to: 10.1.0.0/16, via: 10.0.8.1}
                switches:
                  br0: {kind: linux-bridge}
                  net1: {}
                links:
                  - {a: net0, b: br0, addresses: {net0: [10.0.8.1/24]}}
                  - a: {node: net1, addresses: [10.0.8.1/24]}
                    b: br0
                  - {a: net0, b: ghost}
                """)).containsExactly(
                "lab.yaml:9: switches.net1: the name net1 is already taken by a host; host and switch names must be unique",
                "lab.yaml:14: links[2].b: no host or switch is named ghost (nodes: br0, net0, net1)");
        assertThat(problems("""
                name: seed
                hosts:
                  net0: {gateway: 10.0.9.254}
                  net1:
                    routes:
                      - {to: 10.1.0.0/16, via: 10.0.8.1}
                switches:
                  br0: {kind: linux-bridge}
                links:
                  - {a: net0, b: br0, addresses: {net0: [10.0.8.1/24]}}
                  - a: {node: net1, addresses: [10.0.8.1/24]}
                    b: br0
                """)).containsExactly(
                "lab.yaml:3: hosts.net0.gateway: gateway 10.0.9.254 is not in any subnet of host net0 (10.0.8.1/24)",
                "lab.yaml:6: hosts.net1.routes[0].via: route to 10.1.0.0/16 via 10.0.8.1 is host net1's own address",
                "lab.yaml:11: links[1].a.addresses[0]: address 10.0.8.1 of net1:eth0 is already on net0:eth0");
    }

    @Test
    void linkLevelAddressesMustNameAnEndOnce() {
        assertThat(problems("""
                name: x
                hosts: {h1: {}, h2: {}}
                links:
                  - {a: {node: h1, addresses: [10.0.0.1/24]}, b: h2, addresses: {h1: [10.0.0.3/24], h3: [10.0.0.4/24], h2: 10.0.0.2/24}}
                """)).containsExactly(
                "lab.yaml:4: links[0].addresses.h1: the addresses of h1 are given twice, here and on its end",
                "lab.yaml:4: links[0].addresses.h3: h3 is not an end of this link (h1, h2)",
                "lab.yaml:4: links[0].addresses.h2: expected a list of addresses like [10.0.8.1/24], found text (10.0.0.2/24)");
    }

    @Test
    void yamlItselfIsCheckedStrictly() {
        assertThat(problems("")).containsExactly(
                "lab.yaml: the file is empty; a lab is a mapping with name, hosts, switches and links");
        assertThat(problems("- name: x\n")).containsExactly(
                "lab.yaml:1: a lab is a mapping with name, hosts, switches and links, not a list");
        assertThat(problems("hosts: {}\n")).containsExactly(
                "lab.yaml:1: name: missing: every lab needs a name, a lower-case letter followed by up to 5 lower-case letters"
                        + " or digits");
        assertThat(problems("name: x\nhosts: {h1: {}}\nname: y\n")).containsExactly(
                "lab.yaml:3: name: the key name appears twice (first on line 1)");
        assertThat(problems("name: x\n---\nname: y\n")).containsExactly(
                "lab.yaml:3: the file holds more than one YAML document; it must be one document");
        assertThat(problems("name: x\nhosts:\n  h1: &defaults {}\n  h2: *defaults\n")).containsExactly(
                "lab.yaml:4: hosts.h2: YAML aliases (*defaults) are not supported; write the value out");
        assertThat(problems("name: x\nhosts: {h1: {gateway: [1,\n")).containsExactly(
                "lab.yaml:3: not valid YAML: while parsing a flow node; expected the node content, but found '<stream end>'"
                        + " (column 1)");
        assertThat(problems("name: x\n  hosts: 1\n")).singleElement().asString().startsWith("lab.yaml:2: not valid YAML: ");
        assertThat(problems("name: Lab-1\n")).containsExactly(
                "lab.yaml:1: name: lab name 'Lab-1' must be a lower-case letter followed by at most 5 lower-case letters or"
                        + " digits (it prefixes every interface name, which Linux limits to 15 characters)");
        assertThat(problems("name: x\ntopology: tree\n")).containsExactly(
                "lab.yaml:2: topology: unknown key; expected one of name, hosts, switches, links, taps");
    }

    @Test
    void yaml11BooleansAreBooleans() {
        LabSpec lab = LabSpecs.parse("name: b\nswitches:\n  br0: {kind: linux-bridge, stp: yes}\n");
        assertThat(lab.switches().get(0).stp()).isTrue();
    }

    @Test
    void loadNamesTheFile(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("seed.yaml");
        Files.writeString(good, SEED);
        assertThat(LabSpecs.load(good)).isEqualTo(LabSpecs.parse(SEED));

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "name: x\nhosts:\n  h1: {gw: 10.0.0.1}\n");
        assertThatThrownBy(() -> LabSpecs.load(bad)).isInstanceOfSatisfying(LabSpecException.class, e -> {
            assertThat(e.getMessage()).isEqualTo(bad + ":3: hosts.h1.gw: unknown key; expected one of gateway, routes, forwarding");
            assertThat(e.source()).contains(bad.toString());
            assertThat(e.problems()).singleElement().satisfies(p -> {
                assertThat(p.path()).isEqualTo("hosts.h1.gw");
                assertThat(p.line()).isEqualTo(OptionalInt.of(3));
            });
        });

        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, "name: x # caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> LabSpecs.load(latin1)).hasMessage(latin1 + ": the file is not UTF-8 text");
    }
}
