package dev.switchboard.controller.internal;

import dev.switchboard.controller.ControllerStats;
import dev.switchboard.controller.HandshakeFailure;
import dev.switchboard.controller.SwitchStats;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** {@link ControllerStats} over the shared counters and the registry; each call reads them as they are. */
final class LiveControllerStats implements ControllerStats {
    private final Counters counters;
    private final SwitchRegistry registry;

    LiveControllerStats(Counters counters, SwitchRegistry registry) {
        this.counters = counters;
        this.registry = registry;
    }

    @Override
    public Collection<SwitchStats> switches() {
        return registry.connections().stream().map(c -> (SwitchStats) c.stats()).toList();
    }

    @Override
    public int connectedSwitches() {
        return registry.size();
    }

    @Override
    public int openConnections() {
        return counters.open.size();
    }

    @Override
    public int pendingConnections() {
        return counters.pending.get();
    }

    @Override
    public long handshakeFailures(HandshakeFailure reason) {
        return counters.handshakeFailures(reason);
    }

    @Override
    public long writeStalls() {
        return counters.writeStalls.sum();
    }

    @Override
    public long connectionsClosedUnwritable() {
        return counters.connectionsClosedUnwritable.sum();
    }

    @Override
    public long connectionsClosedForBadInput() {
        return counters.connectionsClosedForBadInput.sum();
    }

    @Override
    public long readPauses() {
        return counters.readPauses.sum();
    }

    @Override
    public long writesRefused() {
        return counters.writesRefused.sum();
    }

    @Override
    public long unknownMessagesSkipped() {
        return counters.unknownMessagesSkipped.sum();
    }

    @Override
    public long unhandledMessages() {
        return counters.unhandledMessages.sum();
    }

    @Override
    public long repliesTooLarge() {
        return counters.repliesTooLarge.sum();
    }

    @Override
    public long pendingWriteBytes() {
        return counters.pendingWriteBytes()[0];
    }

    @Override
    public Map<String, Long> processorFailures() {
        Map<String, Long> byName = new TreeMap<>();
        counters.processorFailuresByName.forEach((name, count) -> byName.put(name, count.sum()));
        return byName;
    }
}
