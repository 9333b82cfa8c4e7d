#!/usr/bin/env bash
# Fleet figures for docs/benchmarks.md. Run as root on the node:
#   bench/fleet.sh [N]   the panel's own machine and 3 node agents (4 nodes), N busybox VEs (default 1000) made
#                        through the API: the admin's VE list with N/2 VEs on one node and with N over 4 nodes,
#                        a create on a remote node against one on the panel's own, and GET /api/v1/ves under wrk
#                        with one panel instance and with two on the same PostgreSQL (each capped at half a CPU). Everything of its own
#                        (ports 18180-18190, PostgreSQL, engine roots and cgroups under a temporary directory),
#                        removed afterwards.
set -euo pipefail
n=${1:-1000}
. "$(dirname "$0")/lib.sh" fleet
export CAIRN_BENCH_WORK="$work" CAIRN_BENCH_JAVA="$JAVA_HOME/bin/java" CAIRN_BENCH_JAR="$PWD/target/cairn.jar"
cleanup() {
  local rc=$?
  stop_fleet
  # the panels' CPU caps (bench/fleet.py, for the two-instance figure)
  rmdir /sys/fs/cgroup/cpu/cairn-bench-fleet-panel* /sys/fs/cgroup/cairn-bench-fleet-panel* 2>/dev/null || true
  [ "$rc" = 0 ] || cp "$work"/*.log /tmp/ 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
python3 bench/fleet.py "$n"
