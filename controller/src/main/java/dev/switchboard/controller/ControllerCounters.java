package dev.switchboard.controller;

/**
 * Totals since the controller started.
 *
 * @param unknownMessagesSkipped well-framed messages openflowj does not know (experimenter
 *                               extensions, newer message types), skipped without harm
 * @param unhandledMessages      known messages nobody was waiting for or listening to
 * @param connectionsClosedForBadInput connections closed for breaking the protocol
 * @param processorFailures      packet-in processors that threw
 */
public record ControllerCounters(
        long unknownMessagesSkipped,
        long unhandledMessages,
        long connectionsClosedForBadInput,
        long processorFailures) {
}
