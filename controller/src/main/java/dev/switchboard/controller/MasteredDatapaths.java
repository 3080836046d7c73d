package dev.switchboard.controller;

import java.util.Map;
import java.util.OptionalLong;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * The datapaths this controller instance masters at one moment, each with the generation id of
 * its mastership term (increasing from term to term of a datapath, so a switch can refuse a
 * stale master). Immutable: a source replaces it whole, so the packet path reads it with one
 * volatile read and no lock.
 */
public record MasteredDatapaths(Map<DatapathId, Long> generations) {
    public static final MasteredDatapaths NONE = new MasteredDatapaths(Map.of());

    public MasteredDatapaths {
        generations = Map.copyOf(generations);
    }

    public boolean masters(DatapathId dpid) {
        return generations.containsKey(dpid);
    }

    /** The term's generation id, empty when this instance is not the datapath's master. */
    public OptionalLong generation(DatapathId dpid) {
        Long generation = generations.get(dpid);
        return generation == null ? OptionalLong.empty() : OptionalLong.of(generation);
    }
}
