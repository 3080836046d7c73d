package dev.switchboard.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

class FlowTableTest {

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13", "OF_15"})
    void addsReplacesDeletesAndReadsBackAsASwitchWould(OFVersion version) {
        OFFactory f = OFFactories.getFactory(version);
        FlowTable table = new FlowTable();
        table.apply(flow(f, 0x5342_0400_0000_0001L, 10, 1, 2));
        table.apply(flow(f, 0x5342_0400_0000_0002L, 10, 2, 1));
        table.apply(flow(f, 0x5342_0500_0000_0001L, 20, 1, 3));
        table.apply(flow(f, 0x5342_0400_0000_0009L, 10, 1, 2)); // same match and priority: replaces the first
        assertThat(table.flows()).hasSize(3);

        var all = f.buildFlowStatsRequest().setMatch(f.matchWildcardAll()).setTableId(TableId.ALL).setOutPort(OFPort.ANY);
        if (version != OFVersion.OF_10) {
            all.setOutGroup(OFGroup.ANY).setCookie(U64.of(0x5342_0400_0000_0000L)).setCookieMask(U64.of(0xFFFF_FF00_0000_0000L));
        }
        List<OFFlowStatsEntry> read = table.stats(f, all.build());
        // 1.0 has no cookie in the request: every flow comes back
        assertThat(read).hasSize(version == OFVersion.OF_10 ? 3 : 2);

        table.apply(f.buildFlowDelete().setMatch(f.matchWildcardAll()).setOutPort(OFPort.of(3)).build());
        assertThat(table.flows()).extracting(FlowTable.Flow::priority).containsOnly(10);

        table.apply(f.buildFlowDeleteStrict().setMatch(f.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(2)).build())
                .setPriority(10).setOutPort(OFPort.ANY).build());
        assertThat(table.flows()).singleElement().satisfies(fl -> assertThat(fl.cookie()).isEqualTo(U64.of(0x5342_0400_0000_0009L)));
    }

    private static OFFlowAdd flow(OFFactory f, long cookie, int priority, int in, int out) {
        List<OFAction> actions = List.of(f.actions().output(OFPort.of(out), 0));
        OFFlowAdd.Builder b = f.buildFlowAdd().setCookie(U64.of(cookie)).setPriority(priority)
                .setMatch(f.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(in)).build());
        if (f.getVersion() == OFVersion.OF_10) {
            b.setActions(actions);
        } else {
            b.setInstructions(List.of(f.instructions().applyActions(actions)));
        }
        return b.build();
    }
}
