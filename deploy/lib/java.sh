# Sourced by bin/run, bin/test and deploy/install.sh: selects a JDK 25 into JAVA_HOME or stops with advice.
find_jdk25() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*-25-* /usr/lib/jvm/jdk-25*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    if "$candidate/bin/java" -version 2>&1 | head -1 | grep -Eq 'version "25([."]|$)'; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if ! JAVA_HOME=$(find_jdk25); then
  echo "Cairn needs a JDK 25 (for example Temurin 25 in /usr/lib/jvm/temurin-25-jdk-amd64)." >&2
  echo "Install one, or point JAVA_HOME at it, and run this again." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
