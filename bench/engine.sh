#!/usr/bin/env bash
# Engine figures for docs/benchmarks.md. Run as root on the node:
#   bench/engine.sh start [N] [auto|v1|v2]   start latency; also Debian's crun on the same busybox tree
#   bench/engine.sh density [N]              N busybox VEs at once: exec latency, memory and disk per VE
#   bench/engine.sh disk [N]                 a VE with a 1 GB disk: create, N online quota changes, image size
#   bench/engine.sh network [N]              start of a VE with addresses (node side in its own namespace), live changes
#   bench/engine.sh backup [N]               backups: 1 GB VE first and incremental, one-file restore, dedup of 20 VEs
#   bench/engine.sh snapshot [N]             snapshots: 1 GB VE first, N after 10 MB changed (frozen ms), rollbacks
#   bench/engine.sh systemd [N]              debian-12 (systemd) VEs: start to sshd's banner (10 first boots, N later), idle memory
#   bench/engine.sh systemd-density [N]      N debian-12 VEs at once, each answering an ssh login; memory per VE
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/lib/java.sh
mode=${1:-start}; n=${2:-50}; cgroup=${3:-auto}
mvn -B -q -DskipTests test-compile
cp=$(mvn -B -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
java --enable-native-access=ALL-UNNAMED -cp "target/classes:target/test-classes:$cp" \
  org.cairn.engine.EngineBenchmark "$mode" "$n" "$cgroup"

if [ "$mode" = start ]; then
  command -v crun >/dev/null && command -v hyperfine >/dev/null || apt-get install -y -qq crun hyperfine >/dev/null
  work=$(mktemp -d /tmp/cairn-bench-XXXXXX)
  trap 'crun delete -f cairn-bench >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
  # the same busybox tree as Cairn's template, as a crun bundle running busybox init, detached
  java --enable-native-access=ALL-UNNAMED -cp "target/classes:$cp" org.cairn.Cairn template build busybox \
    --root "$work" >/dev/null
  mkdir -p "$work/bundle"
  cp -a "$work/templates/busybox/rootfs" "$work/bundle/rootfs"
  (cd "$work/bundle" && crun spec && sed -i 's/"terminal": true/"terminal": false/; s#"sh"#"/sbin/init"#' config.json)
  # crun refuses this host's hybrid cgroup layout: it runs in a mount namespace without the v2 mount.
  # Protocol as for Cairn: the previous container removed, a 300 ms pause, then one timed start.
  cat > "$work/loop.sh" <<LOOP
umount /sys/fs/cgroup/unified 2>/dev/null
cd $work/bundle
for i in \$(seq 1 $n); do
  crun delete -f cairn-bench >/dev/null 2>&1; sleep 0.3
  t0=\$(date +%s%N); crun run -d cairn-bench >/dev/null; t1=\$(date +%s%N)
  echo \$(( (t1 - t0) / 1000 ))
done
crun delete -f cairn-bench >/dev/null 2>&1
hyperfine -N -r $n --warmup 3 --prepare 'crun delete -f cairn-bench' 'crun run -d cairn-bench' \
  --export-json $work/crun.json >/dev/null 2>&1
crun delete -f cairn-bench >/dev/null 2>&1
LOOP
  unshare -m bash "$work/loop.sh" > "$work/crun-times.txt"
  python3 - "$work" <<'PY'
import json, statistics, sys
work = sys.argv[1]
t = sorted(int(x) / 1000 for x in open(work + '/crun-times.txt'))
print('crun 1.8.1 run -d, same protocol (300 ms pause): n=%d median %.1f ms, min %.1f, p90 %.1f, max %.1f'
      % (len(t), statistics.median(t), t[0], t[int(len(t) * 0.9)], t[-1]))
h = sorted(x * 1000 for x in json.load(open(work + '/crun.json'))['results'][0]['times'])
print('crun 1.8.1 run -d, back to back (hyperfine --prepare delete): n=%d median %.1f ms, min %.1f'
      % (len(h), statistics.median(h), h[0]))
PY
fi
