package dev.switchboard.bench.openflow;

/**
 * What all switches counted during one loop.
 *
 * @param seconds the loop's measured length
 * @param sent packet-ins sent
 * @param answered packet-ins answered, each once however many messages named it
 * @param flowMods FLOW_MODs received
 * @param packetOuts PACKET_OUTs received
 * @param unmatched of those, messages that named no outstanding packet-in (a second answer, a
 *     NO_BUFFER flow-mod, or an answer after the packet-in was given up)
 * @param expired packet-ins given up unanswered
 * @param latency round trips of the packet-ins answered in the loop
 */
record LoopFigures(
        double seconds,
        long sent,
        long answered,
        long flowMods,
        long packetOuts,
        long unmatched,
        long expired,
        LatencyHistogram latency) {

    /** FLOW_MOD + PACKET_OUT, cbench's count. */
    long responses() {
        return flowMods + packetOuts;
    }

    double responsesPerSecond() {
        return responses() / seconds;
    }

    double answeredPerSecond() {
        return answered / seconds;
    }

    /** The difference of two cumulative snapshots, {@code seconds} apart. */
    static LoopFigures between(SwitchLoad.Counters before, SwitchLoad.Counters after, double seconds) {
        return new LoopFigures(
                seconds,
                after.sent() - before.sent(),
                after.answered() - before.answered(),
                after.flowMods() - before.flowMods(),
                after.packetOuts() - before.packetOuts(),
                after.unmatched() - before.unmatched(),
                after.expired() - before.expired(),
                after.latency());
    }
}
