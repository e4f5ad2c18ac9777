#!/usr/bin/env bash
# The benchmark in one command: starts local Kafka and Cassandra (if not already up), builds, and
# runs io.loginenrichment.bench.Benchmark; results go to target/bench/ (results.json, results.md,
# PNG plots, one log per pipeline run). Stops the servers it started.
#
#   pipelines/bench/run.sh                 # the full default scenario (~50 min; the DirectRunner drain
#                                          # alone is ~20 min: --drainProfiles=spark-local skips it)
#   pipelines/bench/run.sh --quick         # small sizes, a few minutes: checks the command works
#   pipelines/bench/run.sh --stages=drain --events=200000 ...   (see --help for every option)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"

args=()
for a in "$@"; do
  if [[ "$a" == --quick ]]; then
    args+=(--events=100000 --users=10000 --freshnessDuration=40s --freshnessWarmup=40s
           --freshnessUsers=2000 --sideInputSizes=10000,100000 --stallDuration=30s --clusterOpens=3)
  else
    args+=("$a")
  fi
done

session="$(mktemp)"
trap 'pipelines/local-servers/servers.sh stop --session "$session"; rm -f "$session"' EXIT
trap 'exit 130' INT TERM
pipelines/local-servers/servers.sh start kafka --session "$session"
pipelines/local-servers/servers.sh start cassandra --session "$session"

echo "[bench] building (first run downloads dependencies)..." >&2
# The benchmark is its own Maven project (pipelines/bench/pom.xml) on top of the pipeline's
# artifact: install that first (with its bundled jar, which the standalone profile submits).
mvn -q -B -Dstyle.color=never -DskipTests -DskipITs install >&2
mvn -q -B -Dstyle.color=never -f pipelines/bench/pom.xml compile \
  dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -DincludeScope=runtime >&2
# The original design (the job this project replaces) is a Maven project of its own: its Spark SQL
# and Scala jars must not meet the pipeline's.
mvn -q -B -Dstyle.color=never -f pipelines/bench/original-design/pom.xml package \
  dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2
mapfile -t jvm_flags < <(tr ' ' '\n' < .mvn/jvm.config | grep -v '^$')
java "${jvm_flags[@]}" -Xmx2g -Djava.awt.headless=true \
  -cp "pipelines/bench/target/classes:$(cat pipelines/bench/target/classpath.txt)" \
  io.loginenrichment.bench.Benchmark "${args[@]+"${args[@]}"}"
