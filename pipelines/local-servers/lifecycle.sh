# Sourced by the demo's and the benchmark's run.sh (from the repository's root): one way to start
# servers, run the main JVM and stop it all. However the script ends (Ctrl-C, TERM to it or to its
# whole process group, an error), the main JVM stops first, then the servers started here. The
# servers run in sessions of their own (servers.sh), so a signal to the group cannot take them away
# from under the JVM.
#
#   LIFECYCLE_NAME=run LIFECYCLE_MAIN="the pipeline" LIFECYCLE_STOP_SECONDS=10; source pipelines/local-servers/lifecycle.sh
#   start_server kafka; quiet_on_signal mvn ...; run_main java ...

session="$(mktemp)" # the servers started here, for servers.sh stop --session
main_pid=""         # the main JVM's pid while it runs
main_launching=""

stop_all() {
  trap '' INT TERM # a second Ctrl-C must not cut the clean-up short (children inherit this too)
  [[ -z "$in_quiet_step" ]] || exec 2>&3 3>&- # stderr back, when signalled mid-step
  # Signalled between the JVM's launch and the line that keeps its pid: bash has it in $!.
  [[ -n "$main_pid" || -z "$main_launching" ]] || main_pid="${!:-}"
  if [[ -n "$main_pid" ]] && kill -0 "$main_pid" 2>/dev/null; then
    kill -TERM "$main_pid" 2>/dev/null || true
    for _ in $(seq 1 $((LIFECYCLE_STOP_SECONDS * 2))); do kill -0 "$main_pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$main_pid" 2>/dev/null; then
      echo "[$LIFECYCLE_NAME] $LIFECYCLE_MAIN did not stop within $LIFECYCLE_STOP_SECONDS s, killing it" >&2
      kill -9 "$main_pid" 2>/dev/null || true
    fi
    wait "$main_pid" 2>/dev/null || true
  fi
  pipelines/local-servers/servers.sh stop --session "$session"
  rm -f "$session"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A step in the foreground (a server's start, the build): a TERM to the group reaches it too, and
# bash would report its end with a bare "Terminated" line on its own stderr, here /dev/null. The
# step's output still shows (fd 3), and so does stop_all's when the signal comes mid-step.
in_quiet_step=""
quiet_on_signal() {
  local status=0
  in_quiet_step=1
  { "$@" 2>&3; } 3>&2 2>/dev/null || status=$?
  in_quiet_step=""
  return "$status"
}

start_server() { # name [servers.sh options]
  quiet_on_signal pipelines/local-servers/servers.sh start "$@" --session "$session"
}

# Runs the main JVM in the background and waits for it, so that a signal runs the traps at once
# instead of after the JVM has exited; exits with its status.
run_main() {
  main_launching=1
  "$@" &
  main_pid=$!
  local status=0
  wait "$main_pid" || status=$?
  main_pid="" main_launching=""
  exit "$status"
}
