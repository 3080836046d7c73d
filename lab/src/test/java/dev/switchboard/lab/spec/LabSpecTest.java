package dev.switchboard.lab.spec;

import dev.switchboard.hostnet.Cidr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

/** The model built in code: its checks across objects, numbering, needs, warnings and copies. */
class LabSpecTest {

    /** Lab 1 of the seed: two namespaces on a Linux bridge. */
    private static LabSpec.Builder seed() {
        return LabSpec.builder("seed")
                .host(Host.named("net0").withGateway("10.0.8.254"))
                .host("net1")
                .linuxBridge("br0")
                .link(Link.veth(LinkEnd.of("net0").withAddresses("10.0.8.1/24"), LinkEnd.of("br0")))
                .link(Link.veth(LinkEnd.of("net1").withAddresses("10.0.8.2/24"), LinkEnd.of("br0")));
    }

    private static void assertProblems(LabSpec.Builder builder, Consumer<List<Problem>> check) {
        assertThatThrownBy(builder::build).isInstanceOfSatisfying(LabSpecException.class, e -> check.accept(e.problems()));
    }

    private static List<String> texts(List<Problem> problems) {
        return problems.stream().map(Problem::toString).toList();
    }

    @Test
    void aValidLabIsWiredTheMininetWay() {
        LabSpec lab = seed().build();

        List<Wire> wires = lab.wiring();
        assertThat(wires).hasSize(2);
        assertThat(wires.get(0).a()).isEqualTo(new Port("net0", NodeRole.HOST, 0, "eth0", "seed-net0-e0",
                List.of(LabValues.cidr("10.0.8.1/24"))));
        assertThat(wires.get(0).b()).isEqualTo(new Port("br0", NodeRole.SWITCH, 1, "seed-br0-e1", "seed-br0-e1", List.of()));
        assertThat(wires.get(1).b().number()).isEqualTo(2);
        assertThat(lab.portsOf("br0")).extracting(Port::name).containsExactly("seed-br0-e1", "seed-br0-e2");
        assertThat(lab.describe().lines()).containsExactly(
                "host net0 10.0.8.1/24", "host net1 10.0.8.2/24", "switch br0",
                "link br0:1<->net0:eth0", "link br0:2<->net1:eth0");
        assertThat(lab.warnings()).isEmpty();
        assertThat(lab.kernelNeeds()).containsExactlyInAnyOrder(KernelNeed.NETNS, KernelNeed.VETH, KernelNeed.LINUX_BRIDGE);
    }

    @Test
    void portsCountLinksPerNodeAndHonourRequests() {
        LabSpec lab = LabSpec.builder("p").host("h1").host("h2").ovsSwitch("s1").ovsSwitch("s2")
                .link(Link.veth(LinkEnd.of("h1"), LinkEnd.of("s1").withPort(10)))
                .link("s1", "s2")                       // s1 has one port: this is its port 2, s2's 1
                .link(Link.veth(LinkEnd.of("h1").withInterface("uplink"), LinkEnd.of("s2")))
                .link("h1", "h2")                       // h1's third link: eth2; h2's first: eth0
                .build();
        assertThat(lab.describe().links()).containsExactly(
                "h1:eth0<->s1:10", "h1:eth2<->h2:eth0", "h1:uplink<->s2:2", "s1:2<->s2:1");
        assertThat(lab.portsOf("h1")).extracting(Port::rootName).containsExactly("p-h1-e0", "p-h1-e1", "p-h1-e2");
    }

    @Test
    void clashingPortsAndInterfacesAreNamed() {
        assertProblems(LabSpec.builder("p").host("h1").ovsSwitch("s1")
                .link(Link.veth(LinkEnd.of("h1").withInterface("eth1"), LinkEnd.of("s1").withPort(2)))
                .link(Link.veth("h1", "s1")), problems -> assertThat(texts(problems)).containsExactly(
                "links[1].a: interface eth1 of host h1 is already taken by links[0].a; give this end another interface name",
                "links[1].b: port 2 of switch s1 is already taken by links[0].b (ports are numbered like Mininet's: the next"
                        + " one is the count of the switch's ports plus one; give this end an unused port)"));
    }

    @Test
    void namesAreUniqueAcrossHostsAndSwitches() {
        assertProblems(seed().host("br0").host("net1"), problems -> assertThat(texts(problems)).containsExactly(
                "hosts.net1: the name net1 is already taken by a host; host and switch names must be unique",
                "switches.br0: the name br0 is already taken by a host; host and switch names must be unique"));
    }

    @Test
    void linksMustEndOnNodesOfTheRightKind() {
        assertProblems(seed().ovsSwitch("s1").link("net0", "nowhere").link(Link.patch("s1", "br0"))
                        .link(Link.veth(LinkEnd.of("br0").withInterface("x"), LinkEnd.of("net1").withPort(3)))
                        .link(Link.veth(LinkEnd.of("s1").withAddresses("10.9.0.1/24"), LinkEnd.of("net0"))),
                problems -> assertThat(texts(problems)).containsExactly(
                        "links[2].b: no host or switch is named nowhere (nodes: br0, net0, net1, s1)",
                        "links[3]: link s1<->br0: a patch link joins two ovs switches, and br0 is a linux-bridge",
                        "links[4].a.interface: br0 is a switch: its ports are named <lab>-<switch>-e<port>; choose the"
                                + " number with port instead",
                        "links[4].b.port: net1 is a host: only switch ends have a port number (a host end may name its interface)",
                        "links[5].a.addresses: s1 is a switch: only host ends have addresses"));
    }

    @Test
    void patchLinksJoinOvsSwitches() {
        LabSpec lab = LabSpec.builder("p").ovsSwitch("s1").ovsSwitch("s2").link(Link.patch("s1", "s2")).build();
        assertThat(lab.wiring().get(0).a().rootName()).isEqualTo("p-s1-e1");
        assertThat(lab.kernelNeeds()).containsExactly(KernelNeed.OPENVSWITCH);
        assertThatThrownBy(() -> Link.patch("s1", "s2").withMtu(9000)).hasMessageContaining("patch link has no mtu");
        assertThatThrownBy(() -> Link.patch("s1", "s2").withDelay(Duration.ofMillis(1))).hasMessageContaining("cannot be shaped");
        assertThatThrownBy(() -> Link.veth("s1", "s1")).hasMessageContaining("to itself");
    }

    @Test
    void derivedNamesMustFitFifteenCharacters() {
        assertProblems(LabSpec.builder("abcdef").host("host12345").ovsSwitch("switch123").link("host12345", "switch123"),
                problems -> assertThat(texts(problems)).containsExactly(
                        "hosts.host12345: the namespace of host host12345 would be named abcdef-host12345, 16 characters;"
                                + " Linux allows 15. Use a shorter lab name (abcdef) or node name (host12345)",
                        "switches.switch123: the bridge of switch switch123 would be named abcdef-switch123, 16 characters;"
                                + " Linux allows 15. Use a shorter lab name (abcdef) or node name (switch123)"));
        // Namespace and bridge fit; the port devices, three characters longer, do not.
        assertProblems(LabSpec.builder("abcdef").host("host1234").ovsSwitch("sw12345").link("host1234", "sw12345"),
                problems -> assertThat(texts(problems)).containsExactly(
                        "links[0].a: the interface eth0 of host host1234 (while in the root namespace) would be named"
                                + " abcdef-host1234-e0, 18 characters; Linux allows 15. Use a shorter lab name (abcdef) or"
                                + " node name (host1234)",
                        "links[0].b: the port 1 of switch sw12345 would be named abcdef-sw12345-e1, 17 characters;"
                                + " Linux allows 15. Use a shorter lab name (abcdef) or node name (sw12345)"));
        // The same nodes fit under a shorter lab name.
        assertThat(LabSpec.builder("a").host("host12345").ovsSwitch("switch123").link("host12345", "switch123").build()
                .names().port("host12345", 0)).isEqualTo("a-host12345-e0");
    }

    @Test
    void derivedNamesMustNotCollide() {
        // Switch "s1-e1"'s bridge is p-s1-e1, the name of switch s1's port 1.
        assertProblems(LabSpec.builder("p").ovsSwitch("s1").ovsSwitch("s1-e1").link("s1", "s1-e1"),
                problems -> assertThat(texts(problems)).containsExactly(
                        "links[0].a: the port 1 of switch s1 would be named p-s1-e1, as is the bridge of switch s1-e1;"
                                + " rename one of the nodes"));
    }

    @Test
    void theLabNameIsChecked() {
        assertProblems(seed().name("Seed-1"), problems -> assertThat(problems).extracting(Problem::path).containsExactly("name"));
        assertThatThrownBy(() -> seed().build().withName("toolong")).isInstanceOf(LabSpecException.class);
        assertThat(seed().build().withName("s2").names().namespace("net0")).isEqualTo("s2-net0");
    }

    @Test
    void addressesMustBeUsableAndUnique() {
        assertProblems(LabSpec.builder("a").host("h1").host("h2").host("h3").host("h4").linuxBridge("br")
                        .link(Link.veth(LinkEnd.of("h1").withAddresses("10.0.0.1/24", "fd00::1/64"), LinkEnd.of("br")))
                        .link(Link.veth(LinkEnd.of("h2").withAddresses("10.0.0.1/16", "fd00::1/128"), LinkEnd.of("br")))
                        .link(Link.veth(LinkEnd.of("h3").withAddresses("10.0.0.0/24", "10.0.1.255/24", "127.0.0.2/8"),
                                LinkEnd.of("br")))
                        .link(Link.veth(LinkEnd.of("h4").withAddresses("224.0.0.1/4", "0.0.0.0/0", "10.0.2.0/31"),
                                LinkEnd.of("br"))),
                problems -> assertThat(texts(problems)).containsExactly(
                        "links[1].a.addresses[0]: address 10.0.0.1 of h2:eth0 is already on h1:eth0",
                        "links[1].a.addresses[1]: address fd00::1 of h2:eth0 is already on h1:eth0",
                        "links[2].a.addresses[0]: 10.0.0.0/24 is the network address of its subnet; hosts are numbered from 10.0.0.1",
                        "links[2].a.addresses[1]: 10.0.1.255/24 is the broadcast address of its subnet 10.0.1.0/24",
                        "links[2].a.addresses[2]: 127.0.0.2/8 is a loopback address; every namespace has its own lo",
                        "links[3].a.addresses[0]: 224.0.0.1/4 is a multicast address",
                        "links[3].a.addresses[1]: 0.0.0.0/0 is the unspecified address"));
        assertThatThrownBy(() -> LinkEnd.of("h1").withAddresses("10.0.0.1/24", "10.0.0.1/24")).hasMessageContaining("twice");
    }

    @Test
    void ipv6NeedsAnMtuOf1280() {
        assertProblems(LabSpec.builder("a").host("h1").host("h2")
                        .link(Link.veth(LinkEnd.of("h1").withAddresses("fd00::1/64"), LinkEnd.of("h2")).withMtu(1000)),
                problems -> assertThat(texts(problems)).containsExactly(
                        "links[0].mtu: link h1<->h2 has IPv6 addresses, which need an mtu of at least 1280, not 1000"));
        assertThatThrownBy(() -> Link.veth("h1", "h2").withMtu(67)).hasMessageContaining("outside 68..65535");
    }

    @Test
    void gatewaysAndRoutesGoThroughOwnSubnets() {
        assertProblems(LabSpec.builder("a")
                        .host(Host.named("h1").withGateway("10.0.9.1").withRoutes(List.of(
                                LabValues.route("10.9.0.0/16", "10.0.8.1"), LabValues.route("default", "10.0.8.254"),
                                LabValues.route("10.9.0.0/16", "10.0.8.253"), LabValues.route("fd01::/64", "fd00::99"))))
                        .host(Host.named("h2").withGateway("10.0.8.1"))
                        .host(Host.named("h3").withGateway("10.0.8.9"))
                        .linuxBridge("br")
                        .link(Link.veth(LinkEnd.of("h1").withAddresses("10.0.8.1/24", "fd00::1/64"), LinkEnd.of("br")))
                        .link(Link.veth(LinkEnd.of("h2").withAddresses("10.0.8.2/24"), LinkEnd.of("br"))),
                problems -> assertThat(texts(problems)).containsExactly(
                        "hosts.h1.gateway: gateway 10.0.9.1 is not in any subnet of host h1 (10.0.8.1/24, fd00::1/64)",
                        "hosts.h1.routes[0].via: route to 10.9.0.0/16 via 10.0.8.1 is host h1's own address",
                        "hosts.h1.routes[1].to: host h1 has a gateway, which is its default route already",
                        "hosts.h1.routes[2].to: host h1 already has a route to 10.9.0.0/16 (routes[0])",
                        "hosts.h3.gateway: gateway 10.0.8.9 is not in any subnet of host h3 (it has no addresses)"));
        assertThatThrownBy(() -> LabValues.route("10.9.0.1/16", "10.0.8.1")).hasMessageContaining("did you mean 10.9.0.0/16?");
        assertThatThrownBy(() -> LabValues.route("fd01::/64", "10.0.8.1")).hasMessageContaining("of the other address family");
        assertThat(LabValues.route("default", "fd00::1").destination()).isEqualTo(Cidr.parse("::/0"));
    }

    @Test
    void datapathIdsAreUnique() {
        assertProblems(LabSpec.builder("a").addSwitch(OvsSwitch.named("s1").withDatapathId(1))
                        .addSwitch(OvsSwitch.named("s2").withDatapathId(1)),
                problems -> assertThat(texts(problems)).containsExactly(
                        "switches.s2.datapathId: datapath id 0000000000000001 is also switch s1's"));
    }

    @Test
    void kernelNeedsFollowWhatIsUsed() {
        LabSpec lab = LabSpec.builder("a").host("h1").host("h2").ovsSwitch("s1")
                .link(Link.veth("h1", "s1").withRate(Rate.parse("10mbit")))
                .link(Link.veth(LinkEnd.of("h2").withAddresses("fd00::2/64"), LinkEnd.of("s1")).withQueue(50))
                .build();
        assertThat(lab.kernelNeeds()).containsExactlyInAnyOrder(KernelNeed.NETNS, KernelNeed.VETH,
                KernelNeed.OPENVSWITCH, KernelNeed.HTB, KernelNeed.IPV6);
        LabSpec delayed = lab.toBuilder().link(Link.veth("h1", "h2").withLoss(1)).build();
        assertThat(delayed.kernelNeeds()).contains(KernelNeed.NETEM);
    }

    @Test
    void warningsNameLoopsOfFloodingSwitchesAndLonelyHosts() {
        LabSpec.Builder triangle = LabSpec.builder("a").host("h9").ovsSwitch("s1").ovsSwitch("s2").linuxBridge("br3")
                .ovsSwitch("s4").link("s1", "s2").link("s2", "br3").link("br3", "s1").link("s4", "s1");
        assertThat(triangle.build().warnings()).containsExactly(
                "switches br3, s1, s2, s4 are joined in a loop and flood without STP or a controller: a broadcast storm;"
                        + " set stp: true on them or give them a controller",
                "host h9 has no links: its namespace will have only lo");

        LabSpec controlled = triangle.build().withController("tcp:127.0.0.1:6653");
        assertThat(controlled.warnings()).containsExactly("host h9 has no links: its namespace will have only lo");

        LabSpec twoLinks = LabSpec.builder("a").ovsSwitch("s1").ovsSwitch("s2").link("s1", "s2").link("s2", "s1").build();
        assertThat(twoLinks.warnings()).hasSize(1);
        LabSpec withStp = LabSpec.builder("a").addSwitch(OvsSwitch.named("s1").withStp(true)).ovsSwitch("s2")
                .link("s1", "s2").link("s2", "s1").build();
        assertThat(withStp.warnings()).isEmpty();
    }

    @Test
    void floodingLoopsListTheSwitchesOfEachLoopedGroup() {
        LabSpec twoLoops = LabSpec.builder("a").ovsSwitch("s1").ovsSwitch("s2").ovsSwitch("s10").linuxBridge("b1")
                .linuxBridge("b2").ovsSwitch("s3")
                .link("s10", "s2").link("s2", "s1").link("s1", "s10").link("b1", "b2").link("b2", "b1").link("s3", "s1")
                .build();
        assertThat(twoLoops.floodingLoops()).containsExactly(List.of("b1", "b2"), List.of("s1", "s2", "s3", "s10"));
        assertThat(twoLoops.withController("tcp:127.0.0.1:6653").floodingLoops()).containsExactly(List.of("b1", "b2"));
        assertThat(LabSpec.builder("a").ovsSwitch("s1").ovsSwitch("s2").link("s1", "s2").build().floodingLoops()).isEmpty();
        assertThat(Topologies.parse("ring,4").floodingLoops()).containsExactly(List.of("s1", "s2", "s3", "s4"));
        assertThat(Topologies.parse("tree,2,3").floodingLoops()).isEmpty();
    }

    @Test
    void withControllerSetsEveryOvsSwitchAndLeavesBridges() {
        LabSpec lab = seed().addSwitch(OvsSwitch.named("s1").withFailMode(FailMode.STANDALONE)).ovsSwitch("s2").build();
        assertThat(((OvsSwitch) lab.findSwitch("s2").orElseThrow()).effectiveFailMode()).isEqualTo(FailMode.STANDALONE);

        LabSpec controlled = lab.withController("tcp:[::1]:6633");

        OvsSwitch s1 = (OvsSwitch) controlled.findSwitch("s1").orElseThrow();
        OvsSwitch s2 = (OvsSwitch) controlled.findSwitch("s2").orElseThrow();
        assertThat(s1.controller()).map(Object::toString).contains("tcp:[::1]:6633");
        assertThat(s1.effectiveFailMode()).isEqualTo(FailMode.STANDALONE); // written, so kept
        assertThat(s2.effectiveFailMode()).isEqualTo(FailMode.SECURE);     // Mininet's default with a controller
        assertThat(controlled.findSwitch("br0")).isEqualTo(lab.findSwitch("br0"));
        assertThat(lab.findSwitch("s2").map(s -> ((OvsSwitch) s).controller().isEmpty())).contains(true);
        assertThatThrownBy(() -> lab.withController("tcp:ctl.example:6653")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void specsAreImmutableValues() {
        LabSpec lab = seed().build();
        assertThat(lab).isEqualTo(seed().build()).hasSameHashCodeAs(seed().build());
        assertThatThrownBy(() -> lab.hosts().add(Host.named("x"))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> lab.links().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> lab.wiring().get(0).a().addresses().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> lab.kernelNeeds().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(lab).hasToString("LabSpec[seed: 2 hosts, 1 switches, 2 links]");
    }

    @Test
    void recordsCheckThemselves() {
        assertThatThrownBy(() -> Host.named("bad name")).hasMessageContaining("node name 'bad name'");
        assertThatThrownBy(() -> OvsSwitch.named("s1").withProtocols(List.of())).hasMessageContaining("at least one");
        assertThatThrownBy(() -> OvsSwitch.named("s1").withProtocols(List.of(OpenFlowVersion.OF13, OpenFlowVersion.OF13)))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> OvsSwitch.named("s1").withDatapathId(0)).hasMessageContaining("0 is not allowed");
        assertThatThrownBy(() -> LinkEnd.of("s1").withPort(0)).hasMessageContaining("outside 1..65279");
        assertThatThrownBy(() -> LinkEnd.of("s1").withPort(0xff00)).hasMessageContaining("outside 1..65279");
        assertThatThrownBy(() -> LinkEnd.of("h1").withInterface("lo")).hasMessageContaining("loopback");
    }
}
