package dev.switchboard.hostnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The strict address parser and formatter; no kernel involved. */
class CidrTest {

    @ParameterizedTest
    @CsvSource({
            "10.0.8.1/24, 10.0.8.1/24, 10.0.8.0/24",
            "0.0.0.0/0, 0.0.0.0/0, 0.0.0.0/0",
            "255.255.255.255/32, 255.255.255.255/32, 255.255.255.255/32",
            "fd00:8::1/64, fd00:8::1/64, fd00:8::/64",
            "FD00:0008:0000:0000:0000:0000:0000:0001/64, fd00:8::1/64, fd00:8::/64",
            "::/0, ::/0, ::/0",
            "::1/128, ::1/128, ::1/128",
            "1::/16, 1::/16, 1::/16",
            "2001:db8:0:0:1:0:0:1/48, 2001:db8::1:0:0:1/48, 2001:db8::/48",
            "2001:0:0:1:0:0:0:1/64, 2001:0:0:1::1/64, 2001:0:0:1::/64",
            "2001:db8:1:2:3:4:5:6/127, 2001:db8:1:2:3:4:5:6/127, 2001:db8:1:2:3:4:5:6/127",
            "1:0:2:3:4:5:6:7/128, 1:0:2:3:4:5:6:7/128, 1:0:2:3:4:5:6:7/128",
            "::ffff:10.0.0.1/128, ::ffff:a00:1/128, ::ffff:a00:1/128",
            "10.0.8.77/25, 10.0.8.77/25, 10.0.8.0/25",
    })
    void parsesAndFormatsCanonically(String text, String canonical, String network) {
        Cidr cidr = Cidr.parse(text);
        assertThat(cidr).hasToString(canonical);
        assertThat(cidr.network()).hasToString(network);
        assertThat(cidr.isNetwork()).isEqualTo(canonical.equals(network));
        assertThat(Cidr.parse(canonical)).isEqualTo(cidr);
    }

    @Test
    void ipv4MappedStaysIpv6() {
        assertThat(IpAddresses.parse("::ffff:10.0.0.1")).isInstanceOf(Inet6Address.class);
        assertThat(Cidr.parse("::ffff:10.0.0.1/128").isIpv6()).isTrue();
    }

    @Test
    void containsAndDefaults() {
        assertThat(Cidr.parse("10.0.8.0/24").contains(IpAddresses.parse("10.0.8.200"))).isTrue();
        assertThat(Cidr.parse("10.0.8.0/24").contains(IpAddresses.parse("10.0.9.1"))).isFalse();
        assertThat(Cidr.parse("10.0.8.0/24").contains(IpAddresses.parse("fd00::1"))).isFalse();
        assertThat(Cidr.defaultRoute(false)).hasToString("0.0.0.0/0");
        assertThat(Cidr.defaultRoute(true)).hasToString("::/0");
        assertThat(Route.defaultVia(IpAddresses.parse("fd00::1")).destination()).isEqualTo(Cidr.parse("::/0"));
    }

    @Test
    void lastAddressOverlapsAndMappedAddresses() {
        assertThat(IpAddresses.format(Cidr.parse("10.0.8.77/24").lastAddress())).isEqualTo("10.0.8.255");
        assertThat(IpAddresses.format(Cidr.parse("fd00::5/126").lastAddress())).isEqualTo("fd00::7");
        assertThat(Cidr.parse("10.0.8.77/24").overlaps(Cidr.parse("10.0.0.0/16"))).isTrue();
        assertThat(Cidr.parse("10.0.0.0/16").overlaps(Cidr.parse("10.0.8.77/24"))).isTrue();
        assertThat(Cidr.parse("10.0.8.77/24").overlaps(Cidr.parse("10.0.9.0/24"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").overlaps(Cidr.parse("::/0"))).isFalse();
        assertThat(Cidr.parse("10.0.8.1/24").isIpv4()).isTrue();
        assertThat(IpAddresses.isIpv4Mapped(IpAddresses.parse("::ffff:10.0.0.1"))).isTrue();
        assertThat(IpAddresses.isIpv4Mapped(IpAddresses.parse("::10.0.0.1"))).isFalse();
        assertThat(IpAddresses.isIpv4Mapped(IpAddresses.parse("10.0.0.1"))).isFalse();
    }

    @Test
    void messagesNameTheTextAndTheProblem() {
        assertThatThrownBy(() -> IpAddresses.parse("fd00::1::2"))
                .hasMessage("'fd00::1::2' is not an IP address: '::' may appear only once");
        assertThatThrownBy(() -> IpAddresses.parse("1:2:3:4:5:6:7"))
                .hasMessage("'1:2:3:4:5:6:7' is not an IP address: an IPv6 address without '::' has eight groups, "
                        + "this has 7");
        assertThatThrownBy(() -> IpAddresses.parse("010.1.1.1"))
                .hasMessage("'010.1.1.1' is not an IP address: '010' has a leading zero");
        assertThatThrownBy(() -> IpAddresses.parse("fe80::1%eth0"))
                .hasMessage("'fe80::1%eth0' is not an IP address: zone indices are not accepted");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.1"))
                .hasMessage("'10.0.0.1' is not an address with prefix length like 10.0.8.1/24");
    }
}
