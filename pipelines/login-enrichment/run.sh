#!/usr/bin/env bash
# The demo in one command: starts local Kafka and Cassandra (unless you point at others), creates
# schema, topics and sample users, runs the pipeline, sends the sample logins and shows the users
# table before and after and the dead letters. Runs until Ctrl-C, then stops what it started.
#
#   pipelines/login-enrichment/run.sh [--profile spark-local|spark-standalone|direct] [options...]
#
# Pipeline options are those of `--help` (e.g. --bootstrapServers=host:9092 --cassandraHosts=h1,h2).
set -euo pipefail
start_ms=$(date +%s%3N)
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"

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

session="$(mktemp)"
trap 'pipelines/local-servers/servers.sh stop --session "$session"' EXIT
trap 'exit 130' INT TERM
need=()
if is_local "${kafka%%:*}"; then need+=(kafka); elif ! answers "${kafka%%:*}" "${kafka##*:}"; then
  echo "Kafka at $kafka does not answer" >&2; exit 1; fi
if is_local "$cassandra"; then need+=(cassandra); elif ! answers "$cassandra" "$cassandra_port"; then
  echo "Cassandra at $cassandra:$cassandra_port does not answer" >&2; exit 1; fi
for server in "${need[@]+"${need[@]}"}"; do
  KAFKA_PORT="${kafka##*:}" CASSANDRA_PORT="$cassandra_port" \
    pipelines/local-servers/servers.sh start "$server" --session "$session"
done

maven_profile=()
spark_props=()
if [[ "$profile" == spark* ]]; then
  maven_profile=(-Pspark-runner)
  spark_props=(-Dspark.driver.host=127.0.0.1)
fi
if [[ "$profile" == spark-standalone ]]; then
  pipelines/local-servers/servers.sh start spark --session "$session"
  echo "[run] building the bundled jar for the executors..." >&2
  mvn -q -B -Dstyle.color=never -DskipTests package >&2
  echo "[run] Spark master UI: http://127.0.0.1:8080  (application UI: http://127.0.0.1:4040)" >&2
fi
echo "[run] building (first run downloads dependencies)..." >&2
mvn -q -B -Dstyle.color=never -DskipTests "${maven_profile[@]+"${maven_profile[@]}"}" compile \
  dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -DincludeScope=runtime >&2
# A Spark checkpoint only fits the code that wrote it: keep one per build of the pipeline, so a
# new build starts clean (it resumes from the consumer group's committed offsets) instead of
# failing to read an old checkpoint.
if [[ "$profile" == spark* && "$(option checkpointDir '')" == "" ]]; then
  build_id="$(find target/classes -type f -name '*.class' | sort | xargs cat | sha1sum | cut -c1-12)"
  args+=("--checkpointDir=$DATA/spark-checkpoint/$profile-$build_id")
  kept=()
  for a in "${profile_args[@]}"; do [[ "$a" == --checkpointDir=* ]] || kept+=("$a"); done
  profile_args=("${kept[@]}")
fi
# Spark on Java 17 needs these opens in every JVM that runs Spark code (the same as Maven's).
mapfile -t jvm_flags < <(tr ' ' '\n' < .mvn/jvm.config | grep -v '^$')
java "${jvm_flags[@]}" "${spark_props[@]+"${spark_props[@]}"}" -cp "target/classes:$(cat target/classpath.txt)" io.loginenrichment.tools.Demo \
  "${profile_args[@]}" --commandStartMillis="$start_ms" "${args[@]+"${args[@]}"}"
