#!/bin/sh
# PromptForge's PII analyzer against redact-pii 3.4.0 (npm) on the same texts, in one run:
# speed on short, 2 KB and 100 KB texts, and accuracy on the labeled held-out set.
#   bench/pii-peer.sh [--documents 5000] [--warmup 3] [--measure 5]
# Needs node and npm; installs redact-pii into bench/peer/node_modules (git-ignored) on first use.
set -eu
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
cd "$root"
. scripts/find-java.sh
pf_find_java
if [ ! -d bench/peer/node_modules/redact-pii ]; then
  (cd bench/peer && npm ci --no-audit --no-fund --loglevel=error)
fi
./mvnw -q -B -pl bench -am package -DskipTests
"$JAVA_HOME/bin/java" -cp bench/target/benchmarks.jar dev.promptforge.bench.pii.PiiPeer \
  --peer-dir bench/peer --out bench/target/peer --node "$(command -v node)" "$@"
