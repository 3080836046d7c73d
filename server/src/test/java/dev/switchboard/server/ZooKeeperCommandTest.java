package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZooKeeperCommandTest {

    @Test
    void anEnsembleMembersConfigListsEveryServerOnLoopbackWithTheAdminServerOff() {
        List<String> lines = ZooKeeperCommand.configLines(Path.of("/tmp/zk1"), 2181, List.of("2888:3888", "2889:3889", "2890:3890"));

        assertThat(lines).contains("dataDir=/tmp/zk1", "clientPort=2181", "clientPortAddress=127.0.0.1",
                "admin.enableServer=false", "server.1=127.0.0.1:2888:3888", "server.2=127.0.0.1:2889:3889",
                "server.3=127.0.0.1:2890:3890");
    }

    @Test
    void aServerAloneHasNoServerLines() {
        assertThat(ZooKeeperCommand.configLines(Path.of("/tmp/zk"), 2181, List.of())).noneMatch(line -> line.startsWith("server."));
    }

    @Test
    void aServerThatIsNotPeerColonElectionIsRefusedNamingIt() {
        assertThatThrownBy(() -> ZooKeeperCommand.configLines(Path.of("/tmp/zk"), 2181, List.of("2888")))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("'2888' is not PEER:ELECTION");
        assertThatThrownBy(() -> ZooKeeperCommand.configLines(Path.of("/tmp/zk"), 2181, List.of("2888:70000")))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("'70000' is not a port");
    }
}
