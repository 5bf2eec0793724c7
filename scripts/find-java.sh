# shellcheck shell=bash
# Finds a JDK 21 or newer and exports JAVA_HOME for it. Sourced by ./mvnw and ./promptforge.
# Order: $JAVA_HOME, the `java` on the PATH, then the usual JVM directories (newest first), or the
# directories listed in PROMPTFORGE_JDK_DIRS (colon-separated) instead of the usual ones.
# Prints one line and returns 1 when none is found.

pf_java_major() { # $1 = JDK home; prints its major version or nothing
  local home=$1 v=""
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$home/release" | head -n 1)
  fi
  if [ -z "$v" ] && [ -x "$home/bin/java" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1)
  fi
  [ "$v" = "1" ] && v=8
  printf '%s' "$v"
}

pf_find_java() {
  local min=21 candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(pf_java_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge "$min" ]; then export JAVA_HOME; return 0; fi
  fi
  if command -v java >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    major=$(pf_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge "$min" ]; then export JAVA_HOME=$candidate; return 0; fi
  fi
  local roots="/usr/lib/jvm:/usr/local/lib/jvm:/opt/java:${HOME:-/root}/.sdkman/candidates/java:${HOME:-/root}/.jdks"
  [ -n "${PROMPTFORGE_JDK_DIRS:-}" ] && roots=$PROMPTFORGE_JDK_DIRS
  local old_ifs=$IFS root
  IFS=:
  # shellcheck disable=SC2086
  set -- $roots
  IFS=$old_ifs
  for root in "$@"; do
  for candidate in "$root"/*; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(pf_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge "$min" ] && [ "$major" -gt "$best_major" ]; then
      best=$candidate best_major=$major
    fi
  done
  done
  if [ -n "$best" ]; then export JAVA_HOME=$best; return 0; fi
  echo "PromptForge needs a JDK 21 or newer: install one (e.g. Temurin 21+) or set JAVA_HOME to it." >&2
  return 1
}
