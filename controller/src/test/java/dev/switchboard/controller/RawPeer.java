package dev.switchboard.controller;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.projectfloodlight.openflow.protocol.OFDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesRequest;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.OFBarrierRequest;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * A hostile OpenFlow 1.3 peer on a plain blocking socket: it can complete the handshake by
 * hand, then write as fast as the kernel takes it and never read again. Its receive buffer is
 * small, so what the controller sends it piles up on the controller's side.
 */
final class RawPeer implements AutoCloseable {
    static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final AtomicLong bytesSent = new AtomicLong();
    private volatile Thread flooder;
    private volatile boolean floodEnded;

    private RawPeer(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawPeer connect(InetSocketAddress controller) {
        try {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(4096); // set before connect so the window stays small
            socket.setTcpNoDelay(true);
            socket.connect(controller, 5000);
            socket.setSoTimeout(5000);
            return new RawPeer(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int localPort() {
        return socket.getLocalPort();
    }

    long bytesSent() {
        return bytesSent.get();
    }

    static byte[] bytesOf(OFMessage message) {
        ByteBuf buffer = Unpooled.buffer();
        message.writeTo(buffer);
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        return bytes;
    }

    void send(OFMessage message) throws IOException {
        byte[] bytes = bytesOf(message);
        out.write(bytes);
        bytesSent.addAndGet(bytes.length);
    }

    OFMessage read() throws IOException {
        return read(in);
    }

    /** One OpenFlow message from a plain stream. */
    static OFMessage read(DataInputStream in) throws IOException {
        byte[] header = new byte[8];
        in.readFully(header);
        int length = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
        byte[] whole = new byte[length];
        System.arraycopy(header, 0, whole, 0, 8);
        in.readFully(whole, 8, length - 8);
        try {
            return OFFactories.getGenericReader().readFrom(Unpooled.wrappedBuffer(whole));
        } catch (org.projectfloodlight.openflow.exceptions.OFParseError e) {
            throw new IOException("cannot parse what the controller sent", e);
        }
    }

    /** Reads until a message of {@code type} arrives, dropping the others. */
    <T extends OFMessage> T readUntil(Class<T> type) throws IOException {
        while (true) {
            OFMessage message = read();
            if (type.isInstance(message)) {
                return type.cast(message);
            }
        }
    }

    /** Answers the controller's handshake as a 1.3 switch without ports; returns once READY is near. */
    void handshake(long datapathId) throws IOException {
        send(OF13.buildHello().build());
        while (true) {
            OFMessage message = read();
            if (message instanceof OFFeaturesRequest) {
                send(OF13.buildFeaturesReply().setXid(message.getXid()).setDatapathId(DatapathId.of(datapathId))
                        .setNBuffers(0).setNTables((short) 1).build());
            } else if (message instanceof OFPortDescStatsRequest) {
                send(OF13.buildPortDescStatsReply().setXid(message.getXid()).setEntries(List.of()).build());
            } else if (message instanceof OFDescStatsRequest) {
                send(OF13.buildDescStatsReply().setXid(message.getXid()).setMfrDesc("raw").setHwDesc("raw")
                        .setSwDesc("raw").setSerialNum("1").setDpDesc("raw").build());
            } else if (message instanceof OFBarrierRequest) {
                send(OF13.buildBarrierReply().setXid(message.getXid()).build());
                return;
            }
        }
    }

    /** Writes {@code frame} over and over on a thread of its own until the socket closes. */
    void flood(byte[] frame) {
        Thread thread = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    out.write(frame);
                    bytesSent.addAndGet(frame.length);
                }
            } catch (IOException e) {
                floodEnded = true; // closed by us or by the controller
            }
        }, "flooder-" + socket.getLocalPort());
        thread.setDaemon(true);
        flooder = thread;
        thread.start();
    }

    /** True once the flood ended because the connection broke (the controller closed it). */
    boolean floodEnded() {
        return floodEnded;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        Thread thread = flooder;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
