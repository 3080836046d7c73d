package dev.switchboard.bench.openflow;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * What one run of the OpenFlow load generator does. Immutable.
 *
 * @param controller where the switches connect
 * @param switches emulated switches, each its own TCP connection
 * @param macs hosts (source MACs) behind each switch
 * @param ports switch ports the hosts are spread over
 * @param mode throughput (a window of packet-ins per switch) or latency (one at a time)
 * @param window packet-ins outstanding per switch in throughput mode
 * @param loopLength how long each loop (test) runs
 * @param loops loops that count
 * @param warmupLoops loops run first and not counted
 * @param version the OpenFlow version the switches speak
 * @param timeout how long an unanswered packet-in is waited for before it is given up
 * @param threads event loop threads of the generator
 * @param connectTimeout how long the handshake of all switches may take
 * @param learnTimeout how long the learning phase may take
 */
public record LoadOptions(
        InetSocketAddress controller,
        int switches,
        int macs,
        int ports,
        Mode mode,
        int window,
        Duration loopLength,
        int loops,
        int warmupLoops,
        OFVersion version,
        Duration timeout,
        int threads,
        Duration connectTimeout,
        Duration learnTimeout) {

    public enum Mode {
        THROUGHPUT,
        LATENCY
    }

    public LoadOptions {
        Objects.requireNonNull(controller, "controller");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(loopLength, "loopLength");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(learnTimeout, "learnTimeout");
        if (switches < 1 || switches > 0xffff) {
            throw new IllegalArgumentException("--switches must be 1..65535: " + switches);
        }
        if (macs < 2 || macs > 0xff_ffff) {
            throw new IllegalArgumentException("--macs must be 2..16777215: " + macs);
        }
        if (ports < 2 || ports > 0xff00) {
            throw new IllegalArgumentException("--ports must be 2..65280: " + ports);
        }
        if (window < 1) {
            throw new IllegalArgumentException("--outstanding must be at least 1: " + window);
        }
        if (loops < 1 || warmupLoops < 0) {
            throw new IllegalArgumentException("--loops must be at least 1 and --warmup at least 0");
        }
        if (loopLength.isNegative() || loopLength.isZero()) {
            throw new IllegalArgumentException("--seconds must be positive");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1: " + threads);
        }
        if (version != OFVersion.OF_10 && version != OFVersion.OF_13) {
            throw new IllegalArgumentException("--version must be 1.0 or 1.3: " + version);
        }
    }

    /** Packet-ins outstanding per switch: the window, or 1 in latency mode. */
    int outstandingPerSwitch() {
        return mode == Mode.LATENCY ? 1 : window;
    }
}
