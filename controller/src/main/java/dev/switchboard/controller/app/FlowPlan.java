package dev.switchboard.controller.app;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;

/**
 * What an app wants done with the flows of its own that a switch holds when it (re)connects:
 * {@code keep} them as they are (they go on carrying traffic), {@code delete} them (strictly,
 * one by one), and {@code add} what is missing. Returned by
 * {@link SwitchboardApp#reconcile}; the runtime writes the deletions, then the additions,
 * before the app hears of the switch.
 *
 * @param keep   flows left alone (only counted and logged)
 * @param delete flows to delete
 * @param add    flow-mods to write after the deletions
 */
public record FlowPlan(List<OFFlowStatsEntry> keep, List<OFFlowStatsEntry> delete, List<OFFlowMod> add) {

    public static final FlowPlan NOTHING = new FlowPlan(List.of(), List.of(), List.of());

    public FlowPlan {
        keep = List.copyOf(keep);
        delete = List.copyOf(delete);
        add = List.copyOf(add);
    }

    /** Keeps every flow. */
    public static FlowPlan keepAll(List<OFFlowStatsEntry> flows) {
        return new FlowPlan(flows, List.of(), List.of());
    }

    /** Keeps the flows {@code keep} accepts and deletes the others. */
    public static FlowPlan sort(List<OFFlowStatsEntry> flows, Predicate<OFFlowStatsEntry> keep) {
        List<OFFlowStatsEntry> kept = new ArrayList<>();
        List<OFFlowStatsEntry> deleted = new ArrayList<>();
        for (OFFlowStatsEntry flow : flows) {
            (keep.test(flow) ? kept : deleted).add(flow);
        }
        return new FlowPlan(kept, deleted, List.of());
    }

    /** This plan, also adding {@code flowMods}. */
    public FlowPlan adding(List<? extends OFFlowMod> flowMods) {
        List<OFFlowMod> all = new ArrayList<>(add);
        all.addAll(flowMods);
        return new FlowPlan(keep, delete, all);
    }

    public boolean isEmpty() {
        return keep.isEmpty() && delete.isEmpty() && add.isEmpty();
    }
}
