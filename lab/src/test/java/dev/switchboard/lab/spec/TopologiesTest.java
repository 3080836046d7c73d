package dev.switchboard.lab.spec;

import dev.switchboard.hostnet.Cidr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing {@code --topo} strings; the shapes themselves are checked against Mininet in {@link MininetTopologiesTest}. */
class TopologiesTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "minimal; 2; 1; 2",
            "single; 2; 1; 2",
            "single,4; 4; 1; 4",
            "single,k=5; 5; 1; 5",
            "linear; 2; 2; 3",
            "linear,4; 4; 4; 7",
            "linear,3,2; 6; 3; 8",
            "linear, n=2 ,k=3; 6; 3; 8",
            "tree; 2; 1; 2",
            "tree,2,3; 9; 4; 12",
            "tree,3,2; 8; 7; 14",
            "tree,fanout=3; 3; 1; 3",
            "ring; 3; 3; 6",
            "ring,4; 4; 4; 8",
            "ring,4,2; 8; 4; 12"})
    void sizes(String topo, int hosts, int switches, int links) {
        LabSpec lab = Topologies.parse(topo);
        assertThat(lab.hosts()).hasSize(hosts);
        assertThat(lab.switches()).hasSize(switches);
        assertThat(lab.links()).hasSize(links);
        assertThat(lab.name()).isEqualTo("mn");
    }

    @Test
    void linearInterleavesHostsAndSwitchLinksAsMininetDoes() {
        assertThat(Topologies.parse("linear,3").links()).extracting(l -> l.a().node() + "-" + l.b().node())
                .containsExactly("h1-s1", "h2-s2", "s2-s1", "h3-s3", "s3-s2");
        assertThat(Topologies.parse("linear,2,2").hosts()).extracting(Host::name).containsExactly("h1s1", "h2s1", "h1s2", "h2s2");
    }

    @Test
    void treeRecursesDepthFirst() {
        assertThat(Topologies.parse("tree,2,2").links()).extracting(l -> l.a().node() + "-" + l.b().node())
                .containsExactly("s2-h1", "s2-h2", "s1-s2", "s3-h3", "s3-h4", "s1-s3");
    }

    @Test
    void ringIsLinearClosed() {
        LabSpec ring = Topologies.parse("ring,4");
        assertThat(ring.links().subList(0, 7)).isEqualTo(Topologies.parse("linear,4").links());
        assertThat(ring.links().get(7)).isEqualTo(Link.veth("s4", "s1"));
        assertThat(ring.describe().links()).contains("s1:3<->s4:3");
        assertThat(ring.warnings()).singleElement().asString().startsWith("switches s1, s2, s3, s4 are joined in a loop");
        assertThat(ring.withController("tcp:127.0.0.1:6653").warnings()).isEmpty();
    }

    @Test
    void switchesAreStandaloneOvsWithMininetsDatapathIds() {
        LabSpec lab = Topologies.parse("tree,2,4");
        OvsSwitch s5 = (OvsSwitch) lab.findSwitch("s5").orElseThrow();
        assertThat(s5.datapathIdHex()).contains("0000000000000005");
        assertThat(s5.controller()).isEmpty();
        assertThat(s5.effectiveFailMode()).isEqualTo(FailMode.STANDALONE);
        assertThat(lab.kernelNeeds()).containsExactlyInAnyOrder(KernelNeed.NETNS, KernelNeed.VETH, KernelNeed.OPENVSWITCH);
        LabSpec controlled = lab.withController("tcp:127.0.0.1:6653");
        assertThat(controlled.switches()).allSatisfy(s -> assertThat(((OvsSwitch) s).effectiveFailMode()).isEqualTo(FailMode.SECURE));
    }

    @Test
    void hostsGetMininetAddressesInNaturalOrderOnEth0() {
        LabSpec lab = Topologies.parse("single,12");
        assertThat(lab.portsOf("h10")).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("eth0");
            assertThat(p.addresses()).containsExactly(Cidr.parse("10.0.0.10/8"));
        });
        assertThat(Topologies.parse("linear,2,2").portsOf("h1s2").get(0).addresses()).containsExactly(Cidr.parse("10.0.0.2/8"));
    }

    @Test
    void theLabNameIsTheCallers() {
        LabSpec lab = Topologies.parse("single,2", "exp1");
        assertThat(lab.name()).isEqualTo("exp1");
        assertThat(lab.wiring().get(0).b().rootName()).isEqualTo("exp1-s1-e1");
        assertThatThrownBy(() -> Topologies.parse("single", "Bad")).isInstanceOf(LabSpecException.class);
    }

    @Test
    void badArgumentsAreExplained() {
        assertThat(Topologies.usage()).containsExactly("minimal", "single[,k]", "linear[,k[,n]]", "tree[,depth[,fanout]]",
                "ring[,k[,n]]");
        assertThatThrownBy(() -> Topologies.parse("star,3"))
                .hasMessage("unknown topology 'star'; known: minimal, single[,k], linear[,k[,n]], tree[,depth[,fanout]], ring[,k[,n]]");
        assertThatThrownBy(() -> Topologies.parse("single,2,3")).hasMessage("topology single takes at most 1 argument(s): single[,k]");
        assertThatThrownBy(() -> Topologies.parse("tree,width=3")).hasMessage(
                "topology tree has no argument 'width'; usage: tree[,depth[,fanout]]");
        assertThatThrownBy(() -> Topologies.parse("tree,2,depth=3")).hasMessage("topology tree: argument depth is given twice");
        assertThatThrownBy(() -> Topologies.parse("linear,0")).hasMessage("topology linear: k must be at least 1, not 0");
        assertThatThrownBy(() -> Topologies.parse("ring,2")).hasMessage("topology ring: k must be at least 3, not 2");
        assertThatThrownBy(() -> Topologies.parse("single,2.5")).hasMessage("topology single: k must be a whole number, not '2.5'");
        assertThatThrownBy(() -> Topologies.parse("minimal,3")).hasMessage("topology minimal takes at most 0 argument(s): minimal");
        assertThatThrownBy(() -> Topologies.parse("tree,10,10")).hasMessage("tree,10,10 is more than 4096 nodes");
        assertThatThrownBy(() -> Topologies.parse("single,5000")).hasMessage("5000 hosts and 1 switches is more than 4096 nodes");
    }

    @Test
    void largeTopologiesStillFitTheNameLimit() {
        LabSpec lab = Topologies.parse("tree,2,63", "abcdef"); // 3969 hosts: abcdef-h3969-e0 is 15 characters
        assertThat(lab.hosts()).hasSize(3969);
        assertThat(lab.portsOf("h3969").get(0).rootName()).isEqualTo("abcdef-h3969-e0");
        assertThat(List.of(lab.describe().hosts().get(0))).containsExactly("h1 10.0.0.1/8");
    }
}
