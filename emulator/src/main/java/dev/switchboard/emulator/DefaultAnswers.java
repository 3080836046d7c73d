package dev.switchboard.emulator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import org.projectfloodlight.openflow.protocol.OFBarrierRequest;
import org.projectfloodlight.openflow.protocol.OFCapabilities;
import org.projectfloodlight.openflow.protocol.OFConfigFlags;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesReply;
import org.projectfloodlight.openflow.protocol.OFFeaturesRequest;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.OFGetConfigRequest;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFNiciraControllerRole;
import org.projectfloodlight.openflow.protocol.OFNiciraControllerRoleRequest;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFPortStatsRequest;
import org.projectfloodlight.openflow.protocol.OFRoleRequest;
import org.projectfloodlight.openflow.protocol.OFRoleRequestFailedCode;
import org.projectfloodlight.openflow.protocol.OFSetConfig;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFTableStatsEntry;
import org.projectfloodlight.openflow.protocol.OFTableStatsRequest;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.OFErrorCauseData;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * The answers an emulated switch gives when no responder overrides them. Each reply is built in
 * the request's version and carries the request's xid, so a reply always parses alongside its
 * request.
 *
 * <p>Holds the switch configuration last set by SET_CONFIG; confined to the channel's event loop.
 */
final class DefaultAnswers {
    private static final short TABLE_COUNT = 254;
    /** OFPCML default: send the first 128 bytes of a packet to the controller. */
    private static final int DEFAULT_MISS_SEND_LEN = 128;
    private static final Set<OFCapabilities> CAPABILITIES =
            EnumSet.of(OFCapabilities.FLOW_STATS, OFCapabilities.TABLE_STATS, OFCapabilities.PORT_STATS);

    private final EmulatedSwitchOptions options;
    private final Supplier<List<OFPortDesc>> ports;
    private final Supplier<FlowTable> flows;
    private final RoleDesk roles;
    /** FRAG_NORMAL is the zero value; openflowj decodes an empty set as it, so say it outright. */
    private Set<OFConfigFlags> configFlags = Set.of(OFConfigFlags.FRAG_NORMAL);
    private int missSendLen = DEFAULT_MISS_SEND_LEN;

    /**
     * Decides one connection's role requests: {@link ControllerRoles#request} with the connection
     * bound.
     */
    @FunctionalInterface
    interface RoleDesk {
        ControllerRoles.Answer request(OFControllerRole asked, OptionalLong generationId);
    }

    /** Grants every role as asked, checking no generation id. */
    static final RoleDesk GRANT_ALL = (asked, generationId) -> new ControllerRoles.Answer(false,
            asked == OFControllerRole.ROLE_NOCHANGE ? OFControllerRole.ROLE_EQUAL : asked, generationId);

    DefaultAnswers(EmulatedSwitchOptions options, Supplier<List<OFPortDesc>> ports) {
        this(options, ports, fixed(new FlowTable()), GRANT_ALL);
    }

    DefaultAnswers(EmulatedSwitchOptions options, Supplier<List<OFPortDesc>> ports, Supplier<FlowTable> flows,
                   RoleDesk roles) {
        this.options = options;
        this.ports = ports;
        this.flows = flows;
        this.roles = roles;
    }

    private static Supplier<FlowTable> fixed(FlowTable table) {
        return () -> table;
    }

    /** Flow stats entries in one reply part: small entries, well under 64 KiB. */
    private static final int FLOW_ENTRIES_PER_REPLY = 100;

    /** The replies to send for {@code request}; empty for messages that are only recorded. */
    List<OFMessage> answer(OFMessage request) {
        OFFactory f = OFFactories.getFactory(request.getVersion());
        long xid = request.getXid();
        if (request instanceof OFFeaturesRequest) {
            return List.of(featuresReply(f, xid));
        } else if (request instanceof OFPortDescStatsRequest) {
            return portDescReplies(f, xid);
        } else if (request instanceof OFDescStatsRequest) {
            String dpid = options.datapathId().toString();
            return List.of(
                    f.buildDescStatsReply()
                            .setXid(xid)
                            .setMfrDesc("Switchboard")
                            .setHwDesc("emulated switch")
                            .setSwDesc("emulator")
                            .setSerialNum("0")
                            .setDpDesc("emulated " + dpid)
                            .build());
        } else if (request instanceof OFFlowStatsRequest stats) {
            return flowStatsReplies(f, xid, flows.get().stats(f, stats));
        } else if (request instanceof OFFlowMod mod) {
            flows.get().apply(mod);
            return List.of();
        } else if (request instanceof OFPortStatsRequest) {
            return List.of(f.buildPortStatsReply().setXid(xid).setEntries(List.of()).build());
        } else if (request instanceof OFTableStatsRequest) {
            return List.of(
                    f.buildTableStatsReply().setXid(xid).setEntries(tables(f)).build());
        } else if (request instanceof OFBarrierRequest) {
            return List.of(f.buildBarrierReply().setXid(xid).build());
        } else if (request instanceof OFEchoRequest echo) {
            return options.answerEchoes()
                    ? List.of(f.buildEchoReply().setXid(xid).setData(echo.getData()).build())
                    : List.of();
        } else if (request instanceof OFSetConfig set) {
            configFlags = set.getFlags();
            missSendLen = set.getMissSendLen();
            return List.of();
        } else if (request instanceof OFRoleRequest role) {
            return roleReply(f, role);
        } else if (request instanceof OFNiciraControllerRoleRequest role) {
            ControllerRoles.Answer answer = roles.request(fromNicira(role.getRole()), OptionalLong.empty());
            return List.of(f.buildNiciraControllerRoleReply().setXid(xid).setRole(toNicira(answer.role())).build());
        } else if (request instanceof OFGetConfigRequest) {
            return List.of(
                    f.buildGetConfigReply()
                            .setXid(xid)
                            .setFlags(configFlags)
                            .setMissSendLen(missSendLen)
                            .build());
        }
        return List.of();
    }

    /**
     * A ROLE_REPLY with the connection's role and the newest generation id (0 if none was ever
     * given), or ROLE_REQUEST_FAILED STALE carrying the request, as OVS answers.
     */
    private List<OFMessage> roleReply(OFFactory f, OFRoleRequest request) {
        OFControllerRole asked = request.getRole();
        ControllerRoles.Answer answer = roles.request(asked, OptionalLong.of(request.getGenerationId().getValue()));
        if (answer.stale()) {
            ByteBuf bytes = Unpooled.buffer();
            request.writeTo(bytes);
            return List.of(f.errorMsgs().buildRoleRequestFailedErrorMsg()
                    .setXid(request.getXid())
                    .setCode(OFRoleRequestFailedCode.STALE)
                    .setData(OFErrorCauseData.of(ByteBufUtil.getBytes(bytes), request.getVersion()))
                    .build());
        }
        return List.of(f.buildRoleReply()
                .setXid(request.getXid())
                .setRole(answer.role())
                .setGenerationId(U64.of(answer.generationId().orElse(0)))
                .build());
    }

    /** Nicira's OTHER is OpenFlow 1.2's EQUAL. */
    private static OFControllerRole fromNicira(OFNiciraControllerRole role) {
        return switch (role) {
            case ROLE_MASTER -> OFControllerRole.ROLE_MASTER;
            case ROLE_SLAVE -> OFControllerRole.ROLE_SLAVE;
            case ROLE_OTHER -> OFControllerRole.ROLE_EQUAL;
        };
    }

    private static OFNiciraControllerRole toNicira(OFControllerRole role) {
        return switch (role) {
            case ROLE_MASTER -> OFNiciraControllerRole.ROLE_MASTER;
            case ROLE_SLAVE -> OFNiciraControllerRole.ROLE_SLAVE;
            default -> OFNiciraControllerRole.ROLE_OTHER;
        };
    }

    /** Up to 1.2 the ports travel in FEATURES_REPLY; 1.3 moved them to PORT_DESC. */
    private OFFeaturesReply featuresReply(OFFactory f, long xid) {
        OFFeaturesReply.Builder b =
                f.buildFeaturesReply()
                        .setXid(xid)
                        .setDatapathId(options.datapathId())
                        .setNBuffers(0)
                        .setNTables(TABLE_COUNT)
                        .setCapabilities(CAPABILITIES);
        if (f.getVersion().compareTo(OFVersion.OF_13) < 0) {
            b.setPorts(portsIn(f));
        }
        return b.build();
    }

    /** Splits the ports into parts of {@code portsPerDescReply}; all but the last say REPLY_MORE. */
    /** Entries in parts, as a switch sends them: one message holds at most 64 KiB. */
    private static List<OFMessage> flowStatsReplies(OFFactory f, long xid, List<OFFlowStatsEntry> entries) {
        List<OFMessage> replies = new ArrayList<>();
        int from = 0;
        do {
            int to = Math.min(entries.size(), from + FLOW_ENTRIES_PER_REPLY);
            Set<OFStatsReplyFlags> flags = to < entries.size() ? EnumSet.of(OFStatsReplyFlags.REPLY_MORE) : Set.of();
            replies.add(f.buildFlowStatsReply().setXid(xid).setFlags(flags).setEntries(entries.subList(from, to)).build());
            from = to;
        } while (from < entries.size());
        return replies;
    }

    private List<OFMessage> portDescReplies(OFFactory f, long xid) {
        List<OFPortDesc> all = portsIn(f);
        int per = options.portsPerDescReply() > 0 ? options.portsPerDescReply() : Math.max(1, all.size());
        List<OFMessage> replies = new ArrayList<>();
        int from = 0;
        do {
            int to = Math.min(all.size(), from + per);
            Set<OFStatsReplyFlags> flags =
                    to < all.size() ? EnumSet.of(OFStatsReplyFlags.REPLY_MORE) : Set.of();
            replies.add(
                    f.buildPortDescStatsReply()
                            .setXid(xid)
                            .setFlags(flags)
                            .setEntries(List.copyOf(all.subList(from, to)))
                            .build());
            from = to;
        } while (from < all.size());
        return replies;
    }

    private List<OFPortDesc> portsIn(OFFactory f) {
        return ports.get().stream().map(p -> SwitchMessages.convert(p, f)).toList();
    }

    /**
     * One empty table. 1.1 and 1.2 get no entry: their entry needs a match bitmap that openflowj
     * cannot express.
     */
    private static List<OFTableStatsEntry> tables(OFFactory f) {
        OFVersion v = f.getVersion();
        if (v == OFVersion.OF_11 || v == OFVersion.OF_12) {
            return List.of();
        }
        OFTableStatsEntry.Builder b = f.buildTableStatsEntry().setTableId(TableId.of(0));
        if (v == OFVersion.OF_10) {
            b.setName("table0").setMaxEntries(1_000_000);
        }
        return List.of(b.build());
    }
}
