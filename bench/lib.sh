# What the panel benchmarks share (sourced): JDK 25, the node's prerequisites, wrk, a fresh build, and a work folder
# of their own in $work (the PostgreSQL cluster under it runs as postgres, so others may enter it).
cd "$(dirname "$0")/.."
. deploy/lib/java.sh
deploy/prerequisites.sh run >/dev/null
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
mvn -B -q -DskipTests package
work=$(mktemp -d "/tmp/cairn-bench-$1-XXXXXX")
chmod 755 "$work"
