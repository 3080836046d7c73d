package dev.switchboard.controller;

/** What a packet-in processor tells the pipeline after it has seen a packet. */
public enum Disposition {
    /** Let the next processor in the pipeline see the packet. */
    CONTINUE,
    /** The packet is dealt with; processors later in the pipeline do not see it. */
    STOP
}
