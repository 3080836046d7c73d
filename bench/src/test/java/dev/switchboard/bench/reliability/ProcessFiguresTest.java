package dev.switchboard.bench.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessFiguresTest {

    @Test
    void countsTheEstablishedConnectionsAcceptedOnAPort() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            assertThat(ProcessFigures.established(port)).isZero();
            try (Socket a = new Socket(InetAddress.getLoopbackAddress(), port); Socket accepted = server.accept();
                    Socket b = new Socket(InetAddress.getLoopbackAddress(), port); Socket acceptedToo = server.accept()) {
                // the clients' ends have the port as remote, not local: only the two accepted ones count
                assertThat(ProcessFigures.established(port)).isEqualTo(2);
            }
        }
    }

    @Test
    void readsThisProcesssThreadsAndFds() {
        long self = ProcessHandle.current().pid();
        assertThat(ProcessFigures.threads(self)).isEqualTo(ProcessFigures.status(self, "Threads")).isPositive();
        assertThat(ProcessFigures.fds(self)).isGreaterThan(2);
        assertThat(ProcessFigures.fdKinds(self).values().stream().mapToLong(Long::longValue).sum()).isPositive();
    }

    @Test
    void namesWhatDiffersBetweenTwoCounts() {
        assertThat(ProcessFigures.difference(Map.of("loop-#", 1L, "gc", 2L), Map.of("loop-#", 2L, "gc", 2L, "new", 1L)))
                .isEqualTo("+1 loop-#, +1 new");
        assertThat(ProcessFigures.difference(Map.of("socket", 3L), Map.of("socket", 3L))).isEqualTo("none");
    }
}
