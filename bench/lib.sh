# What the panel benchmarks share (sourced): JDK 25, the node's prerequisites, wrk, a fresh build, and a work folder
# of their own in $work (the PostgreSQL cluster under it runs as postgres, so others may enter it).
cd "$(dirname "$0")/.."
. deploy/lib/java.sh
deploy/prerequisites.sh run >/dev/null
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
mvn -B -q -DskipTests package
work=$(mktemp -d "/tmp/cairn-bench-$1-XXXXXX")
chmod 755 "$work"

# What a fleet benchmark started, gone: its panels and agents (their pids in the work folder), and the VEs they left
# (VEs outlive panels and agents by design) with their engines' cgroups.
stop_fleet() {
  for pid in $(cat "$work"/*.pid 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
  sleep 2
  for root in "$work"/engine*; do
    [ -d "$root/ves" ] || continue
    parent=$(cat "$root.cgroup-parent")
    for ve in $(ls "$root/ves" 2>/dev/null | grep -v '^\.'); do
      "$JAVA_HOME/bin/java" -jar target/cairn.jar ve destroy --root "$root" --cgroup-parent "$parent" "$ve" >/dev/null 2>&1 || true
    done
    find /sys/fs/cgroup -maxdepth 2 -type d -name "$parent" -exec rmdir {} \; 2>/dev/null || true
  done
}
