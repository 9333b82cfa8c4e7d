#!/usr/bin/env bash
# CLI figures for docs/benchmarks.md (issue 18). Run as root on the node:
#   bench/cli.sh [N]   N running busybox VEs; wall and CPU time of `cairn ve list`, `ve status`, `ve exec -- true`
#                      next to `crun list` and `crun exec` on N busybox containers in the same run; then a loop of
#                      100 `cairn ve status` calls. Everything it makes is under its own names and removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100}
command -v crun >/dev/null && command -v hyperfine >/dev/null || apt-get install -y -qq crun hyperfine >/dev/null
bin/cairn --version >/dev/null # builds target/ and the CLI's AOT cache when they are missing or stale
work=$(mktemp -d /tmp/cairn-bench-cli-XXXXXX)
chmod 711 "$work"
export CAIRN_ROOT=$work/root CAIRN_CGROUP_PARENT=cairn-bench-cli CAIRN_FIRST_UID=$((14000 * 65536))
cleanup() {
  unshare -m sh -c "umount /sys/fs/cgroup/unified 2>/dev/null; for c in \$(crun --root $work/crun list -q); do
    crun --root $work/crun delete -f \$c; done" >/dev/null 2>&1 || true
  for ve in $(bin/cairn ve list -o name --no-headers 2>/dev/null); do bin/cairn ve destroy "$ve" >/dev/null || true; done
  for hierarchy in /sys/fs/cgroup/*/ /sys/fs/cgroup/unified/; do
    [ -d "$hierarchy$CAIRN_CGROUP_PARENT" ] && find "$hierarchy$CAIRN_CGROUP_PARENT" -depth -type d -exec rmdir {} \; 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT

echo "Making $n busybox VEs and $n crun containers ..."
bin/cairn template build busybox >/dev/null
for i in $(seq 1 "$n"); do
  bin/cairn ve create "b$i" --template busybox >/dev/null
  bin/cairn ve start "b$i" >/dev/null
done
mkdir -p "$work/bundle"
cp -a "$CAIRN_ROOT/templates/busybox/rootfs" "$work/bundle/rootfs"
(cd "$work/bundle" && crun spec && sed -i 's/"terminal": true/"terminal": false/; s#"sh"#"/sbin/init"#' config.json)

export CAIRN_HOME=$PWD/target CAIRN_AOT_CACHE=$PWD/target/cli/cairn.aot
cairn=$PWD/deploy/bin/cairn
hyperfine -N --warmup 3 --runs 30 --export-json "$work/cairn.json" \
  -n "cairn ve list" "$cairn ve list" \
  -n "cairn ve status" "$cairn ve status b50" \
  -n "cairn ve exec -- true" "$cairn ve exec b50 -- true" >/dev/null 2>&1

# crun refuses this host's hybrid cgroup layout: it runs in a mount namespace without the v2 mount
cat > "$work/crun.sh" <<CRUN
umount /sys/fs/cgroup/unified 2>/dev/null
cd $work/bundle
for i in \$(seq 1 $n); do crun --root $work/crun run -d "c\$i" >/dev/null; done
hyperfine -N --warmup 3 --runs 30 --export-json $work/crun.json \
  -n "crun list" "crun --root $work/crun list" \
  -n "crun exec -- true" "crun --root $work/crun exec c50 /bin/true" >/dev/null 2>&1
CRUN
unshare -m bash "$work/crun.sh"

start=$(date +%s%N)
for _ in $(seq 1 100); do "$cairn" ve status b50 >/dev/null; done
loop_ms=$((($(date +%s%N) - start) / 1000000))

python3 - "$work" "$n" "$loop_ms" <<'PY'
import json, statistics, sys
work, n, loop = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rows = json.load(open(work + '/cairn.json'))['results'] + json.load(open(work + '/crun.json'))['results']
crun = {r['command']: r for r in rows}
print('%d running VEs / containers, hyperfine -N, 30 runs after 3 warm-ups' % n)
print('| command | median wall | min | CPU (user + sys) |')
print('|---|---|---|---|')
for r in rows:
    print('| `%s` | %.1f ms | %.1f ms | %.1f ms |' % (r['command'], statistics.median(r['times']) * 1000,
          min(r['times']) * 1000, (r['user'] + r['system']) * 1000))
print('100 x `cairn ve status` in a shell loop: %d ms in all, %.1f ms a call' % (loop, loop / 100))
ratio = statistics.median(crun['cairn ve list']['times']) / statistics.median(crun['crun list']['times'])
print('cairn ve list / crun list: %.1f x' % ratio)
PY
