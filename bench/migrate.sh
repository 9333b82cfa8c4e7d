#!/usr/bin/env bash
# Move figures for docs/benchmarks.md. Run as root on the node:
#   bench/migrate.sh [MB [cold|live [busybox|debian-12 [MOVES]]]]
#       a panel and two node agents on this machine (one node group, one address pool), a VE (busybox by default;
#       debian-12 with its sshd) with MB (default 1024) of random data written and a web server, moved from one node to
#       the other and back through the API, cold (stop, boot; the default) or live (checkpoint, restore): total time,
#       the downtime the job measures (stop or checkpoint, last copy, start or restore) and the gap a client polling
#       the VE's web server every 10 ms sees; MOVES moves (2 by default: there and back), each printed. Everything of
#       its own (PostgreSQL, engine roots, cgroups, a route for the pool's addresses) under a temporary directory,
#       removed afterwards.
set -euo pipefail
mb=${1:-1024}
mode=${2:-cold}
template=${3:-busybox}
moves=${4:-2}
. "$(dirname "$0")/lib.sh" migrate
export CAIRN_BENCH_WORK="$work" CAIRN_BENCH_JAVA="$JAVA_HOME/bin/java" CAIRN_BENCH_JAR="$PWD/target/cairn.jar"
# the pool's addresses (198.18.0.0/15 is set aside for benchmarks): unreachable unless a VE has one, so that nothing
# meant for a stopped VE leaves the machine by its default route
net=198.18.213.0/24
cleanup() {
  local rc=$?
  stop_fleet
  ip route del unreachable "$net" 2>/dev/null || true
  [ "$rc" = 0 ] || cp "$work"/*.log /tmp/ 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip route add unreachable "$net"
python3 bench/migrate.py "$mb" "$net" "$mode" "$template" "$moves"
