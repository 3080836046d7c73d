package dev.switchboard.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFNiciraControllerRole;
import org.projectfloodlight.openflow.protocol.OFNiciraControllerRoleReply;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFRoleReply;
import org.projectfloodlight.openflow.protocol.OFRoleRequestFailedCode;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.errormsg.OFRoleRequestFailedErrorMsg;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

/**
 * One datapath connected to two controllers through two emulated switches that share their
 * {@link ControllerRoles}: roles move as OVS moves them.
 */
class ControllerRolesTest {
    private static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);
    private static EventLoopGroup group;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void startGroup() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private record Link(EmulatedSwitch sw, TestController.Connection controller) {
    }

    /** A switch connection sharing {@code roles}, after HELLOs in {@code version}. */
    private Link connect(ControllerRoles roles, OFVersion version) throws Exception {
        TestController controller = new TestController(group);
        open.add(controller);
        EmulatedSwitch sw = EmulatedSwitch.prepare(EmulatedSwitchOptions.builder().datapathId(7)
                .helloVersion(version).supportedVersions(Set.of(version)).sendVersionBitmap(false).build())
                .withRoles(roles).connectTo(group, controller.address());
        open.add(sw);
        TestController.Connection c = controller.accept();
        c.next(OFHello.class);
        c.send(OFFactories.getFactory(version).buildHello().build());
        await().atMost(5, TimeUnit.SECONDS).until(() -> sw.negotiatedVersion() == version);
        return new Link(sw, c);
    }

    private static OFRoleReply ask(Link link, OFControllerRole role, long generationId) throws Exception {
        link.controller().send(OF13.buildRoleRequest().setXid(11).setRole(role).setGenerationId(U64.of(generationId)).build());
        return link.controller().next(OFRoleReply.class);
    }

    @Test
    void aNewMasterTurnsTheOldOneSlaveAndAnOlderGenerationIsRefusedAsStale() throws Exception {
        ControllerRoles roles = new ControllerRoles();
        List<String> heard = new CopyOnWriteArrayList<>();
        Link a = connect(roles, OFVersion.OF_13);
        Link b = connect(roles, OFVersion.OF_13);
        roles.addListener((connection, role) -> heard.add((connection == a.sw() ? "a " : "b ") + role));
        assertThat(a.sw().role()).isEqualTo(OFControllerRole.ROLE_EQUAL);

        OFRoleReply master = ask(a, OFControllerRole.ROLE_MASTER, 5);
        OFRoleReply slave = ask(b, OFControllerRole.ROLE_SLAVE, 5);

        assertThat(master.getRole()).isEqualTo(OFControllerRole.ROLE_MASTER);
        assertThat(master.getGenerationId()).isEqualTo(U64.of(5));
        assertThat(slave.getRole()).isEqualTo(OFControllerRole.ROLE_SLAVE);
        assertThat(roles.master()).containsSame(a.sw());
        assertThat(b.sw().sendPacketIn(OFPort.of(1), new byte[60])).as("a slave gets no packet-ins").isFalse();
        assertThat(a.sw().sendPacketIn(OFPort.of(1), new byte[60])).isTrue();
        a.controller().next(OFPacketIn.class);

        OFRoleReply takeover = ask(b, OFControllerRole.ROLE_MASTER, 6);

        assertThat(takeover.getRole()).isEqualTo(OFControllerRole.ROLE_MASTER);
        assertThat(a.sw().role()).isEqualTo(OFControllerRole.ROLE_SLAVE);
        assertThat(roles.master()).containsSame(b.sw());
        assertThat(heard).containsExactly("a ROLE_MASTER", "b ROLE_SLAVE", "a ROLE_SLAVE", "b ROLE_MASTER");

        a.controller().send(OF13.buildRoleRequest().setXid(12).setRole(OFControllerRole.ROLE_MASTER)
                .setGenerationId(U64.of(5)).build());
        OFRoleRequestFailedErrorMsg stale = a.controller().next(OFRoleRequestFailedErrorMsg.class);

        assertThat(stale.getCode()).isEqualTo(OFRoleRequestFailedCode.STALE);
        assertThat(stale.getXid()).isEqualTo(12);
        assertThat(a.sw().role()).as("refused: unchanged").isEqualTo(OFControllerRole.ROLE_SLAVE);
        assertThat(roles.generationId()).hasValue(6);

        b.sw().close();

        await().atMost(5, TimeUnit.SECONDS).until(() -> roles.master().isEmpty());
        assertThat(a.sw().role()).as("a closed master leaves the others as they were").isEqualTo(OFControllerRole.ROLE_SLAVE);
    }

    @Test
    void niciraRoleRequestsOnOpenFlow10MoveTheMasterWithoutAGenerationId() throws Exception {
        ControllerRoles roles = new ControllerRoles();
        Link a = connect(roles, OFVersion.OF_10);
        Link b = connect(roles, OFVersion.OF_10);
        OFFactory of10 = OFFactories.getFactory(OFVersion.OF_10);

        a.controller().send(of10.buildNiciraControllerRoleRequest().setXid(3).setRole(OFNiciraControllerRole.ROLE_MASTER).build());
        assertThat(a.controller().next(OFNiciraControllerRoleReply.class).getRole()).isEqualTo(OFNiciraControllerRole.ROLE_MASTER);
        b.controller().send(of10.buildNiciraControllerRoleRequest().setXid(4).setRole(OFNiciraControllerRole.ROLE_MASTER).build());
        assertThat(b.controller().next(OFNiciraControllerRoleReply.class).getRole()).isEqualTo(OFNiciraControllerRole.ROLE_MASTER);

        assertThat(a.sw().role()).isEqualTo(OFControllerRole.ROLE_SLAVE);
        assertThat(roles.generationId()).isEmpty();
        a.controller().send(of10.buildNiciraControllerRoleRequest().setXid(5).setRole(OFNiciraControllerRole.ROLE_OTHER).build());
        assertThat(a.controller().next(OFNiciraControllerRoleReply.class).getRole()).isEqualTo(OFNiciraControllerRole.ROLE_OTHER);
        assertThat(a.sw().role()).isEqualTo(OFControllerRole.ROLE_EQUAL);
    }
}
