#!/usr/bin/env bash
# Installs Cairn on a Debian 12 node from this checkout: builds the Debian package (mvn package) and installs it
# with apt, which brings what it depends on. The package enables and starts cairn.service; settings go in
# /etc/cairn/cairn.env. Needs a JDK 25 (Temurin 25, for one), which Debian 12 does not ship.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "Run deploy/install.sh as root." >&2; exit 1; }
. deploy/lib/java.sh
deploy/prerequisites.sh run
mvn -B -q -DskipTests package
deb=$(ls -t target/cairn_*_amd64.deb | head -1)
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "./$deb"
echo "Installed $deb. The first admin's one-time password: journalctl -u cairn | grep -A3 'first admin'"
