#!/usr/bin/env bash
# Panel figures for docs/benchmarks.md. Run as root on the node:
#   bench/panel.sh [N]   N busybox VEs (default 500) made through the API; the admin's VE list, a customer's
#                        dashboard, and GET /api/v1/ves under wrk. A panel of its own (port 18080, its own
#                        PostgreSQL, engine root and cgroups under a temporary directory), removed afterwards.
set -euo pipefail
n=${1:-500}
. "$(dirname "$0")/lib.sh" panel
password=Bench-Node-Key-$RANDOM$RANDOM
port=18080
"$JAVA_HOME/bin/java" -jar target/cairn.jar serve --server.port=$port --cairn.data-dir="$work/data" \
  --cairn.engine.root="$work/engine" --cairn.engine.cgroup-parent=cairn-bench-panel \
  --cairn.engine.first-uid=1073741824 --cairn.admin.password="$password" --logging.level.root=WARN \
  > "$work/panel.log" 2>&1 &
panel=$!
cleanup() {
  local rc=$?
  kill "$panel" 2>/dev/null && wait "$panel" 2>/dev/null || true
  # VEs outlive the panel by design: what the run left is destroyed here
  if [ -d "$work/engine/ves" ]; then
    for ve in $(ls "$work/engine/ves" 2>/dev/null | grep -v '^\.'); do
      "$JAVA_HOME/bin/java" -jar target/cairn.jar ve destroy --root "$work/engine" \
        --cgroup-parent cairn-bench-panel "$ve" >/dev/null 2>&1 || true
    done
  fi
  find /sys/fs/cgroup -maxdepth 2 -type d -name cairn-bench-panel -exec rmdir {} \; 2>/dev/null || true
  # the panel's log is kept only when the run failed
  [ "$rc" = 0 ] || cp "$work/panel.log" /tmp/cairn-bench-panel-server.log 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -fs "http://localhost:$port/actuator/health" >/dev/null && break
  kill -0 "$panel" 2>/dev/null || { tail -30 "$work/panel.log"; exit 1; }
  sleep 1
done
python3 bench/panel.py "http://localhost:$port" "$password" "$n" "$panel"
