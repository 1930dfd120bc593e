# Sourced by the project's scripts: selects a JDK whose major version is 21 or newer and exports
# JAVA_HOME and PATH for it. Prefers an already-set JAVA_HOME, then `java` on PATH, then the JDKs
# installed under /usr/lib/jvm (Debian/Ubuntu) and /Library/Java/JavaVirtualMachines (macOS).

connectors_java_major() {
  # Prints the major version of the java binary given as $1, or nothing. A JDK's `release` file says
  # it without starting a JVM (each start costs a short command like `bin/local publish` most of its time).
  local home release
  home=$(dirname "$(dirname "$1")")
  release=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$home/release" 2>/dev/null)
  if [ -n "$release" ]; then
    echo "$release"
    return
  fi
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

connectors_select_jdk() {
  local candidates=() home major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for home in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$home" ] && candidates+=("$home")
  done
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
    major=$(connectors_java_major "$home/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$home"
      export PATH="$home/bin:$PATH"
      return 0
    fi
  done
  echo "No JDK 21 or newer was found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm)." >&2
  echo "Install one (e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 21) and set JAVA_HOME to it." >&2
  return 1
}
