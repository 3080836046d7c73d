package dev.switchboard.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A TCP port free now, for a process about to be started on it (another may take it meanwhile: rare on loopback). */
final class FreePorts {
    private FreePorts() {
    }

    static int loopback() {
        return on(InetAddress.getLoopbackAddress());
    }

    static int on(InetAddress address) {
        try (ServerSocket socket = new ServerSocket(0, 1, address)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + address.getHostAddress(), e);
        }
    }
}
