#!/usr/bin/env bash
# Tenant hosts behind a hypervisor's bridges: for each tenant a namespace whose eth0 is a veth
# port on the tenant's bridge. The bridges are the controller's (it creates them over OVSDB), so
# this waits for each to appear. Running it again is harmless.
#
#   tenants.sh --host NAME [--db unix:SOCKET] [--wait SECS] [--tenant NS:BRIDGE:IP/LEN...]
#
# --host NAME  the hypervisor's name (hv1, hv2…); a digit at its end numbers its tenants' addresses
# --tenant     a tenant namespace, its bridge and its address; default, on hvN:
#              red:br-int:10.0.0.N/24 and blue:br-blue:10.0.0.N/24 (the same subnet: the VNI
#              keeps them apart)
# --db         the OVSDB socket (default the system's)
# --wait SECS  how long to wait for each bridge (default 900: on first boot the controller VM
#              may still be building Switchboard)
set -euo pipefail

say() { printf 'tenants.sh: %s\n' "$*" >&2; }
die() {
  say "$*"
  exit 2
}

host='' db=unix:/var/run/openvswitch/db.sock tenants=() wait=900
while (($#)); do
  case $1 in
    --host | --db | --tenant | --wait)
      (($# >= 2)) || die "$1 needs a value"
      case $1 in
        --host) host=$2 ;;
        --db) db=$2 ;;
        --tenant) tenants+=("$2") ;;
        --wait) wait=$2 ;;
      esac
      shift 2
      ;;
    -h | --help)
      sed -n '5p' "${BASH_SOURCE[0]}" | sed 's/^#  */Usage: /'
      exit 0
      ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[[ $host =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$ ]] || die "--host NAME is required (letters, digits, '.', '_', '-')"
[[ $wait =~ ^[1-9][0-9]{0,5}$ ]] || die "--wait '$wait' is not a number of seconds"
if ((${#tenants[@]} == 0)); then
  [[ $host =~ ([0-9]+)$ ]] || die "--host '$host' ends in no number: give --tenant NS:BRIDGE:IP/LEN"
  n=${BASH_REMATCH[1]}
  tenants=("red:br-int:10.0.0.$n/24" "blue:br-blue:10.0.0.$n/24")
fi

vsctl() { ovs-vsctl --db="$db" --timeout=30 "$@"; }

for tenant in "${tenants[@]}"; do
  IFS=: read -r ns bridge cidr <<<"$tenant"
  [[ $ns =~ ^[a-z][a-z0-9]{0,9}$ && -n $bridge && $cidr == */* ]] ||
    die "--tenant '$tenant' is not NS:BRIDGE:IP/LEN (NS: at most 10 lower-case letters and digits)"
  outer=$ns-hv # the bridge's end of the veth pair
  say "waiting for the controller to create $bridge"
  ovs-vsctl --db="$db" --timeout="$wait" wait-until bridge "$bridge" ||
    die "no bridge $bridge after $wait s: is the controller running and hypervisor.sh's manager connected?"
  ip netns list | grep -qw "^$ns" || ip netns add "$ns"
  if ! ip link show "$outer" >/dev/null 2>&1; then
    ip link add "$outer" type veth peer name eth0 netns "$ns"
  fi
  # VXLAN adds 50 bytes: the tenants' MTU leaves room for it on a 1500-byte underlay.
  ip -n "$ns" link set eth0 mtu 1450 up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr replace "$cidr" dev eth0
  ip link set "$outer" mtu 1450 up
  vsctl --may-exist add-port "$bridge" "$outer"
  say "$ns ($cidr) on $bridge"
done
