package dev.switchboard.ovsdb.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ovsdb.jsonrpc.Endpoint.Kind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointTest {

    @Test
    void parsesUnix() {
        Endpoint endpoint = Endpoint.parse("unix:/var/run/openvswitch/db.sock");
        assertThat(endpoint).isEqualTo(new Endpoint(Kind.UNIX, null, 0, Path.of("/var/run/openvswitch/db.sock")));
        assertThat(endpoint.isPassive()).isFalse();
        assertThat(endpoint.isTls()).isFalse();
        assertThat(endpoint).hasToString("unix:/var/run/openvswitch/db.sock");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "tcp:127.0.0.1:6641      | TCP  | 127.0.0.1     | 6641 | tcp:127.0.0.1:6641",
        "tcp:ovs-host:6640       | TCP  | ovs-host      | 6640 | tcp:ovs-host:6640",
        "tcp:10.0.0.1            | TCP  | 10.0.0.1      | 6640 | tcp:10.0.0.1:6640",
        "tcp:[::1]:6642          | TCP  | ::1           | 6642 | tcp:[::1]:6642",
        "tcp:[fe80::1]           | TCP  | fe80::1       | 6640 | tcp:[fe80::1]:6640",
        "ssl:192.0.2.7:6643      | SSL  | 192.0.2.7     | 6643 | ssl:192.0.2.7:6643",
        "ssl:[2001:db8::2]:1     | SSL  | 2001:db8::2   | 1    | ssl:[2001:db8::2]:1",
    })
    void parsesActive(String text, Kind kind, String host, int port, String canonical) {
        Endpoint endpoint = Endpoint.parse(text);
        assertThat(endpoint.kind()).isEqualTo(kind);
        assertThat(endpoint.host()).isEqualTo(host);
        assertThat(endpoint.port()).isEqualTo(port);
        assertThat(endpoint.path()).isNull();
        assertThat(endpoint.isPassive()).isFalse();
        assertThat(endpoint.isTls()).isEqualTo(kind == Kind.SSL);
        assertThat(endpoint).hasToString(canonical);
        assertThat(Endpoint.parse(endpoint.toString())).isEqualTo(endpoint);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "ptcp:6640               | PTCP | -             | 6640  | ptcp:6640",
        "ptcp:0:127.0.0.1        | PTCP | 127.0.0.1     | 0     | ptcp:0:127.0.0.1",
        "ptcp:                   | PTCP | -             | 6640  | ptcp:6640",
        "ptcp::127.0.0.1         | PTCP | 127.0.0.1     | 6640  | ptcp:6640:127.0.0.1",
        "ptcp:6641:[::1]         | PTCP | ::1           | 6641  | ptcp:6641:[::1]",
        "pssl:6640:0.0.0.0       | PSSL | 0.0.0.0       | 6640  | pssl:6640:0.0.0.0",
        "pssl:65535              | PSSL | -             | 65535 | pssl:65535",
    })
    void parsesPassive(String text, Kind kind, String host, int port, String canonical) {
        Endpoint endpoint = Endpoint.parse(text.strip());
        assertThat(endpoint.kind()).isEqualTo(kind);
        assertThat(endpoint.host()).isEqualTo(host);
        assertThat(endpoint.port()).isEqualTo(port);
        assertThat(endpoint.isPassive()).isTrue();
        assertThat(endpoint.isTls()).isEqualTo(kind == Kind.PSSL);
        assertThat(endpoint).hasToString(canonical);
        assertThat(Endpoint.parse(endpoint.toString())).isEqualTo(endpoint);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                     | no \"kind:\" prefix",
        "127.0.0.1:6640         | unknown kind \"127.0.0.1\"",
        "udp:1.2.3.4:5          | unknown kind \"udp\"",
        "punix:/tmp/db.sock     | unknown kind \"punix\"",
        "unix:                  | the path is empty",
        "tcp:                   | host is missing",
        "tcp::6640              | host is missing",
        "tcp:1.2.3.4:           | bad port \"\"",
        "tcp:1.2.3.4:http       | bad port \"http\"",
        "tcp:1.2.3.4:-1         | bad port \"-1\"",
        "tcp:1.2.3.4:65536      | port 65536 is above 65535",
        "tcp:1.2.3.4:0          | cannot connect to port 0",
        "tcp:::1:6640           | IPv6 host goes in [brackets]",
        "tcp:fe80::1:6640       | IPv6 host goes in [brackets]",
        "tcp:[::1               | no ']'",
        "tcp:[::1]x             | after the IPv6 address",
        "tcp:[]:6640            | host is missing",
        "ssl:host name:6640     | host is missing or invalid",
        "ptcp:x                 | bad port \"x\"",
        "ptcp:6640:::1          | IPv6 host goes in [brackets]",
        "ptcp:6640:             | host is missing",
        "pssl:99999             | port 99999 is above 65535",
    })
    void rejectsWithAClearMessage(String text, String problem) {
        assertThatThrownBy(() -> Endpoint.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + text + "\"")
                .hasMessageContaining(problem)
                .hasMessageContaining("expected unix:PATH, tcp:HOST[:PORT], ssl:HOST[:PORT], ptcp:[PORT][:HOST] "
                        + "or pssl:[PORT][:HOST]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp:1.2.3.4:6640", "ssl:h:1", "unix:db.sock", "ptcp:0", "pssl:6640:[::]"})
    void roundTripsThroughTheFactories(String text) {
        Endpoint endpoint = Endpoint.parse(text);
        Endpoint built = switch (endpoint.kind()) {
            case UNIX -> Endpoint.unix(endpoint.path());
            case TCP -> Endpoint.tcp(endpoint.host(), endpoint.port());
            case SSL -> Endpoint.ssl(endpoint.host(), endpoint.port());
            case PTCP -> Endpoint.ptcp(endpoint.port(), endpoint.host());
            case PSSL -> Endpoint.pssl(endpoint.port(), endpoint.host());
        };
        assertThat(built).isEqualTo(endpoint).hasToString(text);
    }

    @Test
    void constructorRejectsInconsistentFields() {
        assertThatThrownBy(() -> new Endpoint(Kind.TCP, null, 6640, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Endpoint(Kind.TCP, "h", 0, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Endpoint(Kind.UNIX, "h", 0, Path.of("/x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Endpoint(Kind.PTCP, null, -1, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
