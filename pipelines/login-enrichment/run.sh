#!/usr/bin/env bash
# The demo in one command: starts local Kafka and Cassandra (unless you point at others), creates
# schema, topics and sample users, runs the pipeline, sends the sample logins and shows the users
# table before and after and the dead letters. Runs until Ctrl-C (or TERM, or --runFor=2m), then
# stops the pipeline and then what it started.
#
#   pipelines/login-enrichment/run.sh [--profile spark-local|spark-standalone|flink-local|flink-cluster|direct] [options...]
#
# Pipeline options are those of `--help` (e.g. --bootstrapServers=host:9092 --cassandraHosts=h1,h2).
set -euo pipefail
start_ms=$(date +%s%3N)
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
# Maven's console library (Jansi) writes colour resets ("\e[0m") even with -B -Dstyle.color=never.
export MAVEN_OPTS="-Djansi.noreset=true ${MAVEN_OPTS:-}"

profile=spark-local
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --profile) profile="$2"; shift 2 ;;
    --profile=*) profile="${1#--profile=}"; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
DATA="${DATA_DIR:-$ROOT/.data}"
profile_file="runner-profiles/$profile"
[[ -f "$profile_file" ]] || { echo "no runner profile '$profile' (see runner-profiles/)" >&2; exit 2; }
# Profile options, minus those given on the command line (Beam refuses an option twice).
profile_args=()
while read -r line; do
  [[ -z "$line" || "$line" == \#* ]] && continue
  name="${line%%=*}"
  overridden=false
  for a in "${args[@]+"${args[@]}"}"; do [[ "${a%%=*}" == "$name" ]] && overridden=true; done
  $overridden || profile_args+=("$line")
done < "$profile_file"

option() { # value of --name=value among the arguments, or the default
  local name="$1" value="$2"
  for a in "${args[@]+"${args[@]}"}"; do
    [[ "$a" == "--$name="* ]] && value="${a#--$name=}"
  done
  echo "$value"
}
answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
is_local() { [[ "$1" == 127.0.0.1 || "$1" == localhost ]]; }

kafka="$(option bootstrapServers 127.0.0.1:9092)"; kafka="${kafka%%,*}"
cassandra="$(option cassandraHosts 127.0.0.1)"; cassandra="${cassandra%%,*}"
cassandra_port="$(option cassandraPort 9042)"

# The pipeline stops first, then the servers started here, however the demo ends.
LIFECYCLE_NAME=run LIFECYCLE_MAIN="the pipeline" LIFECYCLE_STOP_SECONDS=10
source pipelines/local-servers/lifecycle.sh
maven_profile=()
runner_props=() # JVM properties a runner needs
if [[ "$profile" == spark* ]]; then
  maven_profile=(-Pspark-runner)
  runner_props=(-Dspark.driver.host=127.0.0.1)
fi
if [[ "$profile" == flink* ]]; then
  maven_profile=(-Pflink-runner)
  # One logging context for the whole JVM: Flink's task threads run with a class loader of their
  # own, for which Log4j would otherwise start a second context that reopens (and truncates) the
  # demo's log and, during shutdown, prints a status line on the terminal.
  runner_props=(-Dlog4j2.contextSelector=org.apache.logging.log4j.core.selector.BasicContextSelector)
fi
echo "[run] building (first run downloads dependencies)..." >&2
quiet_on_signal mvn -q -B -Dstyle.color=never -DskipTests "${maven_profile[@]+"${maven_profile[@]}"}" compile \
  dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -DincludeScope=runtime >&2
instead_of_profile() { # --name=value replaces the profile's --name
  args+=("--$1=$2")
  local kept=() a
  for a in "${profile_args[@]}"; do [[ "$a" == "--$1="* ]] || kept+=("$a"); done
  profile_args=("${kept[@]}")
}
# A Spark checkpoint only fits the code that wrote it: keep one per build of the pipeline, so a
# new build starts clean (it resumes from the consumer group's committed offsets) instead of
# failing to read an old checkpoint.
if [[ "$profile" == spark* && "$(option checkpointDir '')" == "" ]]; then
  build_id="$(find target/classes -type f -name '*.class' | sort | xargs cat | sha1sum | cut -c1-12)"
  instead_of_profile checkpointDir "$DATA/spark-checkpoint/$profile-$build_id"
fi
# Flink's checkpoints under the data directory too (each job writes under a directory of its own,
# named by its job id; a new start resumes from the consumer group's committed offsets).
if [[ "$profile" == flink* && "$(option stateBackendStoragePath '')" == "" ]]; then
  instead_of_profile stateBackendStoragePath "$DATA/flink-checkpoint/$profile"
fi
# Spark on Java 17 needs these opens in every JVM that runs Spark code (the same as Maven's).
mapfile -t jvm_flags < <(tr ' ' '\n' < .mvn/jvm.config | grep -v '^$')
# The terminal shows the demo's own lines; the full log (Spark's start-up warnings and the rest)
# goes to a file.
log="$DATA/demo.log"
mkdir -p "$DATA"
java_cmd=(java "${jvm_flags[@]}" "${runner_props[@]+"${runner_props[@]}"}"
  -Dlog4j2.configurationFile=pipelines/login-enrichment/log4j2.properties -Ddemo.log="$log")
demo_args=(-cp "target/classes:$(cat target/classpath.txt)" io.loginenrichment.tools.Demo
  "${profile_args[@]}" --commandStartMillis="$start_ms" "${args[@]+"${args[@]}"}")
# Every option checked before any server starts: a mistyped one is reported in seconds, and --help
# starts nothing.
quiet_on_signal "${java_cmd[@]}" -Ddemo.checkOptionsOnly=true "${demo_args[@]}" || exit $?
for a in "${args[@]+"${args[@]}"}"; do [[ "$a" == --help || "$a" == --help=* ]] && exit 0; done

need=()
if is_local "${kafka%%:*}"; then need+=(kafka); elif ! answers "${kafka%%:*}" "${kafka##*:}"; then
  echo "Kafka at $kafka does not answer" >&2; exit 1; fi
if is_local "$cassandra"; then need+=(cassandra); elif ! answers "$cassandra" "$cassandra_port"; then
  echo "Cassandra at $cassandra:$cassandra_port does not answer" >&2; exit 1; fi
for server in "${need[@]+"${need[@]}"}"; do
  KAFKA_PORT="${kafka##*:}" CASSANDRA_PORT="$cassandra_port" start_server "$server"
done
if [[ "$profile" == flink-cluster ]]; then
  start_server flink
  echo "[run] Flink web UI: http://127.0.0.1:8091" >&2
fi
if [[ "$profile" == spark-standalone ]]; then
  start_server spark
  echo "[run] building the bundled jar for the executors..." >&2
  quiet_on_signal mvn -q -B -Dstyle.color=never -DskipTests package >&2
  echo "[run] Spark master UI: http://127.0.0.1:8080  (application UI: http://127.0.0.1:4040)" >&2
fi
echo "[run] starting the demo; the pipeline's full log: ${log#"$ROOT"/}" >&2
run_main "${java_cmd[@]}" "${demo_args[@]}"
