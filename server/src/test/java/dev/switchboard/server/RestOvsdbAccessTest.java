package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ovsdb.jsonrpc.JsonRpcException;
import dev.switchboard.ovsdb.ops.OvsdbTransactionException;
import dev.switchboard.ovsdb.vswitch.Change;
import dev.switchboard.ovsdb.vswitch.InterfaceType;
import dev.switchboard.ovsdb.vswitch.VSwitchException;
import dev.switchboard.rest.ApiException;
import dev.switchboard.rest.OvsChange;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** How the API's OVSDB changes become the typed layer's, and how OVSDB failures become statuses. */
class RestOvsdbAccessTest {

    @Test
    void serverIdsAreOnePathSegment() {
        assertThat(RestOvsdbAccess.id("unix:/var/run/openvswitch/db.sock")).isEqualTo("unix__var_run_openvswitch_db.sock");
        assertThat(RestOvsdbAccess.id("tcp:10.0.0.1:6640")).isEqualTo("tcp_10.0.0.1_6640");
    }

    @Test
    void changesMapToTheTypedLayer() {
        Change port = RestOvsdbAccess.change(new OvsChange.AddPort("br1", "vx1", "vxlan",
                Map.of("remote_ip", "10.0.0.2", "key", "42"), 7L, List.of(), true));
        assertThat(port).isInstanceOfSatisfying(Change.AddPort.class, add -> {
            assertThat(add.port().type()).isEqualTo(InterfaceType.of("vxlan"));
            assertThat(add.port().options()).containsEntry("remote_ip", "10.0.0.2").containsEntry("key", "42");
            assertThat(add.port().tag()).isEqualTo(7L);
            assertThat(add.mayExist()).isTrue();
        });
        assertThat(RestOvsdbAccess.change(new OvsChange.SetFailMode("br1", "standalone")))
                .isInstanceOfSatisfying(Change.ConfigureBridge.class, c -> assertThat(c.bridge().failMode()).isEqualTo("standalone"));
        assertThat(RestOvsdbAccess.change(new OvsChange.AddBridge("br1", "netdev", "secure", List.of("OpenFlow13"), null, false)))
                .isInstanceOfSatisfying(Change.AddBridge.class, add -> {
                    assertThat(add.bridge().datapathType()).isEqualTo("netdev");
                    assertThat(add.bridge().protocols()).containsExactly("OpenFlow13");
                });
    }

    /** PortSpec is the one place that knows what a port type needs; its refusal names the request's field. */
    @Test
    void aPortSpecRefusalNamesTheField() {
        assertThat(refusedField(new OvsChange.AddPort("br1", "vx1", "vxlan", Map.of("key", "42"), null, List.of(), false)))
                .isEqualTo("options.remote_ip");
        assertThat(refusedField(new OvsChange.AddPort("br1", "gn1", "geneve", Map.of(), null, List.of(), false)))
                .isEqualTo("options.remote_ip");
        assertThat(refusedField(new OvsChange.AddPort("br1", "pp1", "patch", Map.of(), null, List.of(), false)))
                .isEqualTo("options.peer");
        assertThat(refusedField(new OvsChange.AddPort("br1", "p1", "system", Map.of(), 5000L, List.of(), false)))
                .isEqualTo("tag");
        // The field comes from the refusal itself, not from its text: a port may be named after another field.
        assertThat(refusedField(new OvsChange.AddPort("br1", "remote_ip", "patch", Map.of(), null, List.of(), false)))
                .isEqualTo("options.peer");
    }

    private static String refusedField(OvsChange change) {
        try {
            RestOvsdbAccess.change(change);
        } catch (IllegalArgumentException e) {
            return RestOvsdbAccess.field(e);
        }
        throw new AssertionError("PortSpec took " + change);
    }

    @Test
    void failuresBecomeStatusesWithTheServersWordsEscapedAndNoJavaText() {
        assertThat(status(new VSwitchException("no bridge named br9"))).isEqualTo(404);
        assertThat(status(new VSwitchException("bridge br1 already exists"))).isEqualTo(409);
        assertThat(status(new VSwitchException("waited", new TimeoutException("slow")))).isEqualTo(504);
        ApiException refused = RestOvsdbAccess.error("tcp:h\n1", new CompletionException(
                new OvsdbTransactionException(0, null, "constraint violation", "evil\ntext")));
        assertThat(refused.status()).isEqualTo(502);
        assertThat(refused.getMessage()).doesNotContain("\n").contains("constraint violation").contains("tcp:h\\n1");
        assertThat(status(new JsonRpcException("connection closed"))).isEqualTo(502);
        ApiException internal = RestOvsdbAccess.error("s", new NullPointerException("secret"));
        assertThat(internal.status()).isEqualTo(500);
        assertThat(internal.getMessage()).doesNotContain("secret").doesNotContain("NullPointer");
    }

    private static int status(Throwable failure) {
        return RestOvsdbAccess.error("unix:/tmp/db.sock", failure).status();
    }
}
