#!/usr/bin/env bash
# Runs the same cbench-like OpenFlow load (./switchboard bench openflow) against Switchboard's
# l2-learning app and two peer learning switches, one after the other, on loopback, and prints a
# markdown table of medians and ratios for docs/benchmarks.md.
#
# Usually started as `./switchboard bench peers [OPTIONS]`, which installs the peers' Debian
# packages (openvswitch-testcontroller, python3-os-ken) and builds both jars first.
#
# Options (defaults in brackets):
#   --seconds S        length of each loop [1]
#   --loops N          loops that count; the table shows their median [10]
#   --warmup N         loops run first, not counted [2]
#   --switches N       emulated switches [16]
#   --macs N           hosts per switch [1000]
#   --versions "V..."  OpenFlow versions [1.0 1.3]
#   --modes "M..."     throughput and/or latency [throughput latency]
#   --peers "P..."     switchboard ovs-testcontroller os-ken [all three]
#   --port P           first TCP port; each run uses its own [16653]
#   --no-pin           do not pin the controller and the generator to separate cores
#   --out FILE         also write the markdown there [bench/target/peers.md]
#
# Fairness: by default (with at least 2 cores) every controller runs on core 1 alone and the
# load generator on core 0 (taskset), so each controller gets one core whatever threads it has:
# ovs-testcontroller and os-ken are single-threaded, Switchboard's JVM would otherwise take both
# cores from the generator. Each run starts the controller afresh (empty MAC tables).
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
BENCH_JAR=$ROOT/bench/target/switchboard-bench.jar
SERVER_JAR=$ROOT/server/target/switchboard.jar
OSKEN_APP=$ROOT/bench/peers/osken_simple_switch.py

seconds=1 loops=10 warmup=2 switches=16 macs=1000 port=16653 pin=1
versions="1.0 1.3" modes="throughput latency" peers="switchboard ovs-testcontroller os-ken"
out=$ROOT/bench/target/peers.md
command_line="./switchboard bench peers${*:+ $*}"

while (($#)); do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --loops) loops=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --switches) switches=$2; shift 2 ;;
    --macs) macs=$2; shift 2 ;;
    --versions) versions=$2; shift 2 ;;
    --modes) modes=$2; shift 2 ;;
    --peers) peers=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --no-pin) pin=0; shift ;;
    --out) out=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "peers.sh: unknown option $1 (--help)" >&2; exit 2 ;;
  esac
done

say() { printf 'peers: %s\n' "$*" >&2; }

[[ -f $BENCH_JAR ]] || { say "no $BENCH_JAR: run ./switchboard bench peers"; exit 1; }
if ((pin)) && (($(nproc) < 2)); then
  say "fewer than 2 cores: not pinning"
  pin=0
fi
controller_cpus() { if ((pin)); then echo "taskset -c 1"; fi; }
generator_cpus() { if ((pin)); then echo "taskset -c 0"; fi; }

WORK=$(mktemp -d /tmp/switchboard-peers.XXXXXX)
peer_pid=
stop_peer() {
  if [[ -n $peer_pid ]] && kill -0 "$peer_pid" 2>/dev/null; then
    kill "$peer_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$peer_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$peer_pid" 2>/dev/null || true
    wait "$peer_pid" 2>/dev/null || true
  fi
  peer_pid=
}
trap 'stop_peer; rm -rf "$WORK"' EXIT

listening() { # PORT
  [[ -n $(ss -Hltn "sport = :$1" 2>/dev/null) ]]
}

# Starts PEER for OpenFlow VERSION on PORT in the background; sets peer_pid. Prints nothing.
start_peer() { # PEER VERSION PORT LOG
  local peer=$1 version=$2 p=$3 log=$4
  case $peer in
    switchboard)
      [[ -f $SERVER_JAR ]] || { echo "no $SERVER_JAR (run ./switchboard bench peers)" >"$log"; return 1; }
      $(controller_cpus) java -jar "$SERVER_JAR" controller --port "$p" --versions "$version" \
        --apps l2-learning >"$log" 2>&1 &
      ;;
    ovs-testcontroller)
      # Default mode: MAC learning, exact-match flows (idle 60 s); -O allows 1.3.
      OVS_RUNDIR=$WORK $(controller_cpus) ovs-testcontroller -O "OpenFlow${version/./}" \
        "ptcp:$p:127.0.0.1" --unixctl="$WORK/testcontroller.$p.ctl" -vconsole:warn >"$log" 2>&1 &
      ;;
    os-ken)
      $(controller_cpus) osken-manager --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port "$p" \
        "$OSKEN_APP" >"$log" 2>&1 &
      ;;
    *) echo "unknown peer $peer" >"$log"; return 1 ;;
  esac
  peer_pid=$!
  local waited=0
  until listening "$p"; do
    if ! kill -0 "$peer_pid" 2>/dev/null; then
      wait "$peer_pid" 2>/dev/null || true
      peer_pid=
      return 1
    fi
    ((waited++ < 1200)) || return 1 # 120 s: a JVM on a busy machine
    sleep 0.1
  done
}

# The value of KEY in a SUMMARY line.
field() { # LINE KEY
  sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1"
}

declare -A answered responses latency note per_packet_in
run=0
for version in $versions; do
  for mode in $modes; do
    for peer in $peers; do
      key="$version|$mode|$peer"
      p=$((port + run))
      run=$((run + 1))
      log=$WORK/$peer-$version-$mode.controller.log
      say "$peer, OpenFlow $version, $mode (port $p)"
      if ! start_peer "$peer" "$version" "$p" "$log"; then
        stop_peer
        if [[ $peer == switchboard ]]; then
          note[$key]="pending l2-learning"
        else
          note[$key]="did not start"
        fi
        say "  not available: $(grep -v '^\s*$' "$log" | tail -n 1 | cut -c1-200)"
        continue
      fi
      gen_log=$WORK/$peer-$version-$mode.bench.log
      if ! $(generator_cpus) java -jar "$BENCH_JAR" openflow --controller "127.0.0.1:$p" \
        --switches "$switches" --macs "$macs" --mode "$mode" --version "$version" \
        --seconds "$seconds" --loops "$loops" --warmup "$warmup" >"$gen_log" 2>&1; then
        stop_peer
        note[$key]="failed: $(tail -n 1 "$gen_log" | cut -c1-120)"
        say "  ${note[$key]}"
        continue
      fi
      stop_peer
      grep -E '^(learning|RESULT|LATENCY)' "$gen_log" | sed 's/^/  /' >&2
      summary=$(sed -n 's/^SUMMARY: //p' "$gen_log")
      fm=$(field "$summary" flow-mods)
      if [[ ${fm:-0} == 0 ]]; then
        note[$key]="no flow-mods (not counted)"
        say "  answered with no flow-mod: not counted"
        continue
      fi
      answered[$key]=$(field "$summary" median-answered)
      responses[$key]=$(field "$summary" median-responses)
      latency[$key]="$(field "$summary" p50-us) / $(field "$summary" p99-us) / $(field "$summary" p999-us)"
      po=$(field "$summary" packet-outs)
      # Messages per answered packet-in, from the medians (1 = a flow-mod with the buffer id).
      per_packet_in[$key]=$(awk -v r="${responses[$key]}" -v a="${answered[$key]}" \
        'BEGIN { if (a > 0) printf "%.2f", r / a; else print "-" }')
      note[$key]="$fm flow-mods, $po packet-outs"
    done
  done
done

ratio() { # SWITCHBOARD PEER
  awk -v s="$1" -v p="$2" 'BEGIN { if (s == "" || p == "" || p == 0) print "-"; else printf "%.2f", s / p }'
}

{
  echo "Command: \`$command_line\` (each run: \`java -jar bench/target/switchboard-bench.jar openflow --switches $switches --macs $macs --seconds $seconds --loops $loops --warmup $warmup --mode M --version V\`)"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)), $(uname -sr);" \
    "$( ((pin)) && echo 'controller pinned to core 1, generator to core 0 (taskset)' || echo 'no pinning')."
  echo
  echo "| OpenFlow | Mode | Controller | Packet-ins answered/s (median) | Responses/s (median) | Messages per packet-in | Latency p50 / p99 / p99.9 (µs) | Switchboard / peer (answered/s) | Notes |"
  echo "|---|---|---|---:|---:|---:|---|---:|---|"
  for version in $versions; do
    for mode in $modes; do
      sb="$version|$mode|switchboard"
      for peer in $peers; do
        key="$version|$mode|$peer"
        if [[ -n ${answered[$key]:-} ]]; then
          if [[ $peer == switchboard ]]; then
            r="1.00"
          elif [[ -n ${answered[$sb]:-} ]]; then
            r=$(ratio "${answered[$sb]}" "${answered[$key]}")
          else
            r="${note[$sb]:-not run}"
          fi
          echo "| $version | $mode | $peer | ${answered[$key]} | ${responses[$key]} | ${per_packet_in[$key]} | ${latency[$key]} | $r | ${note[$key]} |"
        else
          echo "| $version | $mode | $peer | - | - | - | - | - | ${note[$key]:-not run} |"
        fi
      done
    done
  done
} | tee "$out"
say "written to $out"
