# Prints a Mininet topology as LabSpec.describe() does, without starting a network:
# hosts with the addresses Mininet.buildFromTopo would give them, switches with their
# default dpid, and links with the ports Topo.addPort numbered. Run by MininetTopologiesTest
# with Debian's /usr/bin/python3: python3 -c "$(cat this)" TOPO
import sys
from mininet.topo import SingleSwitchTopo, LinearTopo, MinimalTopo
from mininet.topolib import TreeTopo
from mininet.util import buildTopo, ipAdd, netParse
from mininet.node import Switch
TOPOS = {'minimal': MinimalTopo, 'linear': LinearTopo, 'single': SingleSwitchTopo, 'tree': TreeTopo}
topo = buildTopo(TOPOS, sys.argv[1])
base, prefix = netParse('10.0.0.0/8')
nextIP = ((0xffffffff >> prefix) & base) or 1
for h in topo.hosts():
    print('host %s %s/%d' % (h, ipAdd(nextIP, ipBaseNum=base, prefixLen=prefix), prefix))
    nextIP += 1
class Named(object):
    dpidLen = 16
for s in topo.switches():
    n = Named(); n.name = s
    print('switch %s dpid=%s' % (s, Switch.defaultDpid(n, topo.nodeInfo(s).get('dpid'))))
def end(node, port):
    return '%s:%s' % (node, port if topo.isSwitch(node) else 'eth%d' % port)
for n1, n2, info in topo.links(sort=True, withInfo=True):
    print('link %s %s' % (end(n1, info['port1']), end(n2, info['port2'])))
