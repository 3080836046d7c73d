package dev.switchboard.ovsdb.jsonrpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A hand-driven peer for the cases a real ovsdb-server will not produce: a plain blocking
 * {@link ServerSocket} on 127.0.0.1 whose accepted sockets the test writes raw bytes to.
 */
final class FakePeer implements AutoCloseable {

    private final ServerSocket server;
    private final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
    private final List<Socket> all = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    FakePeer() throws IOException {
        this(0);
    }

    /** @param receiveBuffer the accepted sockets' SO_RCVBUF (small: a peer that barely reads), or 0 for the default */
    FakePeer(int receiveBuffer) throws IOException {
        server = new ServerSocket();
        if (receiveBuffer > 0) {
            server.setReceiveBufferSize(receiveBuffer);
        }
        server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    all.add(socket);
                    accepted.add(socket);
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, "fake-ovsdb-peer");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    Endpoint endpoint() {
        return Endpoint.tcp("127.0.0.1", server.getLocalPort());
    }

    Socket accept() throws InterruptedException {
        Socket socket = accepted.poll(10, TimeUnit.SECONDS);
        if (socket == null) {
            throw new IllegalStateException("nobody connected to the fake peer");
        }
        return socket;
    }

    static void send(Socket socket, String text) {
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads what has arrived within {@code millis}, as text (blocking up to then). */
    static String readFor(Socket socket, long millis) throws IOException {
        socket.setSoTimeout((int) millis);
        StringBuilder text = new StringBuilder();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            } catch (java.net.SocketTimeoutException e) {
                break;
            }
        }
        return text.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : all) {
            socket.close();
        }
    }
}
