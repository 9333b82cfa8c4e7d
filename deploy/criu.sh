#!/usr/bin/env bash
# CRIU for checkpoints and live moves of VEs. Linux 6.13 and later need CRIU 4.1 or later (the vDSO's vvar_vclock
# mapping; docs/migration-probe.md), which Debian 12 and 13 do not package: it is built here from Debian's own source
# of CRIU 4.2.1 (sid's, checked by its SHA-256) with Debian 12's libraries, once, into /usr/local/lib/cairn/criu,
# with the patches in deploy/criu/, to be proposed upstream: a VE's console (an orphan terminal of no session, restored
# as one with a session is), and two that shorten every checkpoint (no tar for an empty read-only tmpfs such as a
# VE's masked folders; with --empty-ns net, no sysfs mount and no conntrack dump for a namespace not restored). A
# system CRIU is not used: it lacks them.
set -euo pipefail
target=/usr/local/lib/cairn/criu
version=4.2.1
sha256=29ec0ee09e296479fe7048c80980e8ef1d0684d0b0204c2b101dfea19f6725b9
source_url=http://deb.debian.org/debian/pool/main/c/criu/criu_${version}.orig.tar.xz

recent() { "$1" --version 2>/dev/null | awk '/^Version:/ { split($2, v, "."); exit !(v[1] > 4 || (v[1] == 4 && v[2] >= 1)) }'; }
patches=$(cd "$(dirname "$0")/criu" && pwd)
# CRIU keeps what it found of the kernel's features (about 30 ms of every dump and restore to find again) in
# RUNDIR/criu.kdat, on a tmpfs only, so that a reboot into another kernel drops it: Cairn's own folder of /run
# (deploy/prerequisites.sh makes it a tmpfs where /run is not one)
rundir=/run/cairn/criu
stamp=$( (cat "$patches"/*.patch; echo "RUNDIR=$rundir") | sha256sum | cut -c1-64)
if [ -x "$target/criu" ] && recent "$target/criu" && [ -e "$target/libcriu.so.2" ] && [ "$(cat "$target/patches.sha256" 2>/dev/null)" = "$stamp" ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "CRIU 4.1 or later is missing (checkpoints and live moves need it); run $0 as root to build it" >&2
  exit 1
fi

build_deps=(libprotobuf-dev libprotobuf-c-dev protobuf-c-compiler protobuf-compiler python3-protobuf libnl-3-dev
  libnet1-dev libcap-dev pkg-config libbsd-dev uuid-dev libgnutls28-dev libnftables-dev gcc make curl xz-utils patch)
missing=()
for p in "${build_deps[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing what CRIU is built with: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

work=$(mktemp -d /tmp/cairn-criu-XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "Building CRIU $version from Debian's source (about two minutes)"
curl -fsS --retry 3 -o "$work/criu.tar.xz" "$source_url"
echo "$sha256  $work/criu.tar.xz" | sha256sum -c --quiet
tar -xJf "$work/criu.tar.xz" -C "$work"
for p in "$patches"/*.patch; do patch -s -p1 -d "$work/criu-$version" < "$p"; done
# criu itself, and libcriu, through which the launcher drives it (RPC over a socket pair, as crun does)
make -C "$work/criu-$version" -j"$(nproc)" RUNDIR="$rundir" criu lib/c/libcriu.so >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; exit 1; }
install -D -m 0755 "$work/criu-$version/criu/criu" "$target/criu"
install -m 0644 "$work/criu-$version/lib/c/libcriu.so" "$target/libcriu.so.2"
echo "$stamp" > "$target/patches.sha256"
"$target/criu" check >/dev/null 2>&1 || echo "CRIU built, but 'criu check' reports missing kernel features: $target/criu check" >&2
echo "CRIU $version installed in $target"
