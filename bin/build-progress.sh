# Sourced by the project's scripts: runs a Maven build and shows its progress on stderr in a few
# lines (each module as it starts, a count of downloaded files, errors), keeping Maven's full
# output in a log file that is shown when the build fails. The first build downloads a few hundred
# files from Maven Central and takes minutes; without this, nothing would appear meanwhile.

connectors_build_with_progress() {
  # $1: what is being built (for the messages); the rest: Maven arguments.
  local what=$1 log status
  shift
  log=$(mktemp "${TMPDIR:-/tmp}/connectors-build.XXXXXX.log")
  echo "$what (the first run downloads dependencies and takes a few minutes; log: $log)..." >&2
  set +e
  mvn -B "$@" 2>&1 | tee "$log" | awk '
    /^\[INFO\] Building .*\[[0-9]+\/[0-9]+\]$/ {
      sub(/^\[INFO\] Building /, ""); sub(/ +\[/, " ["); print "  building " $0; fflush(); next }
    /^Downloaded from / {
      downloads++
      if (downloads % 50 == 0) { print "  downloaded " downloads " files from Maven Central..."; fflush() }
      next }
    /^\[ERROR\]/ { print; fflush() }
    END { if (downloads > 0 && downloads % 50 != 0) print "  downloaded " downloads " files from Maven Central" }
  ' >&2
  status=${PIPESTATUS[0]}
  set -e
  if [ "$status" -ne 0 ]; then
    echo "The build failed (exit $status). Maven's full output is in $log; its end:" >&2
    tail -n 40 "$log" >&2
    return "$status"
  fi
  rm -f "$log"
  echo "$what: done." >&2
}
