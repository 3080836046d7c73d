package dev.switchboard.controller;

import java.util.Map;
import java.util.OptionalLong;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * The datapaths this controller instance masters at one moment, each with the generation id of
 * its mastership term (increasing from term to term of a datapath, so a switch can refuse a
 * stale master), and the current term of the datapaths other instances master, as this instance
 * last heard of them (a SLAVE request carries it: OpenFlow checks a SLAVE request's generation id
 * too, and one older than the switch's newest term is refused as stale). Immutable: a source
 * replaces it whole, so the packet path reads it with one volatile read and no lock.
 *
 * @param generations the datapaths this instance masters, with their term's generation id
 * @param otherTerms  datapaths another instance masters, with that term's generation id
 */
public record MasteredDatapaths(Map<DatapathId, Long> generations, Map<DatapathId, Long> otherTerms) {
    public static final MasteredDatapaths NONE = new MasteredDatapaths(Map.of(), Map.of());

    public MasteredDatapaths {
        generations = Map.copyOf(generations);
        otherTerms = Map.copyOf(otherTerms);
    }

    /** Masters {@code generations}; nothing known of the others' terms. */
    public MasteredDatapaths(Map<DatapathId, Long> generations) {
        this(generations, Map.of());
    }

    /** The same masterships, without the others' terms (what a demotion keeps of them). */
    public MasteredDatapaths mastering(Map<DatapathId, Long> mine) {
        return new MasteredDatapaths(mine, otherTerms);
    }

    public boolean masters(DatapathId dpid) {
        return generations.containsKey(dpid);
    }

    /** The term's generation id, empty when this instance is not the datapath's master. */
    public OptionalLong generation(DatapathId dpid) {
        Long generation = generations.get(dpid);
        return generation == null ? OptionalLong.empty() : OptionalLong.of(generation);
    }

    /** The generation id of the datapath's current term, whoever masters it; empty when none is known. */
    public OptionalLong currentTerm(DatapathId dpid) {
        Long generation = generations.get(dpid);
        if (generation == null) {
            generation = otherTerms.get(dpid);
        }
        return generation == null ? OptionalLong.empty() : OptionalLong.of(generation);
    }
}
