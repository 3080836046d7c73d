#!/usr/bin/env bash
# How Switchboard's l2-learning scales under the cbench-like OpenFlow load (./switchboard bench
# openflow, throughput mode): with 1, 16, 64 and 256 switches (1,000 MACs each), with 100, 10,000
# and 100,000 MACs per switch (16 switches), and with 1 and 2 event-loop threads (config
# `openflow: eventLoopThreads: N`). For each run it records the medians of the loops
# (packet-ins answered/s and responses/s), the controller's heap after the run (used, and live
# after a full GC that jcmd asks for) and its GC count and time (jstat), and prints a markdown
# table for docs/benchmarks.md. The heap is read while the generator holds its switches connected
# after the last loop (--hold-seconds), since l2-learning drops a switch's table when it leaves;
# GC count and time are the controller's whole life up to then (JVM start and learning included).
#
# Usually started as `./switchboard bench scaling [OPTIONS]`, which builds both jars first.
#
# Options (defaults in brackets):
#   --seconds S      length of each loop [1]
#   --loops N        loops that count [10]
#   --warmup N       loops run first, not counted [2]
#   --version V      OpenFlow version [1.0]
#   --switches "N…"  switch counts, 1,000 MACs each [1 16 64 256]
#   --macs "N…"      MACs per switch, 16 switches [100 10000 100000]
#   --threads "N…"   event-loop threads, 16 switches, 1,000 MACs [1 2]
#   --port P         first TCP port; each run uses its own [18653]
#   --out FILE       also write the markdown there [bench/target/scaling.md]
#
# Pinning, as in peers.sh: the controller runs on core 1 and the generator on core 0 (taskset),
# except in the event-loop thread runs, where the controller may use both cores (two threads on
# one core would measure nothing); there it shares them with the generator, which the table says.
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
BENCH_JAR=$ROOT/bench/target/switchboard-bench.jar
SERVER_JAR=$ROOT/server/target/switchboard.jar

seconds=1 loops=10 warmup=2 version=1.0 port=18653
switch_counts="1 16 64 256" mac_counts="100 10000 100000" thread_counts="1 2"
out=$ROOT/bench/target/scaling.md
command_line="./switchboard bench scaling${*:+ $*}"

while (($#)); do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --loops) loops=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    --switches) switch_counts=$2; shift 2 ;;
    --macs) mac_counts=$2; shift 2 ;;
    --threads) thread_counts=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "scaling.sh: unknown option $1 (--help)" >&2; exit 2 ;;
  esac
done

say() { printf 'scaling: %s\n' "$*" >&2; }

for jar in "$BENCH_JAR" "$SERVER_JAR"; do
  [[ -f $jar ]] || { say "no $jar: run ./switchboard bench scaling"; exit 1; }
done
if ! command -v jstat >/dev/null || ! command -v jcmd >/dev/null; then
  say "needs jstat and jcmd (a JDK)"
  exit 1
fi
pin=1
(($(nproc) >= 2)) || { say "fewer than 2 cores: not pinning"; pin=0; }

WORK=$(mktemp -d /tmp/switchboard-scaling.XXXXXX)
controller_pid=
stop_controller() {
  if [[ -n $controller_pid ]] && kill -0 "$controller_pid" 2>/dev/null; then
    kill "$controller_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$controller_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$controller_pid" 2>/dev/null || true
    wait "$controller_pid" 2>/dev/null || true
  fi
  controller_pid=
}
trap 'stop_controller; rm -rf "$WORK"' EXIT

listening() { [[ -n $(ss -Hltn "sport = :$1" 2>/dev/null) ]]; }
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1"; }

# jstat -gc of PID as "used-MB young-GCs full-GCs gc-seconds".
heap() { # PID
  jstat -gc "$1" | awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    { used = $col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"]
      printf "%.1f %d %d %.3f\n", used / 1024, $col["YGC"], $col["FGC"], $col["GCT"] }'
}

rows=()
run=0
# One measurement: LABEL SWITCHES MACS THREADS(-=default) PINNED(1/0)
measure() {
  local label=$1 switches=$2 macs=$3 threads=$4 pinned=$5
  local p=$((port + run)) config=() ctl=() gen=()
  run=$((run + 1))
  if [[ $threads != - ]]; then
    printf 'openflow:\n  eventLoopThreads: %s\n' "$threads" >"$WORK/threads-$threads.yaml"
    config=(--config "$WORK/threads-$threads.yaml")
  fi
  if ((pin && pinned)); then
    ctl=(taskset -c 1) gen=(taskset -c 0)
  fi
  say "$label: $switches switches, $macs MACs, event-loop threads ${threads/-/default}$( ((pin && pinned)) || echo ', unpinned')"
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  "${ctl[@]}" java -jar "$SERVER_JAR" controller --port "$p" --versions "$version" --apps l2-learning \
    "${config[@]}" >"$WORK/controller-$run.log" 2>&1 &
  controller_pid=$!
  local waited=0
  until listening "$p"; do
    kill -0 "$controller_pid" 2>/dev/null || { say "  controller did not start: $(tail -n 1 "$WORK/controller-$run.log")"; return 1; }
    ((waited++ < 1200)) || { say "  controller not listening after 120 s"; return 1; }
    sleep 0.1
  done
  # The generator keeps its switches connected for a while after the last loop: the heap is read
  # then, while the controller still holds every switch's MAC table (it drops a table on disconnect).
  local log=$WORK/bench-$run.log
  "${gen[@]}" java -jar "$BENCH_JAR" openflow --controller "127.0.0.1:$p" --switches "$switches" \
    --macs "$macs" --mode throughput --version "$version" --seconds "$seconds" --loops "$loops" \
    --warmup "$warmup" --hold-seconds 5 >"$log" 2>&1 &
  local generator_pid=$! after_mb=- live_mb=- ygc=- fgc=- gct=- cpu=-
  until grep -q '^holding' "$log" 2>/dev/null || ! kill -0 "$generator_pid" 2>/dev/null; do sleep 0.2; done
  if grep -q '^holding' "$log"; then
    read -r after_mb ygc fgc gct < <(heap "$controller_pid")
    cpu=$(ps -o cputime= -p "$controller_pid" | tr -d ' ')
    jcmd "$controller_pid" GC.run >/dev/null 2>&1 || true
    read -r live_mb _ _ _ < <(heap "$controller_pid")
  fi
  if ! wait "$generator_pid"; then
    say "  generator failed: $(tail -n 1 "$log")"
    stop_controller
    rows+=("| $label | $switches | $macs | ${threads/-/default} | failed | | | | | | | $load |")
    return 0
  fi
  grep -E '^(learning|RESULT)' "$log" | sed 's/^/  /' >&2
  stop_controller
  local summary answered responses
  summary=$(sed -n 's/^SUMMARY: //p' "$WORK/bench-$run.log")
  answered=$(field "$summary" median-answered)
  responses=$(field "$summary" median-responses)
  rows+=("| $label | $switches | $macs | ${threads/-/default}$( ((pin && pinned)) || echo ' (unpinned)') | $answered | $responses | $after_mb | $live_mb | $ygc / $fgc | $gct | $cpu | $load |")
  results["$label"]=$answered
}

declare -A results
for n in $switch_counts; do measure "switches=$n" "$n" 1000 - 1; done
for m in $mac_counts; do measure "macs=$m" 16 "$m" - 1; done
for t in $thread_counts; do measure "threads=$t" 16 1000 "$t" 0; done

change() { # FROM TO: percent change of answered/s
  awk -v a="${results[$1]:-}" -v b="${results[$2]:-}" \
    'BEGIN { if (a == "" || b == "" || a == 0) print "-"; else printf "%+.1f%%", 100 * (b - a) / a }'
}

{
  echo "Command: \`$command_line\` (each run: \`java -jar bench/target/switchboard-bench.jar openflow --mode throughput --version $version --seconds $seconds --loops $loops --warmup $warmup --switches N --macs M\` against \`java -jar server/target/switchboard.jar controller --apps l2-learning\`)"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), on $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)), $(uname -sr)."
  echo
  echo "| Run | Switches | MACs per switch | Event-loop threads | Packet-ins answered/s (median) | Responses/s (median) | Heap used after the loops (MB) | Live heap after a full GC (MB) | GCs young / full | GC time (s) | Controller CPU | Load avg before |"
  echo "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Change in packet-ins answered/s: 16 -> 256 switches $(change switches=16 switches=256);" \
    "1,000 -> 100,000 MACs (16 switches) $(change switches=16 macs=100000);" \
    "1 -> 2 event-loop threads $(change threads=1 threads=2)."
} | tee "$out"
say "written to $out"
