package dev.switchboard.controller;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * How the OpenFlow side of the controller behaves. Immutable; build with {@link #builder()}.
 *
 * @param listen            addresses to accept switches on over plain TCP (port 0 picks a free port)
 * @param versions          OpenFlow versions offered in HELLO; the highest common one is used
 * @param handshakeTimeout  a switch that is not ready after this long is disconnected
 * @param echoInterval      idle time after which the controller sends an ECHO_REQUEST
 * @param maxMissedEchoes   the connection is closed after this many unanswered echo intervals
 * @param maxMessageBytes   larger OpenFlow messages close the connection (at most 65535)
 * @param missSendLength    bytes of a table-miss packet sent to the controller (0xffff: all)
 * @param requestTimeout    default timeout of request/reply calls
 * @param eventLoopThreads  threads serving switches; 0 means one per core the JVM may use
 * @param useEpoll          use the native epoll transport when it is available
 * @param tlsListen         addresses to accept switches on over TLS ({@code ssl:} in OVS's terms)
 * @param tls               the key, certificate and CA of {@code tlsListen}; null when it is empty
 * @param maxSwitches       ready switches at most; a switch completing its handshake beyond this
 *                          is closed (one that replaces its own older connection is not counted twice)
 * @param maxPendingConnections connections still in their handshake at most; more are closed at once
 * @param peerBufferBytes   what one connection may make the controller hold for it outbound:
 *                          reading from the switch pauses when half of this waits to be sent
 *                          (Netty's high water mark; it resumes at a quarter), and writes that
 *                          find this much waiting are refused
 * @param maxUnwritable     a connection that has not taken what the controller sends for this
 *                          long (its outbound buffer stays above the high water mark) is closed,
 *                          unless it took some of it meanwhile (a slow reader is not a deaf one)
 * @param maxReplyBytes     the most one multipart reply (all its parts together, as sent) may
 *                          make the controller hold; past it the request fails with
 *                          {@link ReplyTooLargeException} and what was collected is dropped. The
 *                          default, 32 MiB, is about twice a flow-stats reply of an OVS bridge with
 *                          100,000 flows (roughly 100-200 bytes a flow)
 */
public record ControllerConfig(
        List<InetSocketAddress> listen,
        Set<OFVersion> versions,
        Duration handshakeTimeout,
        Duration echoInterval,
        int maxMissedEchoes,
        int maxMessageBytes,
        int missSendLength,
        Duration requestTimeout,
        int eventLoopThreads,
        boolean useEpoll,
        List<InetSocketAddress> tlsListen,
        ControllerTls tls,
        int maxSwitches,
        int maxPendingConnections,
        int peerBufferBytes,
        Duration maxUnwritable,
        int maxReplyBytes) {

    public static final int DEFAULT_PORT = 6653;
    public static final int LEGACY_PORT = 6633;
    /**
     * The versions offered unless configured: 1.0 and 1.2 to 1.5, every version apps can
     * program. Not 1.1: openflowj 3.6 cannot build its matches (its match builder returns
     * null), so no flow could be installed on a switch that settled on it.
     */
    public static final Set<OFVersion> DEFAULT_VERSIONS = Collections.unmodifiableSet(EnumSet.of(
            OFVersion.OF_10, OFVersion.OF_12, OFVersion.OF_13, OFVersion.OF_14, OFVersion.OF_15));
    /** The OpenFlow header's length field is 16 bits. */
    public static final int LARGEST_OPENFLOW_MESSAGE = 0xffff;
    /** A DESC reply, which every handshake has, is 1072 bytes; leave room above it. */
    public static final int SMALLEST_MESSAGE_LIMIT = 2048;
    /** Room for two of the largest messages, so that a reply can always be queued behind one. */
    public static final int SMALLEST_PEER_BUFFER = 2 * (LARGEST_OPENFLOW_MESSAGE + 1);
    /** One part of the largest size must fit in a reply. */
    public static final int SMALLEST_REPLY_LIMIT = LARGEST_OPENFLOW_MESSAGE + 1;

    public ControllerConfig {
        listen = List.copyOf(listen);
        tlsListen = List.copyOf(tlsListen);
        if (listen.isEmpty() && tlsListen.isEmpty()) {
            throw new IllegalArgumentException("at least one listen address is needed");
        }
        if (!tlsListen.isEmpty() && tls == null) {
            throw new IllegalArgumentException("listening with TLS on " + tlsListen
                    + " needs the TLS files (private key, certificate, CA certificate)");
        }
        versions = Set.copyOf(versions);
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("at least one OpenFlow version is needed");
        }
        if (versions.contains(OFVersion.OF_11)) {
            throw new IllegalArgumentException("OpenFlow 1.1 cannot be offered: openflowj cannot build 1.1 matches,"
                    + " so no app could install a flow on a 1.1 switch; offer 1.0 or 1.2 to 1.5");
        }
        requirePositive("handshakeTimeout", handshakeTimeout);
        requirePositive("echoInterval", echoInterval);
        requirePositive("requestTimeout", requestTimeout);
        if (maxMissedEchoes < 1) {
            throw new IllegalArgumentException("maxMissedEchoes must be at least 1, was " + maxMissedEchoes);
        }
        if (maxMessageBytes < SMALLEST_MESSAGE_LIMIT || maxMessageBytes > LARGEST_OPENFLOW_MESSAGE) {
            throw new IllegalArgumentException("maxMessageBytes must be between " + SMALLEST_MESSAGE_LIMIT
                    + " and 65535, was " + maxMessageBytes);
        }
        if (missSendLength < 0 || missSendLength > 0xffff) {
            throw new IllegalArgumentException("missSendLength must be between 0 and 65535, was " + missSendLength);
        }
        if (eventLoopThreads < 0) {
            throw new IllegalArgumentException("eventLoopThreads must not be negative, was " + eventLoopThreads);
        }
        if (maxSwitches < 1) {
            throw new IllegalArgumentException("maxSwitches must be at least 1, was " + maxSwitches);
        }
        if (maxPendingConnections < 1) {
            throw new IllegalArgumentException("maxPendingConnections must be at least 1, was " + maxPendingConnections);
        }
        if (peerBufferBytes < SMALLEST_PEER_BUFFER) {
            throw new IllegalArgumentException("peerBufferBytes must be at least " + SMALLEST_PEER_BUFFER
                    + " (two of the largest OpenFlow messages), was " + peerBufferBytes);
        }
        requirePositive("maxUnwritable", maxUnwritable);
        if (maxReplyBytes < SMALLEST_REPLY_LIMIT) {
            throw new IllegalArgumentException("maxReplyBytes must be at least " + SMALLEST_REPLY_LIMIT
                    + " (one part of the largest size), was " + maxReplyBytes);
        }
    }

    /** Reading from a switch pauses when this much waits to be sent to it. */
    public int writeBufferHighWaterMark() {
        return peerBufferBytes / 2;
    }

    /** Reading from a paused switch resumes when what waits falls below this. */
    public int writeBufferLowWaterMark() {
        return peerBufferBytes / 4;
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    public OFVersion highestVersion() {
        return versions.stream().max(Enum::compareTo).orElseThrow();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .listen(listen)
                .versions(versions)
                .handshakeTimeout(handshakeTimeout)
                .echoInterval(echoInterval)
                .maxMissedEchoes(maxMissedEchoes)
                .maxMessageBytes(maxMessageBytes)
                .missSendLength(missSendLength)
                .requestTimeout(requestTimeout)
                .eventLoopThreads(eventLoopThreads)
                .useEpoll(useEpoll)
                .tlsListen(tlsListen)
                .tls(tls)
                .maxSwitches(maxSwitches)
                .maxPendingConnections(maxPendingConnections)
                .peerBufferBytes(peerBufferBytes)
                .maxUnwritable(maxUnwritable)
                .maxReplyBytes(maxReplyBytes);
    }

    /**
     * Starts from the defaults: {@link #DEFAULT_VERSIONS} over TCP on port 6653 of all addresses, unless
     * only TLS addresses are given, then on those alone.
     */
    public static final class Builder {
        /** Null until set: the default applies only when no TLS address is given either. */
        private List<InetSocketAddress> listen;
        private Set<OFVersion> versions = DEFAULT_VERSIONS;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration echoInterval = Duration.ofSeconds(5);
        private int maxMissedEchoes = 3;
        private int maxMessageBytes = LARGEST_OPENFLOW_MESSAGE;
        private int missSendLength = 0xffff;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private int eventLoopThreads = 0;
        private boolean useEpoll = true;
        private List<InetSocketAddress> tlsListen = List.of();
        private ControllerTls tls;
        private int maxSwitches = 1024;
        private int maxPendingConnections = 256;
        private int peerBufferBytes = 1 << 20;
        private Duration maxUnwritable = Duration.ofSeconds(15);
        private int maxReplyBytes = 32 << 20;

        /** Plain TCP addresses; TLS ones go to {@link #tlsListen}. */
        public Builder listen(List<InetSocketAddress> value) {
            listen = value;
            return this;
        }

        public Builder listen(InetSocketAddress... value) {
            return listen(List.of(value));
        }

        public Builder versions(Set<OFVersion> value) {
            versions = value;
            return this;
        }

        public Builder handshakeTimeout(Duration value) {
            handshakeTimeout = value;
            return this;
        }

        public Builder echoInterval(Duration value) {
            echoInterval = value;
            return this;
        }

        public Builder maxMissedEchoes(int value) {
            maxMissedEchoes = value;
            return this;
        }

        public Builder maxMessageBytes(int value) {
            maxMessageBytes = value;
            return this;
        }

        public Builder missSendLength(int value) {
            missSendLength = value;
            return this;
        }

        public Builder requestTimeout(Duration value) {
            requestTimeout = value;
            return this;
        }

        public Builder eventLoopThreads(int value) {
            eventLoopThreads = value;
            return this;
        }

        public Builder useEpoll(boolean value) {
            useEpoll = value;
            return this;
        }

        /** Addresses for switches that connect with {@code ssl:}; they need {@link #tls}. */
        public Builder tlsListen(List<InetSocketAddress> value) {
            tlsListen = value;
            return this;
        }

        public Builder tlsListen(InetSocketAddress... value) {
            return tlsListen(List.of(value));
        }

        public Builder tls(ControllerTls value) {
            tls = value;
            return this;
        }

        public Builder maxSwitches(int value) {
            maxSwitches = value;
            return this;
        }

        public Builder maxPendingConnections(int value) {
            maxPendingConnections = value;
            return this;
        }

        public Builder peerBufferBytes(int value) {
            peerBufferBytes = value;
            return this;
        }

        public Builder maxUnwritable(Duration value) {
            maxUnwritable = value;
            return this;
        }

        public Builder maxReplyBytes(int value) {
            maxReplyBytes = value;
            return this;
        }

        public ControllerConfig build() {
            List<InetSocketAddress> tcp = listen != null ? listen
                    : tlsListen.isEmpty() ? List.of(new InetSocketAddress(DEFAULT_PORT)) : List.of();
            return new ControllerConfig(tcp, versions, handshakeTimeout, echoInterval, maxMissedEchoes,
                    maxMessageBytes, missSendLength, requestTimeout, eventLoopThreads, useEpoll, tlsListen, tls,
                    maxSwitches, maxPendingConnections, peerBufferBytes, maxUnwritable, maxReplyBytes);
        }
    }
}
