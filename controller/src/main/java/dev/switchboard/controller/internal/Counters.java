package dev.switchboard.controller.internal;

import dev.switchboard.controller.ControllerCounters;
import java.util.concurrent.atomic.LongAdder;

/** Counters shared by all connections; LongAdder keeps event loops from contending. */
public final class Counters {
    final LongAdder unknownMessagesSkipped = new LongAdder();
    final LongAdder unhandledMessages = new LongAdder();
    final LongAdder connectionsClosedForBadInput = new LongAdder();
    final LongAdder processorFailures = new LongAdder();

    public ControllerCounters snapshot() {
        return new ControllerCounters(unknownMessagesSkipped.sum(), unhandledMessages.sum(),
                connectionsClosedForBadInput.sum(), processorFailures.sum());
    }
}
