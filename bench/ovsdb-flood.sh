#!/usr/bin/env bash
# Memory under an OVSDB peer that floods `echo` requests and never reads (issue 10).
#   1. `switchboard ovs --db tcp:127.0.0.1:PORT show` against a flooding fake ovsdb-server;
#   2. the controller with `ovsdb.listen: [ptcp:PORT:127.0.0.1]`, a flooding peer connected to it.
# Prints the resident set size (VmRSS, MB) of the Java process, sampled every half second for
# SECONDS, for each jar given (default: this checkout's server jar; add an older build's jar to
# compare, e.g. one built from `git archive <old commit>`).
#
# Usage: bench/ovsdb-flood.sh [--seconds N] [JAR...]
# Everything stays on 127.0.0.1; every process it starts is stopped when it ends.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

seconds=10
if [[ ${1:-} == --seconds ]]; then
  seconds=$2
  shift 2
fi
jars=("$@")
((${#jars[@]})) || jars=(server/target/switchboard.jar)
for jar in "${jars[@]}"; do
  [[ -f $jar ]] || { echo "no such jar: $jar (build with: mvn -B -q -pl server -am package -DskipTests)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/sb-ovsdb-flood.XXXXXX)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The flooder: `server PORT` listens and floods whoever connects; `client PORT` connects and floods.
# 64 KiB echo requests as fast as the socket takes them; a 4 KiB receive buffer, never read.
cat >"$work/flood.py" <<'PY'
import socket, sys
mode, port = sys.argv[1], int(sys.argv[2])
payload = b"x" * 65536
def flood(s):
    i = 0
    try:
        while True:
            i += 1
            s.sendall(b'{"method":"echo","id":%d,"params":["' % i + payload + b'"]}')
    except OSError:
        pass
if mode == "server":
    l = socket.socket()
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    l.bind(("127.0.0.1", port)); l.listen(8)
    print("listening", flush=True)
    while True:
        c, _ = l.accept()
        flood(c)
else:
    c = socket.socket()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    c.connect(("127.0.0.1", port))
    flood(c)
PY

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss_mb() { awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$1/status" 2>/dev/null || echo 0; }

# Samples PID's RSS every 0.5 s for $seconds; prints start, peak and last.
sample() { # PID
  local pid=$1 n=$((seconds * 2)) i rss first=0 peak=0 last=0
  for ((i = 0; i < n; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    rss=$(rss_mb "$pid")
    ((first)) || first=$rss
    ((rss > peak)) && peak=$rss
    last=$rss
    sleep 0.5
  done
  printf 'start %4d MB  peak %5d MB  last %5d MB  (%s)\n' "$first" "$peak" "$last" \
    "$(kill -0 "$pid" 2>/dev/null && echo 'still running' || echo 'exited')"
}

for jar in "${jars[@]}"; do
  echo "== $jar"

  port=$(free_port)
  python3 "$work/flood.py" server "$port" >"$work/flooder.out" &
  flooder=$!
  pids+=("$flooder")
  until grep -q listening "$work/flooder.out" 2>/dev/null; do sleep 0.1; done
  java -jar "$jar" ovs --db "tcp:127.0.0.1:$port" --timeout 120 show >"$work/ovs.out" 2>&1 &
  cli=$!
  pids+=("$cli")
  printf '   ovs --db tcp:127.0.0.1:%s show, flooded: ' "$port"
  sample "$cli"
  head -c 200 "$work/ovs.out" | head -1 | sed 's/^/      /'
  kill "$cli" "$flooder" 2>/dev/null || true
  wait "$cli" "$flooder" 2>/dev/null || true

  port=$(free_port)
  of_port=$(free_port)
  printf 'openflow:\n  listen: ["127.0.0.1:%s"]\novsdb:\n  listen: ["ptcp:%s:127.0.0.1"]\n' "$of_port" "$port" \
    >"$work/controller.yaml"
  java -jar "$jar" controller --config "$work/controller.yaml" --apps l2-learning >"$work/controller.out" 2>&1 &
  controller=$!
  pids+=("$controller")
  for _ in $(seq 100); do
    grep -q "OVSDB listening" "$work/controller.out" && break
    sleep 0.2
  done
  grep -q "OVSDB listening" "$work/controller.out" || { echo "controller did not start:"; cat "$work/controller.out"; exit 1; }
  python3 "$work/flood.py" client "$port" &
  flooder=$!
  pids+=("$flooder")
  printf '   controller, ovsdb.listen ptcp:%s flooded: ' "$port"
  sample "$controller"
  grep -E "WARN|ERROR" "$work/controller.out" | cut -c1-200 | head -3 | sed 's/^/      /' || true
  kill "$flooder" "$controller" 2>/dev/null || true
  wait "$flooder" "$controller" 2>/dev/null || true
done
