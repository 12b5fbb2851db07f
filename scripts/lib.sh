# shellcheck shell=bash
# Shared by the launchers in scripts/: builds what is stale, then starts a main with plain `java`.
# Sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# onnxruntime's telemetry code has crashed JVMs with long command lines (1.29.0); keep it off.
export ORT_DISABLE_TELEMETRY=1
# DJL unpacks its tokenizer natives here instead of the home directory.
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$ROOT/.cache/djl}"
mkdir -p "$ROOT/.cache/tmp"

# quiet_maven ARGS...: Maven in batch mode from the repository root, only errors shown, on stderr.
# Debian's Maven 3.8 prints colour resets even in batch mode: they are stripped.
quiet_maven() {
  (cd "$ROOT" && mvn -B -q -Dstyle.color=never "$@") 2>&1 | sed $'s/\e\\[[0-9;]*m//g' >&2
}

# ensure_built MODULE: packages MODULE (and what it needs) when any source or pom is newer than
# its last launcher build. The stamp is our own file: Maven leaves classpath.txt untouched when its
# content is unchanged, so that file's time says nothing about the last build.
ensure_built() {
  local module="$1" stamp="$ROOT/$1/target/.launcher-built"
  if [[ ! -f "$stamp" || ! -f "$ROOT/$module/target/classpath.txt" ]] || [[ -n "$(find "$ROOT" \
      -path "$ROOT/.git" -prune -o -path "$ROOT/.cache" -prune -o -path "$ROOT/out" -prune -o -path '*/target' -prune -o \
      \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' -o -path '*/config/bigquery/*' \) \
      -newer "$stamp" -print -quit)" ]]; then
    echo "building $module ..." >&2
    quiet_maven -pl "$module" -am package -DskipTests
    touch "$stamp"
  fi
}

# java_command MODULE CLASS ARGS...: sets JAVA_COMMAND to run a main on the module's runtime
# classpath (built first when stale). The classpath goes through an argument file so the process
# command line stays short. jdk.incubator.vector lets HDBSCAN use its SIMD distance kernel (it
# falls back to scalar code without it); the JVM prints one warning line about incubator modules.
java_command() {
  local module="$1" main_class="$2"
  shift 2
  ensure_built "$module"
  local argfile="$ROOT/$module/target/java-args.txt"
  printf -- '-cp %s/target/classes:%s\n' "$ROOT/$module" "$(cat "$ROOT/$module/target/classpath.txt")" > "$argfile"
  # JAVA_OPTS holds several JVM options: split on spaces on purpose.
  # shellcheck disable=SC2206
  JAVA_COMMAND=(java ${JAVA_OPTS:-} --add-modules jdk.incubator.vector -Djava.io.tmpdir="$ROOT/.cache/tmp"
    @"$argfile" "$main_class" "$@")
}

# java_main MODULE CLASS ARGS...: runs the main and returns.
java_main() {
  java_command "$@"
  "${JAVA_COMMAND[@]}"
}

# run_main MODULE CLASS ARGS...: becomes the main (exec), so a launcher's PID is the JVM's.
run_main() {
  java_command "$@"
  exec "${JAVA_COMMAND[@]}"
}

# emulator_args: when PUBSUB_EMULATOR_HOST is set (the Google convention, host:port), the Beam
# options that point a pipeline at that emulator, unless the caller already chose a root URL.
emulator_args() {
  local arg
  for arg in "$@"; do
    [[ "$arg" == --pubsubRootUrl=* ]] && return 0
  done
  if [[ -n "${PUBSUB_EMULATOR_HOST:-}" ]]; then
    printf '%s\n' "--pubsubRootUrl=http://$PUBSUB_EMULATOR_HOST" \
      "--credentialFactoryClass=org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory"
    local has_project=false
    for arg in "$@"; do [[ "$arg" == --project=* ]] && has_project=true; done
    $has_project || printf '%s\n' "--project=${PUBSUB_PROJECT_ID:-local-project}"
  fi
}
