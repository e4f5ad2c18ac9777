#!/usr/bin/env bash
# The benchmark in one command: starts local Kafka and Cassandra (if not already up), builds, and
# runs io.loginenrichment.bench.Benchmark; results go to target/bench/ (results.json, results.md,
# PNG plots, one log per pipeline run). Stops the servers it started.
#
#   pipelines/bench/run.sh                 # the full default scenario (~75 min; the DirectRunner drain
#                                          # alone is ~20 min: --drainProfiles=spark-local,flink-local skips it)
#   pipelines/bench/run.sh --quick         # small sizes, a few minutes: checks the command works
#   pipelines/bench/run.sh --stages=drain --events=200000 ...   (see --help for every option)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
# Maven's console library (Jansi) writes colour resets ("\e[0m") even with -B -Dstyle.color=never.
export MAVEN_OPTS="-Djansi.noreset=true ${MAVEN_OPTS:-}"

args=()
for a in "$@"; do
  if [[ "$a" == --quick ]]; then
    args+=(--events=100000 --users=10000 --freshnessDuration=40s --freshnessWarmup=40s
           --freshnessUsers=2000 --sideInputSizes=10000,100000 --stallDuration=30s --clusterOpens=3)
  else
    args+=("$a")
  fi
done

# As the demo: on Ctrl-C or TERM, to this script or to its whole process group, the benchmark
# (which stops its pipeline JVMs) first, then the servers started here.
LIFECYCLE_NAME=bench LIFECYCLE_MAIN="the benchmark" LIFECYCLE_STOP_SECONDS=15
source pipelines/local-servers/lifecycle.sh
start_server kafka
start_server cassandra

echo "[bench] building (first run downloads dependencies)..." >&2
# The benchmark is its own Maven project (pipelines/bench/pom.xml) on top of the pipeline's
# artifact: install that first (with its bundled jar, which the standalone profile submits).
quiet_on_signal mvn -q -B -Dstyle.color=never -DskipTests -DskipITs install >&2
# Each pipeline JVM runs as the demo runs it: the pipeline's classes and the runtime dependencies of
# its runner family, one Maven profile of the pipeline's pom each (RunnerProfiles.classpath), so a
# Spark run carries no Flink jar and a Flink run not Spark itself.
mkdir -p pipelines/bench/target
for family in direct spark flink; do
  quiet_on_signal mvn -q -B -Dstyle.color=never -P"$family-runner" dependency:build-classpath -DincludeScope=runtime \
    -Dmdep.outputFile="pipelines/bench/target/pipeline-classpath-$family.txt" >&2
done
quiet_on_signal mvn -q -B -Dstyle.color=never -f pipelines/bench/pom.xml compile \
  dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -DincludeScope=runtime >&2
# The original design (the job this project replaces) is a Maven project of its own: its Spark SQL
# and Scala jars must not meet the pipeline's.
quiet_on_signal mvn -q -B -Dstyle.color=never -f pipelines/bench/original-design/pom.xml package \
  dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2
mapfile -t jvm_flags < <(tr ' ' '\n' < .mvn/jvm.config | grep -v '^$')
run_main java "${jvm_flags[@]}" -Xmx2g -Djava.awt.headless=true \
  -cp "pipelines/bench/target/classes:$(cat pipelines/bench/target/classpath.txt)" \
  io.loginenrichment.bench.Benchmark "${args[@]+"${args[@]}"}"
