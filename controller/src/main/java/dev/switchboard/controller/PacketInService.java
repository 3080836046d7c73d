package dev.switchboard.controller;

/**
 * The packet-in pipeline. Processors run in ascending {@code order} (ties in registration
 * order) until one answers {@link Disposition#STOP}. A processor that throws is logged and
 * skipped for that packet; the pipeline goes on with the next one. Adding and removing a
 * processor takes no lock and may happen on any thread; it applies from the next packet.
 */
public interface PacketInService {

    /**
     * @param name  shown in logs when the processor fails
     * @param order position in the pipeline; lower runs first
     */
    Registration addProcessor(String name, int order, PacketInProcessor processor);
}
