#!/usr/bin/env bash
# Makes a VM of the three-VM lab a hypervisor: the kernel datapath when the openvswitch module
# loads, else the userspace one (with the private network's device as its underlay), then
# hypervisor.sh points its OVS at the controller, and tenants.sh puts tenant namespaces behind
# the bridges the controller creates.
#
#   host.sh --name NAME --address IP --manager tcp:IP:PORT
#
# --address IP  this VM's address on the private network: the tunnel endpoint, and how its device
#               is found
set -euo pipefail

say() { printf 'host.sh: %s\n' "$*" >&2; }
die() {
  say "$*"
  exit 2
}

here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
name='' address='' manager=''
while (($#)); do
  case $1 in
    --name | --address | --manager)
      (($# >= 2)) || die "$1 needs a value"
      case $1 in
        --name) name=$2 ;;
        --address) address=$2 ;;
        --manager) manager=$2 ;;
      esac
      shift 2
      ;;
    -h | --help)
      sed -n '7p' "${BASH_SOURCE[0]}" | sed 's/^#  */Usage: /'
      exit 0
      ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[[ -n $name && -n $address && -n $manager ]] || die "--name, --address and --manager are required"

# The device holding ADDRESS; after a netdev run it is br-underlay, which already holds it.
device=$(ip -4 -o addr show | awk -v a="$address" '{ split($4, p, "/"); if (p[1] == a) { print $2; exit } }')
[[ -n $device ]] || die "no interface has $address: is the private network up?"

if modprobe openvswitch 2>/dev/null; then
  "$here/hypervisor.sh" --name "$name" --manager "$manager" --datapath system
elif [[ $device == br-underlay ]]; then
  "$here/hypervisor.sh" --name "$name" --manager "$manager" --datapath netdev
else
  say "no openvswitch kernel module: userspace datapath, $device as the underlay"
  "$here/hypervisor.sh" --name "$name" --manager "$manager" --datapath netdev --underlay "$device"
fi
"$here/tenants.sh" --host "$name"
