package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkCheckTest {

    @Test
    void namespacesAreTheFirstWordOfEachLine() {
        assertThat(NetworkCheck.namespaces("bench-h2 (id: 3)\nbench-h1\n\nother (id: 0)\n"))
                .containsExactly("bench-h2", "bench-h1", "other");
    }

    @Test
    void linksLoseTheirPeer() {
        String out = "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT\\    link/loopback\n"
                + "7: bench-s1-e1@if6: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue\\    link/ether\n";
        assertThat(NetworkCheck.links(out)).containsExactly("lo", "bench-s1-e1");
    }

    @Test
    void interfacesWithoutAPortNumberCountAsNotSetUp() {
        Map<String, Integer> interfaces = NetworkCheck.interfaces("bench-s1,65534\n\"bench-s1-e1\",1\nbench-s1-e2,[]\n"
                + "bench-s1-e3,-1\ns1,65534\n");

        assertThat(interfaces).containsExactly(Map.entry("bench-s1", 65534), Map.entry("bench-s1-e1", 1),
                Map.entry("bench-s1-e2", 0), Map.entry("bench-s1-e3", -1), Map.entry("s1", 65534));
        assertThat(NetworkCheck.interfaceProblem(interfaces, n -> n.startsWith("bench-"), 4))
                .isEqualTo("expected 4 OVS interfaces, each with an OpenFlow port number, found 4, 2 without one, "
                        + "e.g. [bench-s1-e2, bench-s1-e3]");
        assertThat(NetworkCheck.interfaceProblem(interfaces, n -> n.equals("s1"), 1)).isEmpty();
        assertThat(NetworkCheck.interfaceProblem(interfaces, n -> n.startsWith("x-"), 0)).isEmpty();
        assertThat(NetworkCheck.interfaceProblem(interfaces, n -> n.startsWith("bench-s1-e1"), 0))
                .startsWith("expected 0 OVS interfaces");
    }
}
