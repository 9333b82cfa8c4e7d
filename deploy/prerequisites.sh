#!/usr/bin/env bash
# Installs what Cairn needs on a Debian 12 node and is missing: `run` for the panel, `test` for the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
purpose=${1:-run}

missing=()
have_command() { command -v "$1" >/dev/null 2>&1; }
need_package() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' || missing+=("$1"); }

have_command mvn || missing+=(maven)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
have_command runuser || missing+=(util-linux)
# the engine: its native launcher is built with gcc and libseccomp; the busybox template needs a static busybox
have_command gcc || missing+=(gcc)
have_command make || missing+=(make)
need_package libseccomp-dev
need_package libc6-dev
need_package busybox-static
need_package debootstrap
# lxcfs: inside a VE, /proc/meminfo, cpuinfo, stat and uptime show the VE's own limits and usage
need_package lxcfs
# VE networks: veth links, routes and tc (iproute2), the anti-spoofing table (nftables), nsenter (util-linux);
# e2fsprogs sizes VE disks
need_package iproute2
need_package nftables
need_package e2fsprogs
# backups: restic, and rclone, which serves the node's repository on loopback to restic in a VE's view
need_package restic
# snapshots: rsync copies a VE's writable layer in the launcher's view of its files
need_package rsync
need_package rclone
# moving VEs between nodes: GNU tar's incremental dumps (tar is essential), zstd-compressed; arping (Habets') tells
# the neighbours on a shared subnet where a VE's address now is
need_package zstd
need_package arping
# reverse DNS: Cairn runs its own PowerDNS (SQLite backend, its schema loaded with sqlite3) unless cairn.dns.api-url
# names one
need_package pdns-server
need_package pdns-backend-sqlite3
need_package sqlite3
if [ "$purpose" = test ]; then
  need_package chromium
  # curl: CI asks the panel that serves beside the tests whether it still answers (bin/test-beside-a-panel)
  have_command curl || missing+=(curl)
  # ssh-keygen: the SSH key tests parse real keys of every kind
  have_command ssh-keygen || missing+=(openssh-client)
  # dig: the reverse DNS tests read PTR records back from the tests' PowerDNS
  have_command dig || missing+=(bind9-dnsutils)
  # the package's tests: lintian checks it, man and groff read its manual pages (debootstrap, above, makes the
  # Debian 12 it is installed on)
  have_command lintian || missing+=(lintian)
  have_command man || missing+=(man-db)
  have_command groff || missing+=(groff-base)
  # the completion script is checked under zsh too
  have_command zsh || missing+=(zsh)
  have_command node || missing+=(nodejs)
  have_command npm || missing+=(npm)
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${missing[*]}. Run as root, or: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
  # Debian starts its own PowerDNS on port 53 at install; Cairn runs one of its own (cairn.dns.listen), so the
  # package's service, which nothing configures, is stopped where systemd runs it
  if [[ " ${missing[*]} " == *" pdns-server "* ]] && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    systemctl disable --now pdns.service >/dev/null 2>&1 || true
  fi
fi

# lxcfs runs as a daemon on its own mount; where systemd runs, its unit starts it, else it is started here
# (also over a mount its killed daemon left behind, which answers "transport endpoint is not connected")
if [ "$(id -u)" -eq 0 ] && ! cat /var/lib/lxcfs/proc/uptime >/dev/null 2>&1; then
  if grep -q ' /var/lib/lxcfs ' /proc/self/mountinfo; then umount -l /var/lib/lxcfs; fi
  mkdir -p /var/lib/lxcfs
  setsid nohup lxcfs --enable-cfs /var/lib/lxcfs > /var/log/cairn-lxcfs.log 2>&1 < /dev/null &
  for _ in $(seq 1 50); do [ -e /var/lib/lxcfs/proc/meminfo ] && break; sleep 0.1; done
fi

# checkpoints and live moves: CRIU 4.1 or later (no Debian 12 or 13 package has one), built once from Debian's source
if [ "$(id -u)" -eq 0 ]; then
  bash deploy/criu.sh
  # its cache of the kernel's features lives on a tmpfs only (/run is one on a Debian node, not on every machine)
  mkdir -p /run/cairn/criu
  if [ "$(stat -f -c %T /run/cairn/criu)" != tmpfs ]; then
    mount -t tmpfs -o size=1m,mode=0700 cairn-criu /run/cairn/criu
  fi
fi

if [ "$purpose" = test ]; then
  # the browser tests drive Debian's Chromium through playwright-core; no browser is downloaded
  if [ ! -d frontend/node_modules/playwright-core ] || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then
    (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
