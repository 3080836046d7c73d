package dev.switchboard.controller.app;

import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.SwitchService;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * An app's cookie and the deletion of its flows. OpenFlow 1.1 and later delete by cookie
 * and mask in one message; 1.0 has no cookie mask, so its flows are read back with flow
 * stats and deleted one by one, strictly, by match and priority.
 */
final class CookieFlows implements AppFlows {
    private final U64 cookie;
    private final SwitchService switches;

    CookieFlows(U64 cookie, SwitchService switches) {
        this.cookie = cookie;
        this.switches = switches;
    }

    @Override
    public U64 cookie() {
        return cookie;
    }

    @Override
    public CompletableFuture<Void> removeAll() {
        return CompletableFuture.allOf(switches.switches().stream()
                .filter(OFSwitch::isConnected)
                .map(this::removeAll)
                .toArray(CompletableFuture[]::new));
    }

    @Override
    public CompletableFuture<Void> removeAll(OFSwitch sw) {
        OFFactory f = sw.factory();
        if (f.getVersion() != OFVersion.OF_10) {
            sw.write(f.buildFlowDelete()
                    .setCookie(cookie)
                    .setCookieMask(cookieMask())
                    .setTableId(TableId.ALL)
                    .setOutPort(OFPort.ANY)
                    .setOutGroup(OFGroup.ANY)
                    .build());
            return sw.barrier().thenApply(reply -> null);
        }
        return sw.requestStats(f.buildFlowStatsRequest()
                        .setMatch(f.matchWildcardAll())
                        .setTableId(TableId.ALL)
                        .setOutPort(OFPort.ANY)
                        .build())
                .thenCompose(replies -> {
                    deleteOwnFlows(sw, replies);
                    return sw.barrier();
                })
                .thenApply(reply -> null);
    }

    private void deleteOwnFlows(OFSwitch sw, List<OFFlowStatsReply> replies) {
        OFFactory f = sw.factory();
        long mask = cookieMask().getValue();
        for (OFFlowStatsReply reply : replies) {
            for (OFFlowStatsEntry entry : reply.getEntries()) {
                if ((entry.getCookie().getValue() & mask) == cookie.getValue()) {
                    sw.write(f.buildFlowDeleteStrict()
                            .setMatch(entry.getMatch())
                            .setPriority(entry.getPriority())
                            .setOutPort(OFPort.ANY)
                            .build());
                }
            }
        }
    }
}
