#!/usr/bin/env bash
# Installs Cairn on a Debian 12 node as a systemd service: builds the jar, copies it to /opt/cairn,
# writes /etc/cairn/cairn.env (settings as environment variables) and starts cairn.service.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "Run deploy/install.sh as root." >&2; exit 1; }
. deploy/lib/java.sh
deploy/prerequisites.sh run
mvn -B -q -DskipTests package
install -d -m 755 /opt/cairn /etc/cairn
install -m 644 target/cairn.jar /opt/cairn/cairn.jar
install -m 644 README.md /opt/cairn/README.md
if [ ! -f /etc/cairn/cairn.env ]; then
  cat > /etc/cairn/cairn.env <<ENV
# Settings of Cairn as environment variables, e.g. SERVER_PORT=8080, CAIRN_DATA_DIR=/var/lib/cairn,
# SPRING_DATASOURCE_URL=jdbc:postgresql://db.example:5432/cairn (unset: Cairn runs its own PostgreSQL).
ENV
  chmod 600 /etc/cairn/cairn.env
fi
sed "s#/usr/lib/jvm/temurin-25-jdk-amd64#$JAVA_HOME#" deploy/cairn.service > /etc/systemd/system/cairn.service
systemctl daemon-reload
systemctl enable --now cairn.service
echo "Cairn is starting. The first admin's one-time password is in: journalctl -u cairn | grep -A3 'first admin'"
