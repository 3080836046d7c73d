package dev.switchboard.lab.spec;

import dev.switchboard.hostnet.Cidr;
import dev.switchboard.hostnet.IpAddresses;
import dev.switchboard.hostnet.Shaping;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Addresses, prefixes, rates, delays, losses, controller targets and datapath ids, as text. */
class ValuesTest {

    @ParameterizedTest
    @CsvSource({
            "10.0.8.1/24, 10.0.8.1/24",
            "0.0.0.0/0, 0.0.0.0/0",
            "fd00::1/64, fd00::1/64",
            "FD00:0:0:0:0:0:0:1/64, fd00::1/64",
            "2001:db8:0:0:1:0:0:1/48, 2001:db8::1:0:0:1/48",
            "2001:db8:0:1:1:1:1:1/64, 2001:db8:0:1:1:1:1:1/64",
            "::/0, ::/0",
            "::1.2.3.4/128, ::102:304/128",
            "fe80::1/10, fe80::1/10"})
    void cidrsParseStrictlyAndPrintCanonically(String text, String canonical) {
        assertThat(LabValues.cidr(text).toString()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.8.1", "10.0.8.1/", "10.0.8.1/33", "10.0.8.01/24", "010.0.8.1/24", "10.0.8/24",
            "10.0.8.1.5/24", "10.0.8.256/24", "10.0.8.1/024", "localhost/8", "example.com/24", "fd00::1/129",
            "fd00:::1/64", "fd00::1::2/64", "fe80::1%eth0/64", "::ffff:10.0.0.1/128", "1:2:3:4:5:6:7:8:9/64",
            "12345::/64", "g::1/64", " 10.0.8.1/24", "10.0.8.1/-1", "/24"})
    void cidrsRejectAnythingButLiterals(String text) {
        assertThatThrownBy(() -> LabValues.cidr(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.strip().isEmpty() ? "" : "'");
    }

    @Test
    void cidrArithmetic() {
        Cidr c = LabValues.cidr("10.0.8.77/24");
        assertThat(c.network()).isEqualTo(Cidr.parse("10.0.8.0/24"));
        assertThat(c.isNetwork()).isFalse();
        assertThat(IpAddresses.format(c.lastAddress())).isEqualTo("10.0.8.255");
        assertThat(c.contains(LabValues.address("10.0.8.254"))).isTrue();
        assertThat(c.contains(LabValues.address("10.0.9.1"))).isFalse();
        assertThat(c.contains(LabValues.address("fd00::1"))).isFalse();
        assertThat(c.overlaps(Cidr.parse("10.0.0.0/16"))).isTrue();
        assertThat(c.overlaps(Cidr.parse("10.0.9.0/24"))).isFalse();
        assertThat(Cidr.parse("fd00::5/64").network()).isEqualTo(Cidr.parse("fd00::/64"));
        assertThat(Cidr.parse("10.0.8.1/24")).isEqualTo(Cidr.parse("10.0.8.1/24")).hasSameHashCodeAs(Cidr.parse("10.0.8.1/24"));
    }

    @ParameterizedTest
    @CsvSource({
            "10mbit, 10000000, 10mbit",
            "500kbit, 500000, 500kbit",
            "1gbit, 1000000000, 1gbit",
            "1.5mbit, 1500000, 1500kbit",
            "10Mbit, 10000000, 10mbit",
            "64kibit, 65536, 65536bit",
            "100, 100000000, 100mbit",
            "0.5, 500000, 500kbit",
            "9600bit, 9600, 9600bit"})
    void ratesFollowTcUnitsAndMininetsBareMegabits(String text, long bits, String tc) {
        Rate rate = Rate.parse(text);
        assertThat(rate.bitsPerSecond()).isEqualTo(bits);
        assertThat(rate.toTc()).isEqualTo(tc);
    }

    @Test
    void byteRatesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> Rate.parse("100mbps")).hasMessageContaining("counts bytes").hasMessageContaining("100mbit");
        assertThatThrownBy(() -> Rate.parse("10 furlongs")).hasMessageContaining("units: bit, kbit");
        assertThatThrownBy(() -> Rate.parse("mbit")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Rate.parse("0kbit")).hasMessageContaining("below 1 bit/s");
        assertThatThrownBy(() -> Rate.parse("-1mbit")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Rate.parse("99999999999tbit")).hasMessageContaining("too large");
    }

    @ParameterizedTest
    @CsvSource({"5ms, 5ms", "2msec, 2ms", "500us, 500us", "0.5ms, 500us", "1s, 1s", "1.5sec, 1500ms", "0ms, 0ms",
            "1000ms, 1s"})
    void delaysFollowTcTimeUnits(String text, String tc) {
        assertThat(LabValues.formatDelay(LabValues.delay(text))).isEqualTo(tc);
    }

    @Test
    void delaysNeedAUnitAndStayBelowAMinute() {
        assertThatThrownBy(() -> LabValues.delay("5")).hasMessageContaining("unit is required");
        assertThatThrownBy(() -> LabValues.delay("5 days")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LabValues.delay("61s")).hasMessageContaining("longer than 60s");
        assertThat(LabValues.delay("60s")).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void lossIsAPercentage() {
        assertThat(LabValues.loss("1")).isEqualTo(1.0);
        assertThat(LabValues.loss("0.5%")).isEqualTo(0.5);
        assertThat(LabValues.loss("100")).isEqualTo(100.0);
        assertThatThrownBy(() -> LabValues.loss("100.1")).hasMessageContaining("over 100%");
        assertThatThrownBy(() -> LabValues.loss("-1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Link.veth("h1", "h2").withLoss(101)).hasMessageContaining("outside 0..100");
        assertThatThrownBy(() -> Link.veth("h1", "h2").withQueue(0)).hasMessageContaining("at least 1 packet");
    }

    @Test
    void shapingDescribesItself() {
        Link link = Link.veth("h1", "h2");
        Link shaped = link.withRate(Rate.parse("10mbit")).withDelay(Duration.ofMillis(2)).withLoss(1.5).withQueue(100);
        Shaping s = shaped.shaping().orElseThrow();
        assertThat(LabValues.describe(s)).isEqualTo("rate 10mbit delay 2ms loss 1.5% queue 100");
        assertThat(shaped).hasToString("h1<->h2 rate 10mbit delay 2ms loss 1.5% queue 100");
        assertThat(s.limiter()).as("Mininet's TCLink shapes with HTB").isEqualTo(Shaping.RateLimiter.HTB);
        assertThat(s.needsNetem()).isTrue();
        assertThat(link.withRate(Rate.ofMegabits(1)).shaping().orElseThrow().needsNetem()).isFalse();
        assertThat(link.withLoss(0).shaping().orElseThrow().needsNetem()).isFalse();
        assertThat(link.withDelay(Duration.ZERO).shaping().orElseThrow().needsNetem()).isTrue();
        assertThat(link.shaping()).isEmpty();
        assertThatThrownBy(() -> link.withDelay(Duration.ofSeconds(61))).hasMessageContaining("outside 0..60s");
    }

    @ParameterizedTest
    @CsvSource({
            "tcp:127.0.0.1:6653, tcp:127.0.0.1:6653",
            "tcp:127.0.0.1, tcp:127.0.0.1:6653",
            "tcp:10.1.2.3:6633, tcp:10.1.2.3:6633",
            "tcp:[::1]:6653, tcp:[::1]:6653",
            "tcp:[fd00:0::1], tcp:[fd00::1]:6653"})
    void controllerTargetsAreTcpToALiteral(String text, String canonical) {
        assertThat(ControllerTarget.parse(text).toString()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp:localhost:6653", "127.0.0.1:6653", "ssl:127.0.0.1:6653", "tcp:127.0.0.1:0",
            "tcp:127.0.0.1:65536", "tcp:::1:6653", "tcp:[127.0.0.1]:6653", "tcp:[::1", "tcp:127.0.0.1:66x", "ptcp:6653"})
    void controllerTargetsRefuseNamesAndOtherForms(String text) {
        assertThatThrownBy(() -> ControllerTarget.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text);
    }

    @Test
    void datapathIdsAreHex() {
        assertThat(OvsSwitch.parseDatapathId("0000000000000010")).isEqualTo(16);
        assertThat(OvsSwitch.parseDatapathId("0x1f")).isEqualTo(31);
        assertThat(OvsSwitch.parseDatapathId("00:00:00:00:00:00:00:0a")).isEqualTo(10);
        assertThat(OvsSwitch.parseDatapathId("ffffffffffffffff")).isEqualTo(-1L);
        assertThat(OvsSwitch.formatDatapathId(12)).isEqualTo("000000000000000c");
        assertThatThrownBy(() -> OvsSwitch.parseDatapathId("0")).hasMessageContaining("zero");
        assertThatThrownBy(() -> OvsSwitch.parseDatapathId("10000000000000000")).hasMessageContaining("1 to 16 hex digits");
        assertThatThrownBy(() -> OvsSwitch.parseDatapathId("s1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void naturalOrderIsMininets() {
        java.util.List<String> names = new java.util.ArrayList<>(java.util.List.of("h10", "h2", "h1s2", "h1", "s1", "h2s1", "h1s10"));
        names.sort(NaturalOrder.INSTANCE);
        assertThat(names).containsExactly("h1", "h1s2", "h1s10", "h2", "h2s1", "h10", "s1");
    }
}
