#!/usr/bin/env bash
# The package's life on a fresh Debian 12: install of the previous version, upgrade to this one, removal, purge.
# Run by DebPackageIT in a mount namespace of its own (unshare -m), so that every mount here ends with it:
#   install-upgrade-purge.sh ROOT OLD.deb NEW.deb JDK MIRROR
# Prints "ok: ..." for each check that held; stops at the first that does not.
set -euo pipefail
root=$1 old=$2 new=$3 jdk=$4 mirror=$5
ok() { echo "ok: $*"; }
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }

mount --make-rprivate /
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.debootstrap.log" 2>&1 \
  || { tail -20 "$root.debootstrap.log"; exit 1; }
ok "debootstrap bookworm"
# no service starts in the chroot; the JDK 25 Debian 12 lacks comes from the node, read-only
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
mount -t proc proc "$root/proc"
# the node's cgroups, which the engine reads its layout from
mount --rbind /sys "$root/sys"
mount --make-rslave "$root/sys"
mount -t devpts devpts "$root/dev/pts"
mkdir -p "$root/usr/lib/jvm/temurin-25-jdk-amd64"
mount --bind "$jdk" "$root/usr/lib/jvm/temurin-25-jdk-amd64"
mount -o remount,bind,ro "$root/usr/lib/jvm/temurin-25-jdk-amd64"
cp "$old" "$root/tmp/old.deb"
cp "$new" "$root/tmp/new.deb"
in_root apt-get update -qq
# man-db to read the manual, systemd for systemd-analyze: both are what a server has
in_root apt-get install -y -qq --no-install-recommends man-db systemd zsh >/dev/null

in_root apt-get install -y -qq --no-install-recommends /tmp/old.deb 2>&1 | tee "$root.install.log" >/dev/null
if grep "^cairn:" "$root.install.log"; then exit 1; fi
ok "installed $(in_root dpkg-query -W -f '${Version}' cairn)"
for f in /usr/bin/cairn /usr/share/cairn/cairn.jar /usr/share/cairn/cli/cairn-cli.jar /lib/systemd/system/cairn.service \
    /usr/share/man/man1/cairn.1.gz /usr/share/man/man1/cairn-ve.1.gz /usr/share/bash-completion/completions/cairn \
    /usr/share/zsh/vendor-completions/_cairn /var/cache/cairn/cli.aot; do
  test -s "$root$f" || { echo "missing: $f"; exit 1; }
done
ok "files in place, the AOT cache made by postinst"
test "$(stat -c %a "$root/etc/cairn/cairn.env")" = 600
ok "cairn.env is 0600"
test -L "$root/etc/systemd/system/multi-user.target.wants/cairn.service"
ok "cairn.service enabled"
in_root systemd-analyze verify /lib/systemd/system/cairn.service 2>&1 | tee "$root.verify.log"
test ! -s "$root.verify.log"
ok "systemd-analyze verify: no complaint"

# what a node keeps across an upgrade: its settings and its VEs
echo "SERVER_PORT=9090" >>"$root/etc/cairn/cairn.env"
mkdir -p "$root/var/lib/cairn/ves/kept"
echo "customer data" >"$root/var/lib/cairn/ves/kept/marker"
in_root apt-get install -y -qq --no-install-recommends /tmp/new.deb >/dev/null
ok "upgraded to $(in_root dpkg-query -W -f '${Version}' cairn)"
grep -qx "SERVER_PORT=9090" "$root/etc/cairn/cairn.env"
ok "the changed cairn.env kept"
grep -qx "customer data" "$root/var/lib/cairn/ves/kept/marker"
ok "/var/lib/cairn kept"
echo "version: $(in_root cairn --version)"
echo "man: $(in_root sh -c 'MANWIDTH=80 man cairn-ve 2>&1 | col -b | sed -n 4p')"
in_root sh -c 'man -w cairn'
test "$(in_root zsh -f -c 'autoload -U compinit && compinit -u && print -r -- ${_comps[cairn]}')" = _cairn
ok "zsh finds cairn's completion"
in_root mkdir -m 711 /tmp/empty-root
test -z "$(in_root cairn ve list -o name --no-headers --root /tmp/empty-root)"
ok "cairn ve list answers"

in_root apt-get remove -y -qq cairn >/dev/null
test ! -e "$root/lib/systemd/system/cairn.service" && test ! -e "$root/usr/bin/cairn"
test -f "$root/etc/cairn/cairn.env"
ok "removed: unit and command gone, configuration kept"
in_root apt-get purge -y -qq cairn 2>&1 | grep "cairn:" || true
test ! -e "$root/etc/cairn" && test ! -e "$root/etc/systemd/system/multi-user.target.wants/cairn.service"
test ! -e "$root/var/cache/cairn"
ok "purged: configuration, unit state and cache gone"
grep -qx "customer data" "$root/var/lib/cairn/ves/kept/marker"
ok "purged: /var/lib/cairn still there"
