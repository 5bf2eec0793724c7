#!/usr/bin/env bash
# Dashboard at scale (issue 7): seeds (or reuses) a database with N generated records, starts
# PromptForge on it, signs in and measures every dashboard page's server time (Server-Timing
# header) and client time, p50/p95 over R requests after a warm-up, and the export's rate.
#
#   bench/dashboard/run.sh [--records 1000000] [--db sqlite|postgres|both] [--requests 20] [--warmup 3]
#
# SQLite lives in bench/dashboard/.data/sqlite-<N>; PostgreSQL in schema pf_bench_<N> of
# PROMPTFORGE_BENCH_PG_URL (default jdbc:postgresql://127.0.0.1:5432/test, user postgres).
# Writes bench/dashboard/results/<timestamp>.md.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
RECORDS=1000000
DB=both
REQUESTS=20
WARMUP=3
PORT=${PROMPTFORGE_BENCH_PORT:-18561}
PASSWORD=bench-admin-password-1
PG_URL=${PROMPTFORGE_BENCH_PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}
PG_USER=${PROMPTFORGE_BENCH_PG_USER:-postgres}

say() { echo "bench: $*" >&2; }
die() {
  echo "bench: $*" >&2
  exit 1
}

while [ $# -gt 0 ]; do
  case $1 in
    --records) RECORDS=$2; shift 2 ;;
    --db) DB=$2; shift 2 ;;
    --requests) REQUESTS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    -h | --help)
      sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done
case $DB in sqlite | postgres | both) ;; *) die "--db must be sqlite, postgres or both" ;; esac
[[ $RECORDS =~ ^[0-9]+$ ]] || die "--records must be a number"

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$HERE/results"
REPORT=$HERE/results/$STAMP.md
PG_HOST=$(echo "$PG_URL" | sed -E 's#jdbc:postgresql://([^:/]+).*#\1#')
PG_PORT=$(echo "$PG_URL" | sed -E 's#jdbc:postgresql://[^:/]+:?([0-9]*)/.*#\1#')
PG_DB=$(echo "$PG_URL" | sed -E 's#jdbc:postgresql://[^/]+/([^?]+).*#\1#')
SCHEMA=pf_bench_$RECORDS
psql_() { psql -h "$PG_HOST" -p "${PG_PORT:-5432}" -U "$PG_USER" -d "$PG_DB" -tAq "$@"; }

SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT

# Runs one database: env for the launcher in the caller's variables.
run_one() {
  local kind=$1 count
  local -a env
  if [ "$kind" = sqlite ]; then
    local dir=$HERE/.data/sqlite-$RECORDS
    mkdir -p "$dir"
    env=(PROMPTFORGE_DATA_DIR="$dir")
    count=0
    if [ -f "$dir/promptforge.db" ]; then
      count=$(sqlite3 "$dir/promptforge.db" "SELECT COUNT(*) FROM records" 2>/dev/null || echo 0)
    fi
    JDBC="jdbc:sqlite:$dir/promptforge.db"
  else
    local dir=$HERE/.data/postgres-$RECORDS
    mkdir -p "$dir"
    psql_ -c "CREATE SCHEMA IF NOT EXISTS $SCHEMA" >/dev/null
    local url="$PG_URL?currentSchema=$SCHEMA"
    env=(PROMPTFORGE_DATA_DIR="$dir" PROMPTFORGE_DB_URL="$url" PROMPTFORGE_DB_USER="$PG_USER" PROMPTFORGE_DB_PASSWORD=)
    count=$(psql_ -c "SELECT COUNT(*) FROM $SCHEMA.records" 2>/dev/null || echo 0)
    JDBC="$url"
  fi
  if [ "$count" -lt "$RECORDS" ]; then
    say "$kind: seeding $((RECORDS - count)) records (has $count)"
    local started=$SECONDS
    env "${env[@]}" "$ROOT/promptforge" seed-records --count $((RECORDS - count)) --project bench --days 30 >&2
    SEEDED="seeded $((RECORDS - count)) records in $((SECONDS - started)) s"
  else
    SEEDED="reused $count records"
  fi
  # A key for the registry prompts the compare and prompt pages need (the seed writes records only).
  KEY=$(env "${env[@]}" "$ROOT/promptforge" key create --user admin --scopes read,write --name "bench-$(date +%s)" \
    2>/dev/null | tail -1 || true)
  say "$kind: starting the server on port $PORT"
  env "${env[@]}" PROMPTFORGE_BOOTSTRAP_ADMIN_PASSWORD=$PASSWORD PROMPTFORGE_DEMO_RECORDS=false \
    "$ROOT/promptforge" serve --port "$PORT" >"$HERE/.data/server-$kind.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 180); do
    curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "the server stopped; see $HERE/.data/server-$kind.log"
    sleep 1
  done
  local label="$kind, $RECORDS records ($SEEDED)"
  PROMPTFORGE_BENCH_KEY="$KEY" python3 "$HERE/measure.py" "http://127.0.0.1:$PORT" bench "$PASSWORD" "$REQUESTS" "$WARMUP" "$label" >>"$REPORT"
  cleanup
  SERVER_PID=
  {
    echo
    echo "JDBC streaming read of the project's records through the records filter query (ExportRate.java):"
    echo
    echo '```'
    PGUSER=$PG_USER "$JAVA" -cp "$ROOT/cli/target/promptforge-app/*" "$HERE/ExportRate.java" "$JDBC" bench 2>&1 | tail -1
    echo '```'
    echo
    echo "The leaderboard's aggregate called directly (Aggregates.java), for when its page is not built:"
    echo
    echo '```'
    PGUSER=$PG_USER "$JAVA" -cp "$ROOT/cli/target/promptforge-app/*" "$HERE/Aggregates.java" "$JDBC" bench 2>&1 | tail -1
    echo '```'
    echo
  } >>"$REPORT"
}

. "$ROOT/scripts/find-java.sh"
pf_find_java
JAVA=$JAVA_HOME/bin/java
{
  echo "# Dashboard at scale, $STAMP"
  echo
  echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), shared"
  echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- $REQUESTS requests per page after $WARMUP warm-up requests; server time = Server-Timing total"
  echo
} >"$REPORT"
if [ "$DB" = sqlite ] || [ "$DB" = both ]; then run_one sqlite; fi
if [ "$DB" = postgres ] || [ "$DB" = both ]; then run_one postgres; fi
echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$REPORT"
cat "$REPORT"
say "wrote $REPORT"
