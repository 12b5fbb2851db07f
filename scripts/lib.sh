# shellcheck shell=bash
# Shared by the launchers in scripts/: builds what is stale, then starts a main with plain `java`.
# Sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# onnxruntime's telemetry code has crashed JVMs with long command lines (1.29.0); keep it off.
export ORT_DISABLE_TELEMETRY=1
# DJL unpacks its tokenizer natives here instead of the home directory.
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$ROOT/.cache/djl}"
# ... and takes them (tokenizers, PyTorch for the autoencoder) only from the jars on the classpath:
# a missing one is an error, never a download at run time.
export DJL_OFFLINE="${DJL_OFFLINE:-true}"
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
    # class-data-sharing archives hold the classes of the jars they were made from
    rm -rf "$ROOT/$module/target/cds"
    touch "$stamp"
  fi
}

# java_command MODULE CLASS ARGS...: sets JAVA_COMMAND to run a main on the module's runtime
# classpath (built first when stale): the module's jar and its dependencies' jars, all jars so the
# JVM can share their classes (class_data_sharing). The classpath goes through an argument file so
# the process command line stays short. jdk.incubator.vector lets HDBSCAN and the HNSW index use
# their SIMD kernels (core.simd; scalar code without it); the JVM prints one warning line about
# incubator modules.
java_command() {
  local module="$1" main_class="$2"
  shift 2
  ensure_built "$module"
  local jar
  jar=$(find "$ROOT/$module/target" -maxdepth 1 -name '*.jar' ! -name '*-tests.jar' ! -name '*-sources.jar' | head -n 1)
  [[ -n "$jar" ]] || jar="$ROOT/$module/target/classes"
  # written aside and renamed into place: two launchers of one module run at once (the detector
  # and DemoSummary in drain_backlog), and a java reading the file while the other rewrites it
  # found it empty ("Could not find or load main class")
  local argfile="$ROOT/$module/target/java-args.txt" partial
  partial=$(mktemp "$argfile.XXXXXX")
  printf -- '--add-modules jdk.incubator.vector\n-cp %s:%s\n' "$jar" "$(cat "$ROOT/$module/target/classpath.txt")" > "$partial"
  mv -f "$partial" "$argfile"
  # one archive per main class and runner: a Flink launch loads many classes a DirectRunner one never does
  local launch="${main_class##*.}" arg
  for arg in "$@"; do
    [[ "$arg" == --runner=* ]] && launch="$launch.${arg#--runner=}"
  done
  class_data_sharing "$module" "$launch" "$argfile"
  # JAVA_OPTS holds several JVM options: split on spaces on purpose.
  # shellcheck disable=SC2206
  JAVA_COMMAND=(java ${JAVA_OPTS:-} "${CDS_ARGS[@]}" -Djava.io.tmpdir="$ROOT/.cache/tmp"
    @"$argfile" "$main_class" "$@")
}

# class_data_sharing MODULE LAUNCH ARGFILE: sets CDS_ARGS, the JVM options that share class data
# between launches named LAUNCH (Java's CDS). A launch without an archive records the classes it loads
# (-XX:DumpLoadedClassList, one list per process); the next launch turns the newest list into an
# archive (java -Xshare:dump, 10-30 s, once per build; its output in the archive's .log) and
# from then on every launch maps it instead of parsing and verifying those classes again: the
# detector's first row came about 2 s sooner on the DirectRunner, 5 s on Flink (docs/BENCHMARKS.md).
# ensure_built drops the archives with the build they came from; a JVM that cannot map one runs
# without it.
CDS_ARGS=()
class_data_sharing() {
  local module="$1" launch="$2" argfile="$3" dir="$ROOT/$1/target/cds"
  local archive="$dir/$launch.jsa" list
  mkdir -p "$dir"
  if [[ ! -f "$archive" && ! -f "$archive.failed" ]]; then
    list=$(find "$dir" -maxdepth 1 -name "$launch.[0-9]*.classlist" -size +0 -printf '%T@ %p\n' | sort -rn | head -n 1 | cut -d' ' -f2-)
    if [[ -n "$list" ]]; then
      echo "sharing class data for $launch (once per build) ..." >&2
      # at the lowest CPU priority, as it may run beside a detector under measurement (DemoSummary's
      # launch does); written aside and renamed into place, as launches of one class may run at once
      if nice -n 19 java -Xshare:dump -XX:SharedClassListFile="$list" -XX:SharedArchiveFile="$archive.$BASHPID" @"$argfile" \
          > "$archive.log" 2>&1; then
        mv -f "$archive.$BASHPID" "$archive"
      else
        # not tried again until the next build: launches run without sharing meanwhile
        echo "could not share class data for $launch (see $archive.failed); launching without" >&2
        mv -f "$archive.log" "$archive.failed"
      fi
      rm -f "$archive.$BASHPID"
    fi
  fi
  if [[ -f "$archive" ]]; then
    CDS_ARGS=(-XX:SharedArchiveFile="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off)
  elif [[ -f "$archive.failed" ]]; then
    CDS_ARGS=()
  else
    CDS_ARGS=(-XX:DumpLoadedClassList="$dir/$launch.$BASHPID.classlist")
  fi
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

# direct_runner_args ARGS...: the DirectRunner's immutability and encodability checks are test aids
# (TestPipeline keeps them on): for a local run the launchers turn both off, unless the caller set
# either or chose a runner other than the DirectRunner (--runner=FlinkRunner, DataflowRunner, ...).
direct_runner_args() {
  local arg runner
  for arg in "$@"; do
    case "$arg" in
      --enforceImmutability*|--enforceEncodability*) return 0 ;;
      --runner=*)
        runner="${arg#--runner=}"
        runner="${runner##*.}"
        [[ "${runner,,}" == direct || "${runner,,}" == directrunner ]] || return 0 ;;
    esac
  done
  printf '%s\n' --enforceImmutability=false --enforceEncodability=false
}

# --- the pieces scripts/demo and scripts/bench-drain share: a local bus, the detector in the
# background on a chosen runner, publishing through the ingest pipeline. Callers set `set -e`.

# free_port: a TCP port on 127.0.0.1 that nothing listens on at the moment
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# check_choice NAME VALUE ALLOWED...: exits 2 unless VALUE is one of ALLOWED
check_choice() {
  local name="$1" value="$2" allowed
  shift 2
  for allowed in "$@"; do [[ "$value" == "$allowed" ]] && return 0; done
  echo "--$name must be one of: $*; was '$value'" >&2
  exit 2
}

# bus_start BUS: starts the local server of BUS (pubsub: the emulator; kafka: a KRaft broker) on
# a free port and exports its address (PUBSUB_EMULATOR_HOST or KAFKA_BOOTSTRAP_SERVERS); bus_stop
# stops every server bus_start started (call it from an EXIT trap).
BUSES_STARTED=()
bus_start() {
  local env
  case "$1" in
    pubsub) BUSES_STARTED+=(pubsub-emulator); env="$("$ROOT/scripts/pubsub-emulator" start "$(free_port)")" ;;
    kafka) BUSES_STARTED+=(kafka); env="$("$ROOT/scripts/kafka" start "$(free_port)")" ;;
    *) echo "unknown bus '$1'" >&2; return 2 ;;
  esac
  eval "$env"
}
bus_stop() {
  local server
  for server in ${BUSES_STARTED[@]+"${BUSES_STARTED[@]}"}; do
    "$ROOT/scripts/$server" stop || true
  done
  BUSES_STARTED=()
}

# bus_channel BUS TOPIC SUBSCRIPTION: on Pub/Sub creates TOPIC and SUBSCRIPTION on it in the
# emulator (messages published before a subscription exists are lost); on Kafka nothing: the ingest
# and the detector create a missing topic, and the detector's consumer group starts at the earliest
# offset.
bus_channel() {
  local bus="$1" topic="$2" subscription="$3" project="${PUBSUB_PROJECT_ID:-local-project}"
  [[ "$bus" == pubsub ]] || return 0
  curl -sf -X PUT "http://$PUBSUB_EMULATOR_HOST/v1/projects/$project/topics/$topic" >/dev/null
  curl -sf -X PUT -H 'Content-Type: application/json' -d "{\"topic\":\"projects/$project/topics/$topic\"}" \
    "http://$PUBSUB_EMULATOR_HOST/v1/projects/$project/subscriptions/$subscription" >/dev/null
}

# publish BUS TOPIC LOG INGEST_ARGS...: the ingest pipeline publishes to TOPIC on BUS (its output
# in LOG, shown when it fails); its last log line is printed
publish() {
  local bus="$1" topic="$2" log="$3"
  shift 3
  local sink=()
  [[ "$bus" == kafka ]] && sink=(--sink=kafka --bootstrapServers="$KAFKA_BOOTSTRAP_SERVERS")
  "$ROOT/scripts/ingest" --topic="$topic" "${sink[@]}" "$@" > "$log" 2>&1 || { cat "$log" >&2; return 1; }
  tail -n 1 "$log"
}

# detector_start RUNNER BUS TOPIC SUBSCRIPTION OUTPUT LOG DETECT_ARGS...: starts scripts/detect in
# the background, reading TOPIC (Kafka, consumer group SUBSCRIPTION) or SUBSCRIPTION (Pub/Sub),
# writing under OUTPUT, on the DirectRunner or Flink's embedded cluster (parallelism 1, a
# checkpoint every 2 s under OUTPUT/checkpoints); its output
# in LOG; sets DETECTOR_PID. detector_stop ends it (call it from an EXIT trap too).
DETECTOR_PID=""
detector_start() {
  local runner="$1" bus="$2" topic="$3" subscription="$4" output="$5" log="$6"
  shift 6
  local args=(--outputDirectory="$output")
  case "$bus" in
    pubsub) args+=(--subscription="$subscription") ;;
    kafka) args+=(--source=kafka --bootstrapServers="$KAFKA_BOOTSTRAP_SERVERS" --inputTopic="$topic"
      --consumerGroup="$subscription") ;;
  esac
  case "$runner" in
    direct) ;;
    flink) args+=(--runner=FlinkRunner --flinkMaster='[local]' --parallelism=1 --checkpointingInterval=2000
      --checkpointDirectory="$output/checkpoints") ;;
  esac
  "$ROOT/scripts/detect" "${args[@]}" "$@" > "$log" 2>&1 &
  DETECTOR_PID=$!
}
detector_stop() {
  [[ -n "$DETECTOR_PID" ]] || return 0
  if kill -0 "$DETECTOR_PID" 2>/dev/null; then
    kill "$DETECTOR_PID" 2>/dev/null || true
    local _
    for _ in $(seq 1 60); do
      kill -0 "$DETECTOR_PID" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL "$DETECTOR_PID" 2>/dev/null || true
  fi
  wait "$DETECTOR_PID" 2>/dev/null || true
  DETECTOR_PID=""
}

# await_row UID_PREFIX OUTPUT LOG SECONDS [COUNT]: waits until the detector wrote COUNT (default 1)
# rows whose uid starts with UID_PREFIX to finished files (OUTPUT/rows/*.json); fails (with the end
# of LOG) when the detector stops or time is up
await_row() {
  local prefix="$1" output="$2" log="$3" seconds="$4" count="${5:-1}" _
  for _ in $(seq 1 "$seconds"); do
    rows_written "$prefix" "$output" "$count" && return 0
    kill -0 "$DETECTOR_PID" 2>/dev/null || { echo "the detector stopped:" >&2; tail -n 30 "$log" >&2; return 1; }
    sleep 1
  done
  rows_written "$prefix" "$output" "$count" && return 0
  echo "not $count rows $prefix... from the detector within $seconds s" >&2
  tail -n 30 "$log" >&2
  return 1
}
rows_written() {
  local prefix="$1" output="$2" count="$3"
  [[ "$(cat "$output"/rows/*.json 2>/dev/null | grep -c "\"uid\":\"$prefix")" -ge "$count" ]]
}

# detector_start_model RUNNER BUS TOPIC SUBSCRIPTION OUTPUT LOG MODEL_ROOT MODEL_NAME [ARGS...]:
# detector_start serving MODEL_NAME under MODEL_ROOT with the settings of the demo and the benchmarks
# (row files every 2 s, digests under OUTPUT/outbox every 5 s, batches wait at most 250 ms)
detector_start_model() {
  local runner="$1" bus="$2" topic="$3" subscription="$4" output="$5" log="$6" root="$7" name="$8"
  shift 8
  detector_start "$runner" "$bus" "$topic" "$subscription" "$output" "$log" --model="$root" \
    --modelName="$name" --outboxDirectory="$output/outbox" --fileFlushSeconds=2 \
    --alertWindowSeconds=5 --maxBatchWaitMillis=250 "$@"
}

# prepare_data_and_model OUT MODEL_NAME PREPARE_ARGS...: PrepareDemoData writes OUT/data
# (train.jsonl, stream/*.jsonl) and scripts/train fits MODEL_NAME on train.jsonl and publishes it
# under OUT/models (log in OUT/train.log, shown when training fails)
prepare_data_and_model() {
  local out="$1" name="$2"
  shift 2
  java_main detect-pipeline dev.anomalystream.detect.demo.PrepareDemoData --outputDirectory="$out/data" "$@"
  "$ROOT/scripts/train" --input="$out/data/train.jsonl" --modelRoot="$out/models" --modelName="$name" \
    --targetFalseAlarmRate=0.02 > "$out/train.log" 2>&1 || { cat "$out/train.log" >&2; return 1; }
}

# drain_backlog RUNNER BUS NAME DIR INPUT EXPECTED MODEL_ROOT MODEL_NAME: on a fresh topic and
# subscription / consumer group NAME publishes INPUT (a glob of JSONL files, EXPECTED messages)
# unpaced, then starts the detector (output DIR/detect, log DIR/detect.log) and DemoSummary
# --reportDrain waits for every row (DIR/summary.log; its JSON is the last line). Sets DRAIN_STARTED
# (epoch seconds at the detector's launch) and DRAIN_FINISHED (every row visible); the detector
# keeps running: detector_stop ends it.
# shellcheck disable=SC2034  # DRAIN_STARTED and DRAIN_FINISHED are read by the callers
DRAIN_STARTED="" DRAIN_FINISHED=""
drain_backlog() {
  local runner="$1" bus="$2" name="$3" dir="$4" input="$5" expected="$6" root="$7" model="$8"
  mkdir -p "$dir"
  bus_channel "$bus" "$name" "$name"
  publish "$bus" "$name" "$dir/ingest.log" --input="$input" --rejectsOutput="$dir/ingest-rejects"
  # built before the two launchers below start together: each would otherwise build a stale module
  # at once, and the two Maven runs break each other's classes
  ensure_built detect-pipeline
  # shellcheck disable=SC2034
  DRAIN_STARTED=$(date +%s.%N)
  detector_start_model "$runner" "$bus" "$name" "$name" "$dir/detect" "$dir/detect.log" "$root" "$model"
  # niced: its JVM starts while the detector's does, and the figures it reports come from the rows'
  # own timestamps, so it need not be prompt, only out of the detector's way
  java_command detect-pipeline dev.anomalystream.detect.demo.DemoSummary --outputDirectory="$dir/detect" \
    --expected="$expected" --outbox="$dir/detect/outbox" --timeoutSeconds=900 --reportDrain \
    --detectorRunner="$runner" --bus="$bus"
  nice -n 10 "${JAVA_COMMAND[@]}" > "$dir/summary.log" 2>&1 || { cat "$dir/summary.log" >&2; return 1; }
  # shellcheck disable=SC2034
  DRAIN_FINISHED=$(date +%s.%N)
}

# warm_up BUS TOPIC OUTPUT LOG [COUNT]: COUNT messages (default 1; uids warmup-...) through TOPIC,
# then waits for their rows, so what follows meets a detector that is up (JVM, model, first bundle)
# and, with a few hundred, whose hot code the JIT has compiled
warm_up() {
  local bus="$1" topic="$2" output="$3" log="$4" count="${5:-1}"
  if [[ "$bus" == pubsub && "$count" -eq 1 ]]; then
    local warmup
    warmup=$(printf 'i feel fine today' | base64)
    curl -sf -X POST -H 'Content-Type: application/json' \
      -d "{\"messages\":[{\"data\":\"$warmup\",\"attributes\":{\"uid\":\"warmup-0\"}}]}" \
      "http://$PUBSUB_EMULATOR_HOST/v1/projects/${PUBSUB_PROJECT_ID:-local-project}/topics/$topic:publish" >/dev/null
  else
    # through the ingest pipeline: the file name makes the split, so the uids are warmup-000001-...
    mkdir -p "$output"
    seq 1 "$count" | sed 's/$/: i feel fine today/' > "$output/warmup.txt"
    publish "$bus" "$topic" "$output/warmup.log" --input="$output/warmup.txt" >/dev/null
  fi
  await_row warmup- "$output" "$log" 300 "$count"
}

# dashboard_start ROWS LOG DASHBOARD_ARGS...: starts scripts/dashboard in the background on a
# free port of 127.0.0.1, following the rows directory ROWS (it need not exist yet), its output in
# LOG; sets DASHBOARD_PID and DASHBOARD_URL once the page answers. dashboard_stop ends it (call it
# from an EXIT trap too).
DASHBOARD_PID="" DASHBOARD_URL=""
dashboard_start() {
  local rows="$1" log="$2" port _
  shift 2
  port="$(free_port)"
  "$ROOT/scripts/dashboard" --rows="$rows" --port="$port" "$@" > "$log" 2>&1 &
  DASHBOARD_PID=$!
  DASHBOARD_URL="http://127.0.0.1:$port/"
  for _ in $(seq 1 120); do
    curl -sf -o /dev/null "$DASHBOARD_URL" && return 0
    kill -0 "$DASHBOARD_PID" 2>/dev/null || { echo "the dashboard stopped:" >&2; tail -n 30 "$log" >&2; return 1; }
    sleep 0.5
  done
  echo "the dashboard did not answer at $DASHBOARD_URL within 60 s" >&2
  tail -n 30 "$log" >&2
  return 1
}
dashboard_stop() {
  [[ -n "$DASHBOARD_PID" ]] || return 0
  kill "$DASHBOARD_PID" 2>/dev/null || true
  wait "$DASHBOARD_PID" 2>/dev/null || true
  DASHBOARD_PID=""
}
