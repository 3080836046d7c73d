package dev.switchboard.controller.flows;

import dev.switchboard.controller.flows.FlowDefinition.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActions;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.protocol.oxm.OFOxms;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.ICMPv4Code;
import org.projectfloodlight.openflow.types.ICMPv4Type;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;
import org.projectfloodlight.openflow.types.IpDscp;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.Masked;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.OFVlanVidMatch;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U64;
import org.projectfloodlight.openflow.types.VlanPcp;
import org.projectfloodlight.openflow.types.VlanVid;

/**
 * Turns a {@link FlowDefinition} into an OFPT_FLOW_MOD of one OpenFlow version, as
 * {@code ovs-ofctl add-flows} (or {@code mod-flows}, {@code del-flows}) would. Fields may come in any order ({@code tp_dst=80,tcp} is
 * fine); layer 3/4 fields need their prerequisites ({@code nw_dst} needs {@code ip} or
 * {@code arp}, {@code tp_dst} needs {@code tcp}, {@code udp} or {@code sctp}), as OpenFlow 1.2+
 * requires. Stateless; safe from any thread.
 */
public final class FlowModBuilder {
    private static final int DEFAULT_PRIORITY = 32768;
    /** ovs-ofctl's default: send whole packets to the controller. */
    private static final int CONTROLLER_MAX_LEN = 0xffff;

    private final OFFactory factory;
    private final boolean of10;

    public FlowModBuilder(OFFactory factory) {
        this.factory = factory;
        this.of10 = factory.getVersion() == OFVersion.OF_10;
    }

    /** What a FLOW_MOD does. */
    public enum Command {
        ADD,
        /** Changes the actions of every flow the match covers (a loose match, like a delete's). */
        MODIFY,
        /** Changes the actions of the flow with exactly this match and priority. */
        MODIFY_STRICT,
        /** Deletes every flow the match covers. */
        DELETE,
        /** Deletes the flow with exactly this match and priority. */
        DELETE_STRICT;

        boolean selects() {
            return this != ADD;
        }

        boolean deletes() {
            return this == DELETE || this == DELETE_STRICT;
        }
    }

    public List<OFFlowAdd> build(List<FlowDefinition> definitions) {
        List<OFFlowAdd> mods = new ArrayList<>(definitions.size());
        for (FlowDefinition definition : definitions) {
            mods.add(build(definition));
        }
        return mods;
    }

    public List<OFFlowMod> build(List<FlowDefinition> definitions, Command command) {
        List<OFFlowMod> mods = new ArrayList<>(definitions.size());
        for (FlowDefinition definition : definitions) {
            mods.add(build(definition, command));
        }
        return mods;
    }

    public OFFlowAdd build(FlowDefinition flow) {
        return (OFFlowAdd) build(flow, Command.ADD);
    }

    /**
     * One FLOW_MOD. A delete without {@code table=} covers every table (from 1.1 on; a modify acts
     * on table 0 then, as OVS refuses "all tables" for it); a modify's or delete's {@code cookie=}
     * selects flows and so needs a mask ({@code cookie=0x1f/-1}); a delete ignores actions.
     */
    public OFFlowMod build(FlowDefinition flow, Command command) {
        String where = flow.where();
        OFFlowMod.Builder mod = switch (command) {
            case ADD -> factory.buildFlowAdd();
            case MODIFY -> factory.buildFlowModify();
            case MODIFY_STRICT -> factory.buildFlowModifyStrict();
            case DELETE -> factory.buildFlowDelete();
            case DELETE_STRICT -> factory.buildFlowDeleteStrict();
        };
        mod.setPriority(DEFAULT_PRIORITY);
        Map<String, Field> matchFields = new LinkedHashMap<>();
        Long ethType = null;
        Short ipProto = null;
        Short table = null;
        for (Field field : flow.fields()) {
            String key = field.key().toLowerCase(Locale.ROOT);
            switch (key) {
                case "ip", "ipv4" -> ethType = setOnce(where, field, ethType, 0x0800L);
                case "arp" -> ethType = setOnce(where, field, ethType, 0x0806L);
                case "ipv6" -> ethType = setOnce(where, field, ethType, 0x86ddL);
                case "tcp", "udp", "icmp", "sctp" -> {
                    ethType = setOnce(where, field, ethType, 0x0800L);
                    short proto = switch (key) {
                        case "tcp" -> 6;
                        case "udp" -> 17;
                        case "icmp" -> 1;
                        default -> 132;
                    };
                    ipProto = setOnce(where, field, ipProto, proto);
                }
                case "dl_type", "eth_type" -> ethType = setOnce(where, field, ethType, number(where, field, 0xffff));
                case "nw_proto", "ip_proto" -> ipProto = setOnce(where, field, ipProto, (short) number(where, field, 0xff));
                case "priority" -> mod.setPriority((int) number(where, field, 0xffff));
                case "idle_timeout" -> mod.setIdleTimeout((int) number(where, field, 0xffff));
                case "hard_timeout" -> mod.setHardTimeout((int) number(where, field, 0xffff));
                case "cookie" -> cookie(where, field, command, mod);
                case "table" -> table = (short) number(where, field, 0xfe);
                case "in_port", "dl_src", "eth_src", "dl_dst", "eth_dst", "dl_vlan", "vlan_vid", "dl_vlan_pcp", "vlan_pcp",
                        "nw_src", "ip_src", "nw_dst", "ip_dst", "nw_tos", "ip_dscp", "tp_src", "tp_dst",
                        "tcp_src", "tcp_dst", "udp_src", "udp_dst", "icmp_type", "icmp_code", "arp_spa", "arp_tpa" -> {
                    if (field.value() == null) {
                        throw new FlowParseException(where, field.key(), "needs a value (" + key + "=...)");
                    }
                    if (matchFields.putIfAbsent(canonical(key), field) != null) {
                        throw new FlowParseException(where, field.toString(), "set twice");
                    }
                }
                case "actions" -> throw new FlowParseException(where, field.toString(), "actions come last");
                default -> throw new FlowParseException(where, field.toString(), "unknown field");
            }
        }
        if (!of10 && command.deletes()) {
            mod.setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY);
        } else if (command.deletes()) {
            mod.setOutPort(OFPort.ANY);
        }
        if (table == null && command.deletes() && !of10) {
            mod.setTableId(TableId.ALL); // as ovs-ofctl: without table=, every table (OVS refuses it for a modify)
        }
        if (table != null) {
            if (of10) {
                if (table != 0) {
                    throw new FlowParseException(where, "table=" + table, "OpenFlow 1.0 has one table");
                }
            } else {
                mod.setTableId(TableId.of(table));
            }
        }
        mod.setMatch(match(where, matchFields, ethType, ipProto));
        if (command.deletes()) {
            return mod.build();
        }
        List<OFAction> actions = new ArrayList<>();
        List<OFInstruction> gotos = new ArrayList<>();
        for (String action : flow.actions()) {
            action(where, action.trim(), actions, gotos);
        }
        if (of10) {
            mod.setActions(actions);
        } else {
            List<OFInstruction> instructions = new ArrayList<>();
            if (!actions.isEmpty()) {
                instructions.add(factory.instructions().applyActions(actions));
            }
            instructions.addAll(gotos);
            mod.setInstructions(instructions);
        }
        return mod.build();
    }

    private static String canonical(String key) {
        return switch (key) {
            case "eth_src" -> "dl_src";
            case "eth_dst" -> "dl_dst";
            case "vlan_vid" -> "dl_vlan";
            case "vlan_pcp" -> "dl_vlan_pcp";
            case "ip_src" -> "nw_src";
            case "ip_dst" -> "nw_dst";
            case "ip_dscp" -> "nw_tos";
            case "tcp_src", "udp_src" -> "tp_src";
            case "tcp_dst", "udp_dst" -> "tp_dst";
            default -> key;
        };
    }

    private Match match(String where, Map<String, Field> fields, Long ethType, Short ipProto) {
        Match.Builder match = factory.buildMatch();
        if (ethType != null) {
            match.setExact(MatchField.ETH_TYPE, EthType.of(ethType.intValue()));
        }
        if (ipProto != null) {
            if (ethType == null || (ethType != 0x0800 && ethType != 0x86dd)) {
                throw new FlowParseException(where, "nw_proto=" + ipProto, "needs ip or ipv6 (dl_type=0x0800)");
            }
            match.setExact(MatchField.IP_PROTO, IpProtocol.of(ipProto));
        }
        for (Map.Entry<String, Field> entry : fields.entrySet()) {
            try {
                matchField(where, match, entry.getKey(), entry.getValue(), ethType, ipProto);
            } catch (UnsupportedOperationException e) { // what this version's match cannot hold
                throw new FlowParseException(where, entry.getValue().toString(),
                        "not supported in OpenFlow " + factory.getVersion() + ": " + e.getMessage());
            }
        }
        return match.build();
    }

    private void matchField(String where, Match.Builder match, String key, Field field, Long ethType, Short ipProto) {
        String value = field.value();
        var entry = Map.entry(key, field);
        {
            switch (entry.getKey()) {
                case "in_port" -> match.setExact(MatchField.IN_PORT, port(where, field, value));
                case "dl_src" -> setMac(match, MatchField.ETH_SRC, where, field);
                case "dl_dst" -> setMac(match, MatchField.ETH_DST, where, field);
                case "dl_vlan" -> {
                    int vid = (int) number(where, field, 0xffff);
                    if (vid == 0xffff) { // ovs-ofctl: no 802.1Q header
                        match.setExact(MatchField.VLAN_VID, of10 ? OFVlanVidMatch.ofRawVid((short) 0xffff) : OFVlanVidMatch.UNTAGGED);
                    } else if (vid > 0xfff) {
                        throw new FlowParseException(where, field.toString(), "a VLAN id is 0-4095 (or 0xffff for none)");
                    } else {
                        match.setExact(MatchField.VLAN_VID, OFVlanVidMatch.ofVlan(vid));
                    }
                }
                case "dl_vlan_pcp" -> match.setExact(MatchField.VLAN_PCP, VlanPcp.of((byte) number(where, field, 7)));
                case "nw_src", "nw_dst", "arp_spa", "arp_tpa" -> {
                    boolean source = entry.getKey().equals("nw_src") || entry.getKey().equals("arp_spa");
                    Masked<IPv4Address> address = ipv4(where, field);
                    MatchField<IPv4Address> target;
                    if (ethType != null && ethType == 0x0800) {
                        target = source ? MatchField.IPV4_SRC : MatchField.IPV4_DST;
                    } else if (ethType != null && ethType == 0x0806) {
                        target = source ? MatchField.ARP_SPA : MatchField.ARP_TPA;
                    } else {
                        throw new FlowParseException(where, field.toString(), "needs ip or arp (dl_type=0x0800 or 0x0806)");
                    }
                    if (address.getMask().equals(IPv4Address.NO_MASK)) {
                        match.setExact(target, address.getValue());
                    } else {
                        match.setMasked(target, address.getValue(), address.getMask());
                    }
                }
                case "nw_tos" -> {
                    requireIp(where, field, ethType);
                    long tos = number(where, field, 0xff);
                    match.setExact(MatchField.IP_DSCP, IpDscp.of((byte) (tos >> 2)));
                }
                case "tp_src", "tp_dst" -> {
                    boolean source = entry.getKey().equals("tp_src");
                    TransportPort tp = TransportPort.of((int) number(where, field, 0xffff));
                    if (ipProto == null) {
                        throw new FlowParseException(where, field.toString(), "needs tcp, udp or sctp (nw_proto=6, 17 or 132)");
                    }
                    switch (ipProto) {
                        case 6 -> match.setExact(source ? MatchField.TCP_SRC : MatchField.TCP_DST, tp);
                        case 17 -> match.setExact(source ? MatchField.UDP_SRC : MatchField.UDP_DST, tp);
                        case 132 -> match.setExact(source ? MatchField.SCTP_SRC : MatchField.SCTP_DST, tp);
                        case 1 -> setIcmp(match, source, where, field); // ovs-ofctl: tp_src/tp_dst of ICMP are its type/code
                        default -> throw new FlowParseException(where, field.toString(), "nw_proto=" + ipProto + " has no ports");
                    }
                }
                case "icmp_type", "icmp_code" -> {
                    if (ipProto == null || ipProto != 1) {
                        throw new FlowParseException(where, field.toString(), "needs icmp (nw_proto=1)");
                    }
                    setIcmp(match, entry.getKey().equals("icmp_type"), where, field);
                }
                default -> throw new IllegalStateException(entry.getKey());
            }
        }
    }

    private static void setIcmp(Match.Builder match, boolean type, String where, Field field) {
        short value = (short) number(where, field, 0xff);
        if (type) {
            match.setExact(MatchField.ICMPV4_TYPE, ICMPv4Type.of(value));
        } else {
            match.setExact(MatchField.ICMPV4_CODE, ICMPv4Code.of(value));
        }
    }

    private static void requireIp(String where, Field field, Long ethType) {
        if (ethType == null || ethType != 0x0800) {
            throw new FlowParseException(where, field.toString(), "needs ip (dl_type=0x0800)");
        }
    }

    private static void setMac(Match.Builder match, MatchField<MacAddress> target, String where, Field field) {
        String[] parts = field.value().split("/", 2);
        MacAddress value = mac(where, field.toString(), parts[0]);
        if (parts.length == 1) {
            match.setExact(target, value);
        } else {
            match.setMasked(target, value, mac(where, field.toString(), parts[1]));
        }
    }

    private void action(String where, String action, List<OFAction> actions, List<OFInstruction> gotos) {
        OFActions a = factory.actions();
        OFOxms oxms = factory.oxms();
        String lower = action.toLowerCase(Locale.ROOT);
        int colon = action.indexOf(':');
        String name = colon < 0 ? lower : lower.substring(0, colon);
        String argument = colon < 0 ? null : action.substring(colon + 1).trim();
        switch (name) {
            case "drop" -> {
                if (argument != null) {
                    throw new FlowParseException(where, action, "drop takes no argument");
                }
            }
            case "normal", "flood", "all", "local", "in_port" -> actions.add(a.output(reservedPort(name), 0));
            case "controller" -> actions.add(a.output(OFPort.CONTROLLER,
                    argument == null ? CONTROLLER_MAX_LEN : (int) number(where, action, argument, 0xffff)));
            case "output" -> {
                if (argument == null) {
                    throw new FlowParseException(where, action, "needs a port (output:2)");
                }
                actions.add(a.output(port(where, action, argument), CONTROLLER_MAX_LEN));
            }
            case "mod_dl_src" -> actions.add(of10 ? a.setDlSrc(mac(where, action, argument))
                    : a.setField(oxms.ethSrc(mac(where, action, argument))));
            case "mod_dl_dst" -> actions.add(of10 ? a.setDlDst(mac(where, action, argument))
                    : a.setField(oxms.ethDst(mac(where, action, argument))));
            case "mod_nw_src" -> actions.add(of10 ? a.setNwSrc(ipv4Exact(where, action, argument))
                    : a.setField(oxms.ipv4Src(ipv4Exact(where, action, argument))));
            case "mod_nw_dst" -> actions.add(of10 ? a.setNwDst(ipv4Exact(where, action, argument))
                    : a.setField(oxms.ipv4Dst(ipv4Exact(where, action, argument))));
            case "mod_vlan_vid" -> {
                int vid = (int) number(where, action, argument, 0xfff);
                actions.add(of10 ? a.setVlanVid(VlanVid.ofVlan(vid)) : a.setField(oxms.vlanVid(OFVlanVidMatch.ofVlan(vid))));
            }
            case "mod_vlan_pcp" -> {
                VlanPcp pcp = VlanPcp.of((byte) number(where, action, argument, 7));
                actions.add(of10 ? a.setVlanPcp(pcp) : a.setField(oxms.vlanPcp(pcp)));
            }
            case "strip_vlan", "pop_vlan" -> actions.add(of10 ? a.stripVlan() : a.popVlan());
            case "push_vlan" -> {
                if (of10) {
                    throw new FlowParseException(where, action, "OpenFlow 1.0 has no push_vlan (use mod_vlan_vid)");
                }
                actions.add(a.pushVlan(EthType.of((int) number(where, action, argument, 0xffff))));
            }
            case "set_field" -> actions.add(setField(where, action, argument));
            case "goto_table" -> {
                if (of10) {
                    throw new FlowParseException(where, action, "OpenFlow 1.0 has no goto_table");
                }
                gotos.add(factory.instructions().gotoTable(TableId.of((int) number(where, action, argument, 0xfe))));
            }
            default -> {
                if (colon < 0 && !action.isEmpty() && Character.isDigit(action.charAt(0))) {
                    actions.add(a.output(port(where, action, action), CONTROLLER_MAX_LEN)); // "actions=2" is output:2
                } else {
                    throw new FlowParseException(where, action, "unknown action");
                }
            }
        }
    }

    /** {@code set_field:VALUE->FIELD} for the common fields. */
    private OFAction setField(String where, String action, String argument) {
        int arrow = argument == null ? -1 : argument.lastIndexOf("->");
        if (arrow < 0) {
            throw new FlowParseException(where, action, "set_field needs VALUE->FIELD");
        }
        String value = argument.substring(0, arrow).trim();
        String field = argument.substring(arrow + 2).trim().toLowerCase(Locale.ROOT);
        OFOxms oxms = factory.oxms();
        OFActions a = factory.actions();
        if (of10) {
            return switch (field) {
                case "eth_src", "dl_src" -> a.setDlSrc(mac(where, action, value));
                case "eth_dst", "dl_dst" -> a.setDlDst(mac(where, action, value));
                case "ip_src", "nw_src", "ipv4_src" -> a.setNwSrc(ipv4Exact(where, action, value));
                case "ip_dst", "nw_dst", "ipv4_dst" -> a.setNwDst(ipv4Exact(where, action, value));
                case "vlan_vid" -> a.setVlanVid(VlanVid.ofVlan((int) number(where, action, value, 0xfff)));
                case "tcp_src", "udp_src", "tp_src" -> a.setTpSrc(TransportPort.of((int) number(where, action, value, 0xffff)));
                case "tcp_dst", "udp_dst", "tp_dst" -> a.setTpDst(TransportPort.of((int) number(where, action, value, 0xffff)));
                default -> throw new FlowParseException(where, action, "set_field of " + field + " is not supported");
            };
        }
        return a.setField(switch (field) {
            case "eth_src", "dl_src" -> oxms.ethSrc(mac(where, action, value));
            case "eth_dst", "dl_dst" -> oxms.ethDst(mac(where, action, value));
            case "ip_src", "nw_src", "ipv4_src" -> oxms.ipv4Src(ipv4Exact(where, action, value));
            case "ip_dst", "nw_dst", "ipv4_dst" -> oxms.ipv4Dst(ipv4Exact(where, action, value));
            case "vlan_vid" -> oxms.vlanVid(OFVlanVidMatch.ofVlan((int) number(where, action, value, 0xfff)));
            case "vlan_pcp" -> oxms.vlanPcp(VlanPcp.of((byte) number(where, action, value, 7)));
            case "tcp_src" -> oxms.tcpSrc(TransportPort.of((int) number(where, action, value, 0xffff)));
            case "tcp_dst" -> oxms.tcpDst(TransportPort.of((int) number(where, action, value, 0xffff)));
            case "udp_src" -> oxms.udpSrc(TransportPort.of((int) number(where, action, value, 0xffff)));
            case "udp_dst" -> oxms.udpDst(TransportPort.of((int) number(where, action, value, 0xffff)));
            default -> throw new FlowParseException(where, action, "set_field of " + field + " is not supported");
        });
    }

    private static OFPort reservedPort(String name) {
        return switch (name) {
            case "normal" -> OFPort.NORMAL;
            case "flood" -> OFPort.FLOOD;
            case "all" -> OFPort.ALL;
            case "local" -> OFPort.LOCAL;
            case "in_port" -> OFPort.IN_PORT;
            case "controller" -> OFPort.CONTROLLER;
            default -> null;
        };
    }

    private static OFPort port(String where, Field field, String value) {
        return port(where, field.toString(), value);
    }

    private static OFPort port(String where, String token, String value) {
        OFPort reserved = reservedPort(value.trim().toLowerCase(Locale.ROOT));
        if (reserved != null) {
            return reserved;
        }
        long number = number(where, token, value, 0xfeff); // up to OFPP_MAX of OpenFlow 1.0
        if (number == 0) {
            throw new FlowParseException(where, token, "port 0 is not a port");
        }
        return OFPort.of((int) number);
    }

    private static <T> T setOnce(String where, Field field, T before, T value) {
        if (before != null && !before.equals(value)) {
            throw new FlowParseException(where, field.toString(), "contradicts an earlier field");
        }
        return value;
    }

    /**
     * An added flow's cookie is one value; a modify or delete selects flows by cookie and mask
     * ({@code /-1}: all 64 bits), which OpenFlow 1.0 cannot carry.
     */
    private void cookie(String where, Field field, Command command, OFFlowMod.Builder mod) {
        String value = field.value();
        if (value == null) {
            throw new FlowParseException(where, field.toString(), "needs a value (cookie=0x1f)");
        }
        String[] parts = value.split("/", -1);
        if (!command.selects()) {
            if (parts.length > 1) {
                throw new FlowParseException(where, field.toString(), "needs one value (a cookie mask is for modifying or deleting)");
            }
            mod.setCookie(cookieValue(where, field, parts[0]));
            return;
        }
        if (parts.length != 2) {
            throw new FlowParseException(where, field.toString(),
                    "selects flows by cookie and mask: write cookie=VALUE/MASK (/-1 for the whole cookie)");
        }
        if (of10) {
            throw new FlowParseException(where, field.toString(), "OpenFlow 1.0 has no cookie mask");
        }
        mod.setCookie(cookieValue(where, field, parts[0]));
        mod.setCookieMask(parts[1].strip().equals("-1") ? U64.NO_MASK : cookieValue(where, field, parts[1]));
    }

    private static U64 cookieValue(String where, Field field, String text) {
        String value = text.strip();
        boolean hex = value.startsWith("0x") || value.startsWith("0X");
        try {
            return U64.of(Long.parseUnsignedLong(hex ? value.substring(2) : value, hex ? 16 : 10));
        } catch (NumberFormatException e) {
            throw new FlowParseException(where, field.toString(), "not a number");
        }
    }

    private static long number(String where, Field field, long max) {
        if (field.value() == null) {
            throw new FlowParseException(where, field.key(), "needs a value (" + field.key() + "=...)");
        }
        return number(where, field.toString(), field.value(), max);
    }

    /** A decimal or 0x-hex number from 0 to {@code max}. */
    static long number(String where, String token, String text, long max) {
        if (text == null || text.isBlank()) {
            throw new FlowParseException(where, token, "needs a number");
        }
        String t = text.trim();
        long value;
        try {
            value = t.startsWith("0x") || t.startsWith("0X") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new FlowParseException(where, token, "not a number");
        }
        if (value < 0 || value > max) {
            throw new FlowParseException(where, token, "out of range 0-" + max);
        }
        return value;
    }

    private static MacAddress mac(String where, String token, String text) {
        try {
            return MacAddress.of(text == null ? "" : text.trim());
        } catch (IllegalArgumentException e) {
            throw new FlowParseException(where, token, "not a MAC address (00:11:22:33:44:55)");
        }
    }

    private static Masked<IPv4Address> ipv4(String where, Field field) {
        try {
            IPv4AddressWithMask masked = IPv4AddressWithMask.of(field.value().trim());
            return Masked.of(masked.getValue(), masked.getMask());
        } catch (IllegalArgumentException e) {
            throw new FlowParseException(where, field.toString(), "not an IPv4 address or prefix (10.0.0.0/24, 10.0.0.0/255.255.255.0)");
        }
    }

    private static IPv4Address ipv4Exact(String where, String token, String text) {
        try {
            return IPv4Address.of(text == null ? "" : text.trim());
        } catch (IllegalArgumentException e) {
            throw new FlowParseException(where, token, "not an IPv4 address");
        }
    }
}
