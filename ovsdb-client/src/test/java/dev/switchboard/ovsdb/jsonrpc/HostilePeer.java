package dev.switchboard.ovsdb.jsonrpc;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hostile half of a loopback connection: a thread that writes {@code echo} requests as fast
 * as the socket takes them, up to a total, and never reads (its socket's receive buffer made
 * small), so every answer the other side writes stays queued unless it stops reading.
 */
final class HostilePeer implements AutoCloseable {

    /** The flooded side's small receive buffer, so that the kernel holds little of what we send it. */
    static final int RECEIVE_BUFFER = 4096;

    private final Socket socket;
    private final long totalBytes;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final Thread thread;
    private long sentAtLastLook = -1;

    /** Starts flooding {@code socket} with echo requests whose payload is {@code payloadBytes}, {@code totalBytes} in all. */
    HostilePeer(Socket socket, int payloadBytes, long totalBytes) {
        this.socket = socket;
        this.totalBytes = totalBytes;
        byte[] payload = "x".repeat(payloadBytes).getBytes(StandardCharsets.US_ASCII);
        this.thread = new Thread(() -> flood(payload), "hostile-ovsdb-peer");
        thread.setDaemon(true);
        thread.start();
    }

    private void flood(byte[] payload) {
        try {
            OutputStream out = socket.getOutputStream();
            for (long id = 1; sent.get() < totalBytes; id++) {
                byte[] head = ("{\"method\":\"echo\",\"id\":" + id + ",\"params\":[\"").getBytes(StandardCharsets.US_ASCII);
                byte[] tail = "\"]}".getBytes(StandardCharsets.US_ASCII);
                out.write(head);
                out.write(payload);
                out.write(tail);
                sent.addAndGet(head.length + payload.length + tail.length);
            }
        } catch (IOException e) {
            // closed: by the test, or by the side under test
        } finally {
            finished.set(true);
        }
    }

    long sent() {
        return sent.get();
    }

    boolean finished() {
        return finished.get();
    }

    /**
     * Whether the flood is over: all sent, or the socket took nothing since the last look (the
     * other side stopped reading). For polling, every few hundred milliseconds.
     */
    boolean doneOrStalled() {
        long now = sent.get();
        boolean stalled = now == sentAtLastLook;
        sentAtLastLook = now;
        return finished() || stalled;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /**
     * What this JVM holds that a flood can grow: Netty's default allocator (where queued answers
     * live) and the heap, after a GC.
     */
    static long memoryInUse() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        long heap = runtime.totalMemory() - runtime.freeMemory();
        long netty = ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider
                ? provider.metric().usedDirectMemory() + provider.metric().usedHeapMemory() : 0;
        return heap + netty;
    }
}
