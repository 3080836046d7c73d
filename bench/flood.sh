#!/usr/bin/env bash
# The controller's resident memory under each flood of `bench flood` (64 KiB ECHO_REQUESTs from a
# ready switch, the same before HELLO, 1400-byte PACKET_INs answered by l2-learning), each against
# a fresh controller with l2-learning. Compare builds by giving their server jars:
#
#   bench/flood.sh [--seconds S] [--java-opts "-Xmx256m"] [SERVER_JAR...]   (default: this tree's)
#
# Prints one line per jar and flood: RSS before, peak, and after the flooder left, and the echoes
# a well-behaved switch had answered during the flood.
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
BENCH_JAR=$ROOT/bench/target/switchboard-bench.jar
seconds=5 java_opts="" port=19653 jars=()
while (($#)); do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --java-opts) java_opts=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    *) jars+=("$1"); shift ;;
  esac
done
((${#jars[@]})) || jars=("$ROOT/server/target/switchboard.jar")

controller_pid=""
stop_controller() {
  if [[ -n $controller_pid ]] && kill -0 "$controller_pid" 2>/dev/null; then
    kill "$controller_pid"
    wait "$controller_pid" 2>/dev/null || true
  fi
  controller_pid=""
}
trap stop_controller EXIT

for jar in "${jars[@]}"; do
  for kind in echo hello packet-in; do
    log=$(mktemp /tmp/flood-controller.XXXXXX.log)
    # shellcheck disable=SC2086 # the options are words on purpose
    java $java_opts -jar "$jar" controller --address 127.0.0.1 --port "$port" --apps l2-learning >"$log" 2>&1 &
    controller_pid=$!
    for _ in $(seq 100); do
      grep -q "OpenFlow listening" "$log" && break
      sleep 0.1
    done
    echo "== $jar, $kind"
    java -jar "$BENCH_JAR" flood --controller "127.0.0.1:$port" --pid "$controller_pid" --kind "$kind" \
      --seconds "$seconds" || echo "(the flood failed; controller log: $log)"
    echo "OutOfMemoryErrors in the controller log: $(grep -c "OutOfMemoryError" "$log" || true)"
    stop_controller
    rm -f "$log"
    port=$((port + 1))
  done
done
