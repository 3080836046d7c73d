#!/usr/bin/env bash
# Makes this host an Open vSwitch hypervisor managed by Switchboard: its OVS runs, knows its name,
# and its OVSDB manager points at the controller, which then creates the bridges and tunnels it
# declares (passive mode: Switchboard listens, this OVS connects).
#
#   hypervisor.sh --name NAME --manager tcp:IP:PORT [--datapath system|netdev] [--run-dir DIR]
#                 [--underlay DEV]
#
# --run-dir DIR  start a private ovsdb-server and ovs-vswitchd whose files (database, sockets,
#                pidfiles, logs) live in DIR, in the current network namespace: the one-machine
#                example runs this inside each hypervisor's namespace. A database already in DIR
#                is kept, so running the script again after a crash restarts the same switch.
#                Without it the system's openvswitch-switch service is used (the Vagrant VMs).
# --datapath     system (kernel module, the default) or netdev (userspace). Recorded in the
#                database (external_ids:switchboard-datapath-type) so the controller gives this
#                host's bridges that datapath.
# --underlay DEV only with netdev: OVS's userspace tunnels leave through a bridge that holds the
#                local tunnel address, so DEV is put on bridge br-underlay (standalone, no
#                controller) and DEV's IPv4 address moves to that bridge. The kernel datapath
#                sends tunnels through the kernel's own routes and needs none of this.
#
# It creates no bridge of the controller's: the integration bridge and the tunnel ports come from
# the controller's declared state. Running it again is harmless.
set -euo pipefail

SCHEMA=/usr/share/openvswitch/vswitch.ovsschema
UNDERLAY_BRIDGE=br-underlay

say() { printf 'hypervisor.sh: %s\n' "$*" >&2; }
die() {
  say "$*"
  exit 2
}

usage() {
  sed -n '5,6p' "${BASH_SOURCE[0]}" | sed 's/^#  */Usage: /'
}

name='' manager='' datapath=system run_dir='' underlay=''
while (($#)); do
  case $1 in
    --name | --manager | --datapath | --run-dir | --underlay)
      (($# >= 2)) || die "$1 needs a value"
      case $1 in
        --name) name=$2 ;;
        --manager) manager=$2 ;;
        --datapath) datapath=$2 ;;
        --run-dir) run_dir=$2 ;;
        --underlay) underlay=$2 ;;
      esac
      shift 2
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

[[ -n $name ]] || die "--name NAME is required"
[[ $name =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$ ]] || die "--name '$name': letters, digits, '.', '_', '-', at most 63"
[[ -n $manager ]] || die "--manager tcp:IP:PORT is required"
[[ $manager =~ ^(tcp|ssl):[0-9A-Za-z.:-]+:[0-9]{1,5}$ ]] || die "--manager '$manager' is not tcp:IP:PORT or ssl:IP:PORT"
[[ $datapath == system || $datapath == netdev ]] || die "--datapath is system or netdev, not '$datapath'"
[[ -z $underlay || $datapath == netdev ]] || die "--underlay is for the netdev datapath only"
[[ -z $underlay || $underlay =~ ^[A-Za-z0-9._-]{1,15}$ ]] || die "--underlay '$underlay' is not an interface name"

# A daemon whose pidfile names a live process of that program.
running() { # PIDFILE PROGRAM
  local pid
  [[ -r $1 ]] || return 1
  pid=$(<"$1")
  [[ $pid =~ ^[0-9]+$ ]] && [[ $(cat "/proc/$pid/comm" 2>/dev/null || true) == "$2" ]]
}

start_private() { # DIR
  local dir=$1
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  export OVS_RUNDIR=$dir OVS_LOGDIR=$dir OVS_DBDIR=$dir
  db=unix:$dir/db.sock
  [[ -f $dir/conf.db ]] || ovsdb-tool create "$dir/conf.db" "$SCHEMA"
  if ! running "$dir/ovsdb-server.pid" ovsdb-server; then
    ovsdb-server "$dir/conf.db" --remote="punix:$dir/db.sock" \
      --remote=db:Open_vSwitch,Open_vSwitch,manager_options \
      --pidfile="$dir/ovsdb-server.pid" --log-file="$dir/ovsdb-server.log" \
      --unixctl="$dir/ovsdb-server.ctl" --detach
  fi
  ovs-vsctl --db="$db" --no-wait init
  if ! running "$dir/ovs-vswitchd.pid" ovs-vswitchd; then
    ovs-vswitchd "$db" --pidfile="$dir/ovs-vswitchd.pid" --log-file="$dir/ovs-vswitchd.log" \
      --unixctl="$dir/ovs-vswitchd.ctl" --detach
  fi
}

start_system() {
  db=unix:/var/run/openvswitch/db.sock
  if ovs-vsctl --timeout=5 show >/dev/null 2>&1; then
    return 0
  fi
  if command -v service >/dev/null 2>&1 && service openvswitch-switch start; then
    return 0
  fi
  /usr/share/openvswitch/scripts/ovs-ctl start --system-id="$name"
}

# Puts DEV on the underlay bridge and moves its IPv4 address there (see --underlay above).
underlay_bridge() { # DEV
  local dev=$1 address
  ip link show "$dev" >/dev/null 2>&1 || die "--underlay $dev: no such interface here"
  vsctl --may-exist add-br "$UNDERLAY_BRIDGE" -- set bridge "$UNDERLAY_BRIDGE" datapath_type=netdev \
    fail_mode=standalone -- --may-exist add-port "$UNDERLAY_BRIDGE" "$dev"
  ip link set "$dev" up
  ip link set "$UNDERLAY_BRIDGE" up
  while read -r address; do
    ip addr del "$address" dev "$dev"
    ip addr replace "$address" dev "$UNDERLAY_BRIDGE"
  done < <(ip -4 -o addr show dev "$dev" | awk '{print $4}')
  ip -4 -o addr show dev "$UNDERLAY_BRIDGE" | grep -q inet ||
    die "--underlay $dev: neither $dev nor $UNDERLAY_BRIDGE has an IPv4 address (the local tunnel address)"
}

vsctl() { ovs-vsctl --db="$db" --timeout=30 "$@"; }

db=''
if [[ -n $run_dir ]]; then
  start_private "$run_dir"
else
  start_system
fi

vsctl set Open_vSwitch . external_ids:system-id="$name" external_ids:hostname="$name" \
  external_ids:switchboard-datapath-type="$datapath"
[[ -z $underlay ]] || underlay_bridge "$underlay"
vsctl set-manager "$manager"
say "$name: OVS $(vsctl get Open_vSwitch . ovs_version) ($datapath datapath) managed by $manager"
