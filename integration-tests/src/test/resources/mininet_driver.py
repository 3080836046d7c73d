"""Runs a real Mininet network and takes commands as JSON lines on stdin.

The integration tests start it with /usr/bin/python3 (Debian's, which has Mininet) and
OVS_RUNDIR pointing at a private OVS, so Mininet's switches live there. Every node name
gets the run's prefix so kernel interfaces never collide with another run; switches keep
the datapath id Mininet would give the unprefixed name. Each answer is one line starting
with RESULT_MARK, holding JSON.
"""
import json
import re
import sys
from functools import partial

from mininet.log import setLogLevel
from mininet.net import Mininet
from mininet.node import OVSSwitch, RemoteController
from mininet.topo import LinearTopo, SingleSwitchTopo, Topo
from mininet.topolib import TreeTopo

RESULT_MARK = "MNRESULT "


class RingTopo(Topo):
    """n switches in a ring, one host on each."""

    def build(self, n=4):
        for i in range(1, n + 1):
            self.addSwitch("s%d" % i)
            self.addHost("h%d" % i)
            self.addLink("h%d" % i, "s%d" % i)
        for i in range(1, n + 1):
            self.addLink("s%d" % i, "s%d" % (i % n + 1))


class DiamondTopo(Topo):
    """h1 - s1 - {s2, s3} - s4 - h2: two paths of equal length between two hosts."""

    def build(self):
        for s in ("s1", "s2", "s3", "s4"):
            self.addSwitch(s)
        self.addHost("h1")
        self.addHost("h2")
        self.addLink("h1", "s1")
        self.addLink("h2", "s4")
        self.addLink("s1", "s2")
        self.addLink("s2", "s4")
        self.addLink("s1", "s3")
        self.addLink("s3", "s4")


class RoutedTopo(Topo):
    """Two subnets on two switches, and a third subnet behind a Linux router r (a static route)."""

    def build(self):
        self.addSwitch("s1")
        self.addSwitch("s2")
        self.addLink("s1", "s2")
        self.addHost("h1", ip="10.0.1.10/24", defaultRoute="via 10.0.1.1")
        self.addHost("h2", ip="10.0.2.10/24", defaultRoute="via 10.0.2.1")
        self.addHost("r", ip="10.0.2.254/24", defaultRoute="via 10.0.2.1")
        self.addHost("h3", ip="10.0.3.10/24", defaultRoute="via 10.0.3.1")
        self.addLink("h1", "s1")
        self.addLink("h2", "s2")
        self.addLink("r", "s2")
        self.addLink("r", "h3", params1={"ip": "10.0.3.1/24"})


def mininet_topo(spec):
    name, *args = spec.split(",")
    numbers = [int(a) for a in args]
    if name == "single":
        return SingleSwitchTopo(*numbers)
    if name == "linear":
        return LinearTopo(*numbers)
    if name == "tree":
        return TreeTopo(*numbers)
    if name == "ring":
        return RingTopo(*numbers)
    if name == "diamond":
        return DiamondTopo()
    if name == "routed":
        return RoutedTopo()
    raise ValueError("unknown topology " + spec)


def prefixed(topo, prefix):
    """The same topology with every node renamed prefix+name, switches keeping Mininet's dpid."""
    out = Topo()
    for node in topo.nodes():
        info = dict(topo.nodeInfo(node))
        info.pop("isSwitch", None)
        if topo.isSwitch(node):
            info.setdefault("dpid", "%x" % int(re.findall(r"\d+", node)[0]))
            out.addSwitch(prefix + node, **info)
        else:
            out.addHost(prefix + node, **info)
    for a, b, info in topo.links(sort=True, withInfo=True):
        info = dict(info)
        node1, node2 = info.pop("node1"), info.pop("node2")
        out.addLink(prefix + node1, prefix + node2, **info)
    return out


def main():
    spec, prefix, port, protocols = sys.argv[1:5]
    # the controller's address as the switches' namespace reaches it (the private OVS's uplink)
    controller_ip = sys.argv[5] if len(sys.argv) > 5 else "127.0.0.1"
    setLogLevel("warning")
    switch = partial(OVSSwitch, datapath="user", protocols=protocols)
    controller = partial(RemoteController, ip=controller_ip, port=int(port))
    net = Mininet(topo=prefixed(mininet_topo(spec), prefix), switch=switch, controller=controller,
                  autoSetMacs=True, waitConnected=True)
    net.start()
    # OVS's userspace datapath does not complete checksums a veth left to offload: TCP
    # between hosts would stall (ping is unaffected). Hosts compute their own instead.
    for host in net.hosts:
        for intf in host.intfList():
            host.cmd("ethtool -K %s tx off" % intf.name)
    if spec == "routed":
        net.get(prefix + "r").cmd("sysctl -w net.ipv4.ip_forward=1")
    answer({"started": True})
    try:
        for line in sys.stdin:
            request = json.loads(line)
            if request["cmd"] == "stop":
                break
            try:
                answer(handle(net, prefix, request))
            except Exception as e:  # the test reads the error; the network stays up
                answer({"error": repr(e)})
    finally:
        net.stop()
    answer({"stopped": True})


def handle(net, prefix, request):
    cmd = request["cmd"]
    if cmd == "pingall":
        return {"dropped": net.pingAll(timeout=request.get("timeout", "1"))}
    if cmd == "run":
        return {"output": net.get(prefix + request["node"]).cmd(request["line"])}
    if cmd == "link":
        net.configLinkStatus(prefix + request["a"], prefix + request["b"], request["state"])
        return {"ok": True}
    if cmd == "iperf":
        return iperf(net.get(prefix + request["a"]), net.get(prefix + request["b"]), request.get("seconds", 5))
    if cmd == "topology":
        switches = {s.name[len(prefix):]: int(s.dpid, 16) for s in net.switches}
        links = []
        for link in net.links:
            ends = []
            for intf in (link.intf1, link.intf2):
                node = intf.node
                number = node.ports[intf] if node in net.switches else None
                ends.append({"node": node.name[len(prefix):], "port": number})
            links.append(ends)
        hosts = {h.name[len(prefix):]: {"mac": h.MAC(), "ip": h.IP()} for h in net.hosts}
        return {"switches": switches, "links": links, "hosts": hosts}
    raise ValueError("unknown command " + cmd)


def iperf(client, server, seconds):
    """iperf from client to server. Not Mininet's net.iperf: it waits for two server reports,
    and iperf 2.1 writes none for the telnet probe Mininet counts as the first, so it hangs."""
    pid = server.cmd("iperf -s -p 5001 >/dev/null 2>&1 & echo $!").strip().split()[-1]
    try:
        out = client.cmd("timeout %d iperf -c %s -p 5001 -t %d -f m 2>&1" % (seconds + 30, server.IP(), seconds))
    finally:
        server.cmd("kill %s" % pid)
    rates = re.findall(r"([0-9.]+ [KMG]?bits/sec)", out)
    if not rates:
        raise RuntimeError("iperf reported no rate: " + out)
    return {"rate": rates[-1], "output": out}


def answer(value):
    sys.stdout.write(RESULT_MARK + json.dumps(value) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
