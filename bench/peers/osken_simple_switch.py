"""A learning switch for os-ken, the peer in `./switchboard bench peers`.

The same logic as Ryu's example apps simple_switch.py (OpenFlow 1.0) and simple_switch_13.py
(OpenFlow 1.3), in one app that speaks both: learn the source MAC's port; if the destination is
known, install an exact flow (in_port, eth_dst, eth_src) and forward, else flood.

- OpenFlow 1.0: a FLOW_MOD without buffer id, then a PACKET_OUT of the buffered packet.
- OpenFlow 1.3: a table-miss flow at connect; per packet-in a FLOW_MOD that carries the buffer id
  (nothing else) when the packet is buffered, else a FLOW_MOD and a PACKET_OUT with the data.
  Unlike Ryu's, buffer id 0 counts as a buffer id (Ryu tests `if buffer_id:`).

Run: osken-manager --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port PORT osken_simple_switch.py
"""

from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER, set_ev_cls
from os_ken.lib.packet import ether_types, ethernet, packet
from os_ken.ofproto import ofproto_v1_0, ofproto_v1_3


class SimpleSwitch(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_0.OFP_VERSION, ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mac_to_port = {}

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def switch_features_handler(self, ev):
        datapath = ev.msg.datapath
        ofproto = datapath.ofproto
        if ofproto.OFP_VERSION == ofproto_v1_0.OFP_VERSION:
            return  # 1.0 sends table misses to the controller by itself
        parser = datapath.ofproto_parser
        actions = [parser.OFPActionOutput(ofproto.OFPP_CONTROLLER, ofproto.OFPCML_NO_BUFFER)]
        self._add_flow_13(datapath, 0, parser.OFPMatch(), actions)

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def packet_in_handler(self, ev):
        msg = ev.msg
        datapath = msg.datapath
        ofproto = datapath.ofproto
        parser = datapath.ofproto_parser
        v10 = ofproto.OFP_VERSION == ofproto_v1_0.OFP_VERSION
        in_port = msg.in_port if v10 else msg.match['in_port']

        eth = packet.Packet(msg.data).get_protocol(ethernet.ethernet)
        if eth.ethertype == ether_types.ETH_TYPE_LLDP:
            return
        dst, src = eth.dst, eth.src
        ports = self.mac_to_port.setdefault(datapath.id, {})
        ports[src] = in_port
        out_port = ports.get(dst, ofproto.OFPP_FLOOD)
        actions = [parser.OFPActionOutput(out_port)]

        if out_port != ofproto.OFPP_FLOOD:
            if v10:
                match = parser.OFPMatch(in_port=in_port, dl_dst=dst, dl_src=src)
                datapath.send_msg(parser.OFPFlowMod(
                    datapath=datapath, match=match, cookie=0, command=ofproto.OFPFC_ADD,
                    idle_timeout=0, hard_timeout=0, priority=ofproto.OFP_DEFAULT_PRIORITY,
                    flags=ofproto.OFPFF_SEND_FLOW_REM, actions=actions))
            else:
                match = parser.OFPMatch(in_port=in_port, eth_dst=dst, eth_src=src)
                if msg.buffer_id != ofproto.OFP_NO_BUFFER:
                    self._add_flow_13(datapath, 1, match, actions, msg.buffer_id)
                    return
                self._add_flow_13(datapath, 1, match, actions)

        data = msg.data if msg.buffer_id == ofproto.OFP_NO_BUFFER else None
        datapath.send_msg(parser.OFPPacketOut(
            datapath=datapath, buffer_id=msg.buffer_id, in_port=in_port, actions=actions, data=data))

    @staticmethod
    def _add_flow_13(datapath, priority, match, actions, buffer_id=None):
        ofproto = datapath.ofproto
        parser = datapath.ofproto_parser
        inst = [parser.OFPInstructionActions(ofproto.OFPIT_APPLY_ACTIONS, actions)]
        if buffer_id is None:
            mod = parser.OFPFlowMod(datapath=datapath, priority=priority, match=match, instructions=inst)
        else:
            mod = parser.OFPFlowMod(datapath=datapath, buffer_id=buffer_id, priority=priority,
                                    match=match, instructions=inst)
        datapath.send_msg(mod)
