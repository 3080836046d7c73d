#!/usr/bin/env bash
# Installs what Switchboard runs against (and, unless --no-build, what builds it, then builds the
# jar) on a Debian machine: the lab VMs' first provisioning step.
#
#   install.sh [--no-build] [--checkout DIR]
#
# --no-build      only the runtime packages (OVS, Mininet, iproute2…): the hypervisor VMs, which
#                 run no Java
# --checkout DIR  the Switchboard checkout (default: two levels above this script)
#
# The package lists are the launcher's own (RUNTIME_PACKAGES, BUILD_PACKAGES in ./switchboard):
# this script sources the launcher, which defines its functions without running anything, and
# calls its installer, so the VMs and `./switchboard` cannot drift apart.
set -euo pipefail

build=1
checkout=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
while (($#)); do
  case $1 in
    --no-build) build=0 ;;
    --checkout)
      (($# >= 2)) || { echo "install.sh: --checkout needs a directory" >&2; exit 2; }
      checkout=$2
      shift
      ;;
    -h | --help)
      sed -n '5,6p' "${BASH_SOURCE[0]}" | sed 's/^#  */Usage: /'
      exit 0
      ;;
    *) echo "install.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ -x $checkout/switchboard ]] || { echo "install.sh: no launcher at $checkout/switchboard" >&2; exit 2; }

# shellcheck source-path=SCRIPTDIR/../.. source=switchboard
source "$checkout/switchboard"
cd "$SWITCHBOARD_HOME"
ensure_packages "${RUNTIME_PACKAGES[@]}"
if ((build)); then
  ensure_packages "${BUILD_PACKAGES[@]}"
  ensure_java
  ensure_build "$JAR" server
  say "installed; $JAR is built"
else
  say "installed the runtime packages"
fi
