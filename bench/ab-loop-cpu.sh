#!/usr/bin/env bash
# A/B of the packet-in path over loopback that does not rest on wall time alone: for each side it
# runs the controller (pinned to core 1) under `bench openflow` in throughput mode (generator on
# core 0), samples every 0.5 s the CPU time (/proc/PID/task/TID/stat, utime+stime) of the
# controller's event loop and of its JIT compiler threads, and prints per run
#   median-answered    the generator's median of the loops (wall time: load moves it)
#   loop-us-per-packet the event loop's CPU time in the measured loops / FLOW_MODs received then
#   c2-ms-in-loops     CPU the C2 compiler took on the controller's core during the measured loops
# The second figure is the one to compare between builds: other processes on the machine make
# the event loop wait, they do not make its packets cost more CPU. The third says whether the
# measured loops still include JIT warm-up (then the first figure measures how soon C2 finished).
#
# Usage: bench/ab-loop-cpu.sh [--rounds N] [--warmup N] [--version V] [--port P] DIR_A DIR_B
#   DIR_A, DIR_B: checkouts with server/target/switchboard.jar and bench/target/switchboard-bench.jar
#   (mvn -B -q -o package -DskipTests -pl bench,server -am). The generator of DIR_A drives both
#   sides. Sides alternate which goes first per round. Logs go to bench/target/ab-loop-cpu/.
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
rounds=2 warmup=10 version=1.3 port=18900
while [[ $# -gt 2 ]]; do
    case "$1" in
        --rounds) rounds=$2; shift 2 ;;
        --warmup) warmup=$2; shift 2 ;;
        --version) version=$2; shift 2 ;;
        --port) port=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
[[ $# -eq 2 ]] || { echo "usage: $0 [--rounds N] [--warmup N] [--version V] [--port P] DIR_A DIR_B" >&2; exit 2; }
side_a=$(readlink -f "$1") side_b=$(readlink -f "$2")
out=$ROOT/bench/target/ab-loop-cpu
mkdir -p "$out"

run() { # run TAG DIR PORT
    local tag=$1 dir=$2 p=$3 ctl sampler no_rest=""
    java -jar "$dir/server/target/switchboard.jar" controller --help 2>&1 | grep -q -- --no-rest && no_rest=--no-rest
    taskset -c 1 java -Xmx512m -jar "$dir/server/target/switchboard.jar" controller --port "$p" \
        --versions "$version" --apps l2-learning $no_rest >"$out/$tag.ctl.log" 2>&1 &
    ctl=$!
    ( while kill -0 "$ctl" 2>/dev/null; do
        now=$(date +%s.%N)
        for t in /proc/"$ctl"/task/*; do
            name=$(cat "$t/comm" 2>/dev/null) || continue
            case "$name" in C2*|multiThreadIoEv) echo "$now|$name@${t##*/}|$(awk '{print $14+$15}' "$t/stat" 2>/dev/null)" ;; esac
        done
        sleep 0.5
    done ) >"$out/$tag.cpu.txt" &
    sampler=$!
    for _ in $(seq 1 240); do grep -q 'OpenFlow listening' "$out/$tag.ctl.log" && break; sleep 0.5; done
    local load; load=$(cut -d' ' -f1 /proc/loadavg)
    taskset -c 0 java -jar "$side_a/bench/target/switchboard-bench.jar" openflow --controller "127.0.0.1:$p" \
        --switches 16 --macs 1000 --mode throughput --seconds 1 --loops 8 --warmup "$warmup" --version "$version" 2>&1 \
        | while IFS= read -r line; do echo "$(date +%s.%N)|$line"; done >"$out/$tag.bench.txt"
    kill "$ctl"; wait "$ctl" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
    python3 - "$out/$tag" "$load" <<'EOF'
import collections, re, sys
base, load = sys.argv[1], sys.argv[2]
events = [l.rstrip('\n').split('|', 1) for l in open(base + '.bench.txt')]
start = end = None
for t, line in events:
    m = re.match(r'warm-up (\d+)/(\d+):', line)
    if m and m.group(1) == m.group(2): start = float(t)
    if re.match(r'loop (\d+)/\1:', line): end = float(t)
summary = next(line for _, line in events if line.startswith('SUMMARY'))
series = collections.defaultdict(list)
for line in open(base + '.cpu.txt'):
    t, thread, ticks = line.strip().split('|')
    if ticks: series[thread].append((float(t), int(ticks)))
def at(samples, when):
    return max([v for t, v in samples if t <= when] or [0])
def spent(prefix):  # CPU ticks (10 ms) between start and end of the busiest thread(s) so named
    threads = [s for k, s in series.items() if k.startswith(prefix)]
    if prefix.startswith('multi'):  # the acceptor loop has the same short name: take the busiest
        threads = [max(threads, key=lambda s: s[-1][1])]
    return sum(at(s, end) - at(s, start) for s in threads)
flow_mods = int(re.search(r'flow-mods=(\d+)', summary).group(1))
median = re.search(r'median-answered=(\d+)', summary).group(1)
print(f'{base.rsplit("/", 1)[1]}: load={load} median-answered={median} '
      f'loop-us-per-packet={spent("multiThreadIoEv") * 10000 / flow_mods:.2f} c2-ms-in-loops={spent("C2") * 10}')
EOF
}

for round in $(seq 1 "$rounds"); do
    if (( round % 2 )); then order="a b"; else order="b a"; fi
    for side in $order; do
        port=$((port + 1))
        dir=$side_a; [[ $side == b ]] && dir=$side_b
        run "r$round-$side" "$dir" "$port"
    done
done
