package dev.switchboard.server.metrics;

import dev.switchboard.controller.ControllerStats;
import dev.switchboard.controller.HandshakeFailure;
import dev.switchboard.controller.SwitchStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The controller's {@link ControllerStats} as meters. Every meter reads the controller's own
 * counters when scraped (function counters and gauges): the packet path never calls Micrometer.
 * Per-switch meters carry the datapath id ({@code dpid}) and follow the connections through
 * {@link #refresh()}, called before each scrape.
 */
final class ControllerMetrics implements MeterBinder, DynamicMeters {
    private final ControllerStats stats;
    private MeterSet<SwitchStats> switches;

    ControllerMetrics(ControllerStats stats) {
        this.stats = stats;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("switchboard.switches.connected", stats, ControllerStats::connectedSwitches)
                .description("OpenFlow switches connected and ready").register(registry);
        Gauge.builder("switchboard.openflow.connections.open", stats, ControllerStats::openConnections)
                .description("OpenFlow connections open, ready or in their handshake").register(registry);
        Gauge.builder("switchboard.openflow.connections.pending", stats, ControllerStats::pendingConnections)
                .description("OpenFlow connections in their handshake").register(registry);
        for (HandshakeFailure reason : HandshakeFailure.values()) {
            FunctionCounter.builder("switchboard.handshake.failures", stats, s -> s.handshakeFailures(reason))
                    .description("Connections that ended before their switch was ready, by reason")
                    .tag("reason", reason.label()).register(registry);
        }
        counter(registry, "switchboard.write.stalls", ControllerStats::writeStalls,
                "Times a switch connection became unwritable (more than the high water mark waited for it)");
        counter(registry, "switchboard.disconnects.slow", ControllerStats::connectionsClosedUnwritable,
                "Connections closed because the switch took nothing of what it was sent for maxUnwritable");
        counter(registry, "switchboard.disconnects.bad.input", ControllerStats::connectionsClosedForBadInput,
                "Connections closed for breaking the protocol");
        counter(registry, "switchboard.read.pauses", ControllerStats::readPauses,
                "Times reading from a switch paused because too much waited to be sent to it");
        counter(registry, "switchboard.writes.refused", ControllerStats::writesRefused,
                "Messages refused because peerBufferBytes waited for their switch already");
        counter(registry, "switchboard.messages.unknown", ControllerStats::unknownMessagesSkipped,
                "Well-framed OpenFlow messages of a kind openflowj does not know, skipped");
        counter(registry, "switchboard.messages.unhandled", ControllerStats::unhandledMessages,
                "OpenFlow messages nobody waited for or listened to");
        counter(registry, "switchboard.replies.too.large", ControllerStats::repliesTooLarge,
                "Multipart replies dropped for growing past maxReplyBytes");
        Gauge.builder("switchboard.pending.write", stats, ControllerStats::pendingWriteBytes).baseUnit("bytes")
                .description("Bytes waiting to be sent to switches, all connections together").register(registry);
        switches = new MeterSet<>(registry, sw -> perSwitch(registry, sw));
        refresh();
    }

    private void counter(MeterRegistry registry, String name, ToDoubleFunction<ControllerStats> count, String description) {
        FunctionCounter.builder(name, stats, count).description(description).register(registry);
    }

    private static List<Meter> perSwitch(MeterRegistry registry, SwitchStats sw) {
        Tags dpid = Tags.of("dpid", sw.id().toString());
        return List.of(
                FunctionCounter.builder("switchboard.switch.packet.ins", sw, SwitchStats::packetIns)
                        .description("PACKET_INs received from the switch").tags(dpid).register(registry),
                FunctionCounter.builder("switchboard.switch.flow.mods", sw, SwitchStats::flowMods)
                        .description("FLOW_MODs sent to the switch by apps and the API").tags(dpid).register(registry),
                FunctionCounter.builder("switchboard.switch.packet.outs", sw, SwitchStats::packetOuts)
                        .description("PACKET_OUTs sent to the switch by apps and the API").tags(dpid).register(registry),
                FunctionCounter.builder("switchboard.switch.write.stalls", sw, SwitchStats::writeStalls)
                        .description("Times the switch's connection became unwritable").tags(dpid).register(registry),
                FunctionTimer.builder("switchboard.switch.echo.rtt", sw, SwitchStats::echoReplies,
                                SwitchStats::echoRoundTripNanos, TimeUnit.NANOSECONDS)
                        .description("Round trips of the controller's echo requests (sent after echoInterval of silence)")
                        .tags(dpid).register(registry),
                Gauge.builder("switchboard.switch.echo.rtt.last", sw, s -> s.lastEchoRoundTripNanos() / 1e9)
                        .baseUnit("seconds").description("The latest echo round trip").tags(dpid).register(registry));
    }

    @Override
    public void refresh() {
        switches.sync(stats.switches());
    }

    @Override
    public void close() {
        switches.clear();
    }
}
