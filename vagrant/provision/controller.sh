#!/usr/bin/env bash
# Runs Switchboard as the controller of the two-hosts lab: a systemd unit (switchboard.service)
# that listens for OVSDB managers (passive) and OpenFlow switches on ADDRESS and declares, for
# every hypervisor, the tenant bridges and VXLAN tunnels to the other hypervisors.
#
#   controller.sh --address IP --hypervisor NAME=IP [--hypervisor NAME=IP...]
#                 [--checkout DIR] [--config FILE]
#
# --address IP           the controller's address on the hypervisors' network (OVSDB port 6640,
#                        OpenFlow port 6653)
# --hypervisor NAME=IP   a hypervisor: the system-id hypervisor.sh --name gave it, and its tunnel
#                        (underlay) address. Two or more.
# --config FILE          where the generated config goes (default /etc/switchboard/two-hosts.yaml)
#
# The networks, as tenants.sh makes them on each hypervisor: red on br-int (VNI 100) and blue on
# br-blue (VNI 200), both 10.0.0.0/24: the same addresses, kept apart by VNI.
set -euo pipefail

say() { printf 'controller.sh: %s\n' "$*" >&2; }
die() {
  say "$*"
  exit 2
}

IPV4='^([0-9]{1,3}\.){3}[0-9]{1,3}$'
address='' hypervisors=() config=/etc/switchboard/two-hosts.yaml
checkout=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
while (($#)); do
  case $1 in
    --address | --hypervisor | --checkout | --config)
      (($# >= 2)) || die "$1 needs a value"
      case $1 in
        --address) address=$2 ;;
        --hypervisor) hypervisors+=("$2") ;;
        --checkout) checkout=$2 ;;
        --config) config=$2 ;;
      esac
      shift 2
      ;;
    -h | --help)
      sed -n '5,6p' "${BASH_SOURCE[0]}" | sed 's/^#  */Usage: /'
      exit 0
      ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[[ $address =~ $IPV4 ]] || die "--address IP is required (an IPv4 address, not '$address')"
((${#hypervisors[@]} >= 2)) || die "two or more --hypervisor NAME=IP are needed"
[[ -x $checkout/switchboard ]] || die "no launcher at $checkout/switchboard (--checkout DIR)"

hosts=''
for hypervisor in "${hypervisors[@]}"; do
  name=${hypervisor%%=*} ip=${hypervisor#*=}
  [[ $name =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$ && $ip =~ $IPV4 ]] ||
    die "--hypervisor '$hypervisor' is not NAME=IPv4"
  hosts+="${hosts:+, }{name: $name, tunnelIp: $ip}"
done

mkdir -p "$(dirname "$config")"
cat >"$config.new" <<YAML
# Written by vagrant/provision/controller.sh: the two-hosts lab across VMs.
openflow:
  listen: ["tcp:$address:6653"]
ovsdb:
  listen: ["ptcp:6640:$address"]           # hypervisor.sh --manager tcp:$address:6640
  controllers: ["tcp:$address:6653"]
  overlay:
    type: vxlan
    hosts: [$hosts]
    networks: [{bridge: br-int, vni: 100}, {bridge: br-blue, vni: 200}]
apps:
  l2-learning: {}
YAML
mv "$config.new" "$config"

cat >/etc/systemd/system/switchboard.service <<UNIT
[Unit]
Description=Switchboard controller (two-hosts lab)
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=$checkout/switchboard controller --config $config
Restart=on-failure
RestartSec=2

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable switchboard.service
systemctl restart switchboard.service
say "switchboard.service runs with $config (journalctl -u switchboard)"
