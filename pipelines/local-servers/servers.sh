#!/usr/bin/env bash
# Real Kafka (KRaft) and Cassandra servers for local runs and tests, each its own JVM started from
# Maven Central jars: no Docker, no downloads besides Maven's.
#
#   servers.sh start  [kafka|cassandra|spark|flink|all] [--session FILE]  start what is not answering
#   servers.sh stop   [kafka|cassandra|spark|flink|all] [--session FILE]  stop what this script started
#   servers.sh status [kafka|cassandra|spark|flink|all]
#
# all is kafka, cassandra and spark (what `mvn verify` needs); flink only when named.
#
# spark is a Spark standalone cluster: a master (spark://127.0.0.1:7077, web UI :8080) and
# SPARK_WORKERS workers (web UIs :8081, :8082, ...) whose executors run from a SPARK_HOME made of
# Maven Central jars.
#
# flink is a Flink standalone session cluster: a JobManager (REST API and web UI :8091, RPC :6123,
# blob server :6124) and one TaskManager (RPC :6122, data :6121) with FLINK_TASK_SLOTS slots, from
# Maven Central jars (flink-dist is not served). Its REST port is not Flink's default 8081, which
# is the Spark worker's web UI here. Submit with --flinkMaster=127.0.0.1:8091.
#
# --session FILE records which servers this call actually started; `stop --session FILE` then
# stops only those, so a test run never stops servers somebody else was using.
#
# Settings (environment): DATA_DIR (default <repo>/.data), KAFKA_PORT (9092),
# KAFKA_CONTROLLER_PORT (9093), KAFKA_HEAP (512m), KAFKA_SASL_PORT (9094: SASL/PLAIN listener for
# KAFKA_SASL_USER (enrichment) with KAFKA_SASL_PASSWORD (local-sasl-password; local use only)), CASSANDRA_PORT (9042),
# CASSANDRA_STORAGE_PORT (7000), CASSANDRA_HEAP (768m), CASSANDRA_AUTH (none, or password:
# PasswordAuthenticator and CassandraAuthorizer, superuser cassandra/cassandra),
# SPARK_MASTER_PORT (7077), SPARK_MASTER_WEBUI_PORT (8080), SPARK_WORKER_WEBUI_PORT (8081),
# SPARK_WORKERS (1), SPARK_WORKER_CORES (2), SPARK_WORKER_MEMORY (2g) each,
# FLINK_REST_PORT (8091), FLINK_RPC_PORT (6123), FLINK_BLOB_PORT (6124),
# FLINK_TASKMANAGER_RPC_PORT (6122), FLINK_TASKMANAGER_DATA_PORT (6121), FLINK_TASK_SLOTS (2),
# FLINK_JOBMANAGER_MEMORY (768m) and FLINK_TASKMANAGER_MEMORY (1g) whole-process sizes,
# START_TIMEOUT seconds (180).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DATA="${DATA_DIR:-$ROOT/.data}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP="${KAFKA_HEAP:-512m}"
KAFKA_SASL_PORT="${KAFKA_SASL_PORT:-9094}"
KAFKA_SASL_USER="${KAFKA_SASL_USER:-enrichment}"
KAFKA_SASL_PASSWORD="${KAFKA_SASL_PASSWORD:-local-sasl-password}"
CASSANDRA_PORT="${CASSANDRA_PORT:-9042}"
CASSANDRA_STORAGE_PORT="${CASSANDRA_STORAGE_PORT:-7000}"
CASSANDRA_HEAP="${CASSANDRA_HEAP:-768m}"
CASSANDRA_AUTH="${CASSANDRA_AUTH:-none}"
SPARK_MASTER_PORT="${SPARK_MASTER_PORT:-7077}"
SPARK_MASTER_WEBUI_PORT="${SPARK_MASTER_WEBUI_PORT:-8080}"
SPARK_WORKER_WEBUI_PORT="${SPARK_WORKER_WEBUI_PORT:-8081}"
SPARK_WORKERS="${SPARK_WORKERS:-1}"
SPARK_WORKER_CORES="${SPARK_WORKER_CORES:-2}"
SPARK_WORKER_MEMORY="${SPARK_WORKER_MEMORY:-2g}"
FLINK_REST_PORT="${FLINK_REST_PORT:-8091}"
FLINK_RPC_PORT="${FLINK_RPC_PORT:-6123}"
FLINK_BLOB_PORT="${FLINK_BLOB_PORT:-6124}"
FLINK_TASKMANAGER_RPC_PORT="${FLINK_TASKMANAGER_RPC_PORT:-6122}"
FLINK_TASKMANAGER_DATA_PORT="${FLINK_TASKMANAGER_DATA_PORT:-6121}"
FLINK_TASK_SLOTS="${FLINK_TASK_SLOTS:-2}"
FLINK_JOBMANAGER_MEMORY="${FLINK_JOBMANAGER_MEMORY:-768m}"
FLINK_TASKMANAGER_MEMORY="${FLINK_TASKMANAGER_MEMORY:-1g}"
START_TIMEOUT="${START_TIMEOUT:-180}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# Maven's console library (Jansi) writes colour resets ("\e[0m") even with -B -Dstyle.color=never.
export MAVEN_OPTS="-Djansi.noreset=true ${MAVEN_OPTS:-}"

log() { echo "[servers] $*" >&2; }

# Each server JVM runs under `setsid`, in a session of its own: a signal to the caller's whole
# process group (Ctrl-C, `timeout`, a CI runner, systemd) cannot kill it before the pipeline that
# uses it has stopped; `stop` does that, in order. Started with `&` from this script (no job
# control) it is not a group leader, so setsid execs in place and $! is the server's own pid.

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_of() {
  local f="$DATA/$1.pid"
  [[ -f "$f" ]] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"
}

port_of() {
  case "$1" in
    kafka) echo "$KAFKA_PORT" ;;
    cassandra) echo "$CASSANDRA_PORT" ;;
    spark-master) echo "$SPARK_MASTER_PORT" ;;
    spark-worker-*) echo $((SPARK_WORKER_WEBUI_PORT + ${1##*-} - 1)) ;;
    flink-jobmanager) echo "$FLINK_REST_PORT" ;;
    flink-taskmanager) echo "$FLINK_TASKMANAGER_RPC_PORT" ;;
  esac
}

# The server's runtime classpath, resolved by Maven once (and again when its pom changes).
classpath() {
  local name="$1" pom="$HERE/$1/pom.xml" out="$DATA/$1.classpath"
  if [[ ! -s "$out" || "$pom" -nt "$out" ]]; then
    log "resolving $name jars from Maven Central (first run only)..."
    mkdir -p "$DATA"
    mvn -q -B -Dstyle.color=never -f "$pom" dependency:build-classpath -Dmdep.outputFile="$out" >&2
  fi
  cat "$out"
}

fill() { # authenticator/authorizer, template -> stdout, replacing @VARS@
  sed -e "s#@DATA@#$DATA#g" \
      -e "s#@KAFKA_PORT@#$KAFKA_PORT#g" \
      -e "s#@KAFKA_CONTROLLER_PORT@#$KAFKA_CONTROLLER_PORT#g" \
      -e "s#@KAFKA_SASL_PORT@#$KAFKA_SASL_PORT#g" \
      -e "s#@KAFKA_SASL_USER@#$KAFKA_SASL_USER#g" \
      -e "s#@KAFKA_SASL_PASSWORD@#$KAFKA_SASL_PASSWORD#g" \
      -e "s#@CASSANDRA_PORT@#$CASSANDRA_PORT#g" \
      -e "s#@CASSANDRA_STORAGE_PORT@#$CASSANDRA_STORAGE_PORT#g" \
      -e "s#@CASSANDRA_AUTHENTICATOR@#${1%%/*}#g" \
      -e "s#@CASSANDRA_AUTHORIZER@#${1##*/}#g" \
      -e "s#@FLINK_REST_PORT@#$FLINK_REST_PORT#g" \
      -e "s#@FLINK_RPC_PORT@#$FLINK_RPC_PORT#g" \
      -e "s#@FLINK_BLOB_PORT@#$FLINK_BLOB_PORT#g" \
      -e "s#@FLINK_TASKMANAGER_RPC_PORT@#$FLINK_TASKMANAGER_RPC_PORT#g" \
      -e "s#@FLINK_TASKMANAGER_DATA_PORT@#$FLINK_TASKMANAGER_DATA_PORT#g" \
      -e "s#@FLINK_TASK_SLOTS@#$FLINK_TASK_SLOTS#g" \
      -e "s#@FLINK_JOBMANAGER_MEMORY@#$FLINK_JOBMANAGER_MEMORY#g" \
      -e "s#@FLINK_TASKMANAGER_MEMORY@#$FLINK_TASKMANAGER_MEMORY#g" "$2"
}

start_kafka() {
  local cp conf="$DATA/kafka/server.properties"
  cp="$(classpath kafka)"
  mkdir -p "$DATA/kafka"
  fill "-/-" "$HERE/kafka/server.properties.template" > "$conf"
  if [[ ! -f "$DATA/kafka/data/meta.properties" ]]; then
    local id
    id="$("$JAVA" -cp "$cp" kafka.tools.StorageTool random-uuid)"
    "$JAVA" -cp "$cp" -Dlog4j2.configurationFile="$HERE/kafka/log4j2.properties" \
      kafka.tools.StorageTool format -t "$id" -c "$conf" > "$DATA/kafka/format.log" 2>&1 \
      || { log "formatting Kafka storage failed, see $DATA/kafka/format.log"; return 1; }
  fi
  setsid "$JAVA" -Xms"$KAFKA_HEAP" -Xmx"$KAFKA_HEAP" -XX:+UseG1GC \
    -Dlog4j2.configurationFile="$HERE/kafka/log4j2.properties" \
    -cp "$cp" kafka.Kafka "$conf" > "$DATA/kafka.log" 2>&1 < /dev/null &
  echo $! > "$DATA/kafka.pid"
}

# Cassandra's own Java 17 flags (its conf/jvm17-server.options): without the opens it dies in
# FileUtils on DirectBuffer.cleaner.
CASSANDRA_JVM17=(
  -XX:+UseG1GC -XX:+ParallelRefProcEnabled -XX:MaxTenuringThreshold=1 -XX:G1HeapRegionSize=16m
  -Djdk.attach.allowAttachSelf=true
  --add-exports java.base/jdk.internal.misc=ALL-UNNAMED
  --add-exports java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED
  --add-exports java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports java.rmi/sun.rmi.server=ALL-UNNAMED
  --add-exports java.sql/java.sql=ALL-UNNAMED
  --add-exports java.base/java.lang.ref=ALL-UNNAMED
  --add-exports jdk.unsupported/sun.misc=ALL-UNNAMED
  --add-exports jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports jdk.attach/sun.tools.attach=ALL-UNNAMED
  --add-opens java.base/java.lang.module=ALL-UNNAMED
  --add-opens java.base/jdk.internal.loader=ALL-UNNAMED
  --add-opens java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens java.base/jdk.internal.reflect=ALL-UNNAMED
  --add-opens java.base/jdk.internal.math=ALL-UNNAMED
  --add-opens java.base/jdk.internal.module=ALL-UNNAMED
  --add-opens java.base/jdk.internal.util.jar=ALL-UNNAMED
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens java.base/java.io=ALL-UNNAMED
  --add-opens java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens jdk.compiler/com.sun.tools.javac=ALL-UNNAMED
  --add-opens java.base/java.lang=ALL-UNNAMED
  --add-opens java.base/java.util=ALL-UNNAMED
  -Dio.netty.tryReflectionSetAccessible=true
)

start_cassandra() {
  local cp conf="$DATA/cassandra/cassandra.yaml" auth=AllowAllAuthenticator/AllowAllAuthorizer
  # password: logins checked, and each role reaches only what it was granted. The superuser
  # cassandra/cassandra exists at once (no 10 s set-up delay) for granting.
  [[ "$CASSANDRA_AUTH" == password ]] && auth=PasswordAuthenticator/CassandraAuthorizer
  cp="$(classpath cassandra)"
  mkdir -p "$DATA/cassandra"
  fill "$auth" "$HERE/cassandra/cassandra.yaml.template" > "$conf"
  setsid "$JAVA" -Xms"$CASSANDRA_HEAP" -Xmx"$CASSANDRA_HEAP" "${CASSANDRA_JVM17[@]}" \
    -Dcassandra.config="file://$conf" \
    -Dcassandra-foreground=true \
    -Dcassandra.storagedir="$DATA/cassandra" \
    -Dlogback.configurationFile="$HERE/cassandra/logback.xml" \
    -Dcassandra.skip_wait_for_gossip_to_settle=0 \
    -Dcassandra.ring_delay_ms=0 \
    -Dcassandra.superuser_setup_delay_ms=0 \
    -cp "$cp" org.apache.cassandra.service.CassandraDaemon > "$DATA/cassandra.log" 2>&1 < /dev/null &
  echo $! > "$DATA/cassandra.pid"
}

# Spark's own Java 17 opens (org.apache.spark.launcher.JavaModuleOptions); SparkContext adds the
# same to executors by itself.
SPARK_JVM17=(
  -XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false
)

# The worker builds executor classpaths from $SPARK_HOME/jars, and only treats SPARK_HOME as a
# distribution (not a source build) when it holds a RELEASE file: make one of links to the jars.
spark_home() {
  local home="$DATA/spark/home" cp
  cp="$(classpath spark)"
  if [[ ! -d "$home/jars" || "$DATA/spark.classpath" -nt "$home/jars" ]]; then
    rm -rf "$home/jars"
    mkdir -p "$home/jars" "$home/conf"
    tr ':' '\n' <<< "$cp" | while read -r jar; do ln -sf "$jar" "$home/jars/"; done
    echo "Spark from Maven Central jars, for login-enrichment's local cluster" > "$home/RELEASE"
  fi
  echo "$home"
}

start_spark-master() {
  local home
  home="$(spark_home)"
  mkdir -p "$DATA/spark"
  SPARK_HOME="$home" SPARK_LOCAL_IP=127.0.0.1 setsid "$JAVA" -Xmx256m "${SPARK_JVM17[@]}" \
    -cp "$home/jars/*" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$SPARK_MASTER_PORT" --webui-port "$SPARK_MASTER_WEBUI_PORT" \
    > "$DATA/spark-master.log" 2>&1 < /dev/null &
  echo $! > "$DATA/spark-master.pid"
}

start_spark-worker() { # $1: worker number
  local home n="$1"
  home="$(spark_home)"
  mkdir -p "$DATA/spark/work-$n"
  SPARK_HOME="$home" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1 \
    setsid "$JAVA" -Xmx256m "${SPARK_JVM17[@]}" -cp "$home/jars/*" org.apache.spark.deploy.worker.Worker \
    --host 127.0.0.1 --cores "$SPARK_WORKER_CORES" --memory "$SPARK_WORKER_MEMORY" \
    --webui-port "$(port_of "spark-worker-$n")" --work-dir "$DATA/spark/work-$n" \
    "spark://127.0.0.1:$SPARK_MASTER_PORT" > "$DATA/spark-worker-$n.log" 2>&1 < /dev/null &
  echo $! > "$DATA/spark-worker-$n.pid"
}

# Worker n is ready once the master lists at least n workers as ALIVE.
worker_registered() {
  local alive
  alive="$(curl -s "http://127.0.0.1:$SPARK_MASTER_WEBUI_PORT/json/" 2>/dev/null | grep -c '"state" *: *"ALIVE"')"
  (( alive >= $1 ))
}

# Flink's own Java 17 flags (env.java.opts.all in the config.yaml of its distribution).
FLINK_JVM17=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

# The configuration directory both Flink processes read (config.yaml and the log4j2 settings).
flink_conf() {
  local conf="$DATA/flink/conf"
  mkdir -p "$conf" "$DATA/flink/checkpoints" "$DATA/flink/savepoints" "$DATA/flink/tmp"
  # Rewritten only when a setting changed, so the memory sizes derived from it stay cached.
  fill "-/-" "$HERE/flink/config.yaml.template" > "$conf/config.yaml.new"
  if cmp -s "$conf/config.yaml.new" "$conf/config.yaml"; then rm "$conf/config.yaml.new"
  else mv "$conf/config.yaml.new" "$conf/config.yaml"; fi
  cp "$HERE/flink/log4j2.properties" "$conf/log4j2.properties"
  echo "$conf"
}

# What Flink's own jobmanager.sh / taskmanager.sh compute from the memory settings: the JVM's heap,
# direct and metaspace limits, and the derived memory options the process must be given as dynamic
# properties (a TaskManager refuses to start without them). $1: GET_JM_RESOURCE_PARAMS or
# GET_TM_RESOURCE_PARAMS, $2: classpath, $3: conf dir. Prints two lines: JVM flags, then
# `-D key=value` pairs. Kept beside the configuration until it changes (a JVM start saved).
flink_resources() {
  local out cache="$3/$1.txt"
  if [[ ! -s "$cache" || "$3/config.yaml" -nt "$cache" ]]; then
    out="$("$JAVA" -cp "$2" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$3" 2>&1)" \
      || { log "Flink's BashJavaUtils $1 failed:"; echo "$out" >&2; return 1; }
    grep '^BASH_JAVA_UTILS_EXEC_RESULT:' <<< "$out" | tail -n 2 | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://' > "$cache"
  fi
  cat "$cache"
}

start_flink-process() { # $1: jobmanager or taskmanager, $2: resource command, $3: entry point
  local cp conf res jvm dyn name="flink-$1"
  cp="$(classpath flink)"
  conf="$(flink_conf)"
  res="$(flink_resources "$2" "$cp" "$conf")" || return 1
  read -r -a jvm <<< "$(head -n 1 <<< "$res")"
  read -r -a dyn <<< "$(tail -n 1 <<< "$res")"
  # No plugins, but Flink warns when the folder it looks in is missing.
  mkdir -p "$DATA/flink/plugins"
  FLINK_PLUGINS_DIR="$DATA/flink/plugins" setsid "$JAVA" "${jvm[@]}" "${FLINK_JVM17[@]}" \
    -Dlog.file="$DATA/$name.log" \
    -Dlog4j.configurationFile="file:$conf/log4j2.properties" \
    -cp "$cp" "$3" --configDir "$conf" "${dyn[@]}" > "$DATA/$name.log" 2>&1 < /dev/null &
  echo $! > "$DATA/$name.pid"
}

start_flink-jobmanager() {
  start_flink-process jobmanager GET_JM_RESOURCE_PARAMS org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
}

start_flink-taskmanager() {
  start_flink-process taskmanager GET_TM_RESOURCE_PARAMS org.apache.flink.runtime.taskexecutor.TaskManagerRunner
}

# The TaskManager is ready once the JobManager counts it, with free slots.
taskmanager_registered() {
  local overview
  overview="$(curl -s "http://127.0.0.1:$FLINK_REST_PORT/overview" 2>/dev/null)"
  [[ "$overview" =~ \"taskmanagers\":([0-9]+) ]] && (( BASH_REMATCH[1] >= 1 )) \
    && [[ "$overview" =~ \"slots-available\":([0-9]+) ]] && (( BASH_REMATCH[1] >= 1 ))
}

spark_workers() { for i in $(seq 1 "$SPARK_WORKERS"); do echo "spark-worker-$i"; done; }

wait_ready() {
  local name="$1" port deadline
  port="$(port_of "$name")"
  deadline=$((SECONDS + START_TIMEOUT))
  while ! port_open "$port" || { [[ "$name" == spark-worker-* ]] && ! worker_registered "${name##*-}"; } \
      || { [[ "$name" == flink-taskmanager ]] && ! taskmanager_registered; }; do
    if ! pid_of "$name" > /dev/null; then
      log "$name exited during start-up; last lines of $DATA/$name.log:"
      tail -n 30 "$DATA/$name.log" >&2 || true
      return 1
    fi
    if (( SECONDS > deadline )); then
      log "$name not ready on port $port after ${START_TIMEOUT}s; see $DATA/$name.log"
      tail -n 30 "$DATA/$name.log" >&2 || true
      return 1
    fi
    sleep 1
  done
}

start_one() {
  local name="$1" session="$2" port
  if [[ "$name" == spark ]]; then
    start_one spark-master "$session" || return 1
    for w in $(spark_workers); do start_one "$w" "$session" || return 1; done
    return
  fi
  if [[ "$name" == flink ]]; then
    start_one flink-jobmanager "$session" && start_one flink-taskmanager "$session"
    return
  fi
  port="$(port_of "$name")"
  if port_open "$port"; then
    log "$name already answering on 127.0.0.1:$port, reusing it"
    return 0
  fi
  local t0=$SECONDS
  log "starting $name on 127.0.0.1:$port (log: $DATA/$name.log)"
  # A signal between the server's launch and its line in the session would leave it running with
  # nobody to stop it: hold the signal until the line is written (children, such as the jar
  # resolution, still get it from the group).
  local held="" launched=0
  trap 'held=130' INT
  trap 'held=143' TERM
  if [[ "$name" == spark-worker-* ]]; then start_spark-worker "${name##*-}"; else "start_$name"; fi || launched=$?
  # In the session before it is ready: a start that fails or is interrupted is stopped too.
  [[ $launched -eq 0 && -n "$session" ]] && echo "$name" >> "$session"
  trap - INT TERM
  [[ -z "$held" ]] || exit "$held"
  [[ $launched -eq 0 ]] || return 1
  wait_ready "$name" || return 1
  log "$name ready in $((SECONDS - t0))s (pid $(cat "$DATA/$name.pid"))"
  return 0
}

stop_one() {
  local name="$1" pid
  if [[ "$name" == spark ]]; then
    for f in "$DATA"/spark-worker-*.pid; do
      [[ -e "$f" ]] && stop_one "$(basename "$f" .pid)"
    done
    stop_one spark-master
    return
  fi
  if [[ "$name" == flink ]]; then
    stop_one flink-taskmanager
    stop_one flink-jobmanager
    return
  fi
  if ! pid="$(pid_of "$name")"; then
    log "$name: not started by this script, nothing to stop"
    rm -f "$DATA/$name.pid"
    return 0
  fi
  log "stopping $name (pid $pid)"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name did not stop in 30s, killing it"
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$DATA/$name.pid"
}

stop_session() { # the servers a session file names
  local session="$1" n
  [[ -f "$session" ]] || return 0
  # At once (each takes seconds: Cassandra flushes), but workers before their master.
  for n in $(sort -u "$session" | grep -vx -e spark-master -e flink-jobmanager); do stop_one "$n" & done
  wait
  for n in spark-master flink-jobmanager; do
    if grep -qx "$n" "$session"; then stop_one "$n" & fi
  done
  wait
  rm -f "$session"
}

names() {
  case "${1:-all}" in
    all) echo "kafka cassandra spark" ;;
    kafka|cassandra|spark|flink) echo "$1" ;;
    *) log "unknown server '$1' (kafka, cassandra, spark, flink or all)"; exit 2 ;;
  esac
}

cmd="${1:-status}"; shift || true
which="all"; session=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --session) session="$2"; shift 2 ;;
    *) which="$1"; shift ;;
  esac
done

case "$cmd" in
  start)
    for n in $(names "$which"); do
      if ! start_one "$n" "$session"; then
        # Leave nothing half-started behind: stop what this call started, then fail.
        [[ -z "$session" ]] || stop_session "$session"
        exit 1
      fi
    done
    ;;
  stop)
    if [[ -n "$session" ]]; then
      stop_session "$session"
    else
      for n in $(names "$which"); do stop_one "$n"; done
    fi
    ;;
  status)
    [[ "$which" == all ]] && which="all flink"
    for n in $(for w in $which; do names "$w"; done \
        | sed -e "s/spark/spark-master $(spark_workers | xargs)/" -e "s/flink/flink-jobmanager flink-taskmanager/"); do
      port="$(port_of "$n")"
      state="down"; port_open "$port" && state="up"
      if pid="$(pid_of "$n")"; then
        echo "$n: $state on 127.0.0.1:$port (started here, pid $pid)"
      else
        echo "$n: $state on 127.0.0.1:$port"
      fi
    done
    ;;
  *)
    echo "usage: $0 start|stop|status [kafka|cassandra|spark|flink|all] [--session FILE]" >&2
    exit 2
    ;;
esac
