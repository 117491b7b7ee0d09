#!/usr/bin/env bash
# The gateway benchmark (issue 2): the same dedicated dockerd reached three ways over TCP loopback —
#   direct   dockerd's own TCP listener            127.0.0.1:23750
#   haproxy  a docker-socket-proxy style HAProxy   127.0.0.1:23751 -> the daemon's unix socket
#   gateway  the wip gateway                       127.0.0.1:23752 -> the daemon's unix socket
# measuring GET /containers/json with wrk (req/s, p50, p99 at 1 and 16 connections) and 1 GiB docker save/load
# (MB/s). Prints result rows for bench/run (see bench/README.md); progress goes to stderr.
#
# Everything runs in a private network namespace: a dockerd started with --bridge=none in the host namespace
# deletes the host's docker0 (moby's removeDefaultBridgeInterface), and in here the ports cannot collide.
set -euo pipefail
if [ -z "${BENCH_IN_NETNS:-}" ]; then
  exec env BENCH_IN_NETNS=1 unshare --net -- bash "$0" "$@"
fi
cd "$(dirname "$0")/.."

: "${BENCH_WORK:?run me through bench/run}" "${BENCH_LOGS:?run me through bench/run}"
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
WARMUP_SECONDS=${BENCH_WARMUP_SECONDS:-3}
ROUNDS=${BENCH_ROUNDS:-2}
SUBJECTS=${BENCH_SUBJECTS:-direct haproxy gateway}
STREAMS=${BENCH_STREAMS:-1}

STATE=/run/wip-bench
SOCKET=$STATE/docker.sock
DATA_ROOT=/var/lib/wip-bench
BIG_IMAGE=wip-bench/1gib:v1
BASE_IMAGE=wip-test/busybox:latest
declare -A PORT=([direct]=23750 [haproxy]=23751 [gateway]=23752)
declare -A PID=()     # subject -> the process whose CPU time is counted (direct: dockerd itself)
GATEWAY_ADMIN_PORT=23753
LIST_PATH=/containers/json?all=1     # docker ps -a: lists the three containers made below, ~1.8 KB of JSON
WARMUP_REQUESTS=${BENCH_WARMUP_REQUESTS:-20000}
STREAM_TIMEOUT=${BENCH_STREAM_TIMEOUT:-60}
RAW=$BENCH_WORK/gateway.raw
: > "$RAW"

say() { printf 'bench gateway: %s\n' "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }
has_subject() { [[ " $SUBJECTS " == *" $1 "* ]]; }
bench_docker() { docker -H "unix://$SOCKET" "$@"; }

pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for_ping() { # name url pid log
  for _ in $(seq 1 300); do
    curl -fsS -o /dev/null --max-time 1 "$2/_ping" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || die "$1 exited while starting; its log: $4"$'\n'"$(tail -n 15 "$4")"
    sleep 0.1
  done
  die "$1 did not answer $2/_ping within 30 s; its log: $4"
}

start_daemon() {
  mkdir -p "$STATE" "$DATA_ROOT"
  if [ -s "$STATE/docker.pid" ] && kill -0 "$(cat "$STATE/docker.pid")" 2>/dev/null; then
    die "a benchmark dockerd is already running (pid $(cat "$STATE/docker.pid")): another bench/run, or a crashed one — stop that pid"
  fi
  echo '{}' > "$BENCH_WORK/daemon.json"
  ip link set lo up
  dockerd --config-file "$BENCH_WORK/daemon.json" --data-root "$DATA_ROOT" --exec-root "$STATE/exec" \
    --pidfile "$STATE/docker.pid" -H "unix://$SOCKET" -H "tcp://127.0.0.1:${PORT[direct]}" \
    --bridge=none --iptables=false --ip6tables=false --ip-masq=false --ip-forward=false \
    --containerd-namespace wip-bench --containerd-plugins-namespace wip-bench-plugins \
    >"$BENCH_LOGS/dockerd.log" 2>&1 &
  pids+=($!)
  PID[direct]=$!
  wait_for_ping dockerd "http://127.0.0.1:${PORT[direct]}" $! "$BENCH_LOGS/dockerd.log"
}

# Images live in the benchmark daemon's data root, so they are built once and reused by later runs.
prepare_images() {
  if ! bench_docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    say "importing $BASE_IMAGE into the benchmark daemon"
    WIP_TEST_DOCKER_HOST="unix://$SOCKET" .ci/images.sh >&2
  fi
  if [ "$STREAMS" = 1 ] && ! bench_docker image inspect "$BIG_IMAGE" >/dev/null 2>&1; then
    say "building $BIG_IMAGE ($BASE_IMAGE + 1 GiB of random data; once, about 30 s)"
    printf 'FROM %s\nRUN head -c 1073741824 /dev/urandom > /random.bin\n' "$BASE_IMAGE" |
      DOCKER_BUILDKIT=0 bench_docker build -q --network none -t "$BIG_IMAGE" - >/dev/null
  fi
  # a few containers, so that /containers/json answers a realistic list instead of []
  for n in 1 2 3; do
    bench_docker container inspect "wip-bench-list-$n" >/dev/null 2>&1 ||
      bench_docker create --name "wip-bench-list-$n" --network none --label cx.wip.bench=list \
        "$BASE_IMAGE" sleep 1 >/dev/null
  done
}

start_haproxy() {
  BENCH_DOCKER_SOCKET=$SOCKET BENCH_HAPROXY_BIND="127.0.0.1:${PORT[haproxy]}" \
    haproxy -db -f bench/haproxy.cfg >"$BENCH_LOGS/haproxy.log" 2>&1 &
  pids+=($!)
  PID[haproxy]=$!
  wait_for_ping haproxy "http://127.0.0.1:${PORT[haproxy]}" $! "$BENCH_LOGS/haproxy.log"
}

start_gateway() {
  local jar=${BENCH_GATEWAY_JAR:-gateway/target/wip-gateway.jar}
  [ -f "$jar" ] || die "$jar is missing (bench/run builds it)"
  # shellcheck disable=SC2086 # BENCH_GATEWAY_JAVA_OPTS is a list of options
  java ${BENCH_GATEWAY_JAVA_OPTS:-} \
    -Dgateway.port="${PORT[gateway]}" -Dgateway.host=127.0.0.1 -Dgateway.daemon="unix://$SOCKET" \
    -Dgateway.admin-port="$GATEWAY_ADMIN_PORT" \
    -jar "$jar" >"$BENCH_LOGS/gateway.log" 2>&1 &
  pids+=($!)
  PID[gateway]=$!
  wait_for_ping gateway "http://127.0.0.1:${PORT[gateway]}" $! "$BENCH_LOGS/gateway.log"
}

# CPU time (user + system, clock ticks) a process has used so far, all its threads together
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# wrk_run subject connections seconds
#   -> "wrk subject conns rps p50_us p99_us errors proxy_cpu_us_per_request daemon_cpu_us_per_request"
# CPU per request does not depend on how busy the rest of the machine is, unlike req/s and latency.
wrk_run() {
  local subject=$1 conns=$2 seconds=$3 threads=1 out proxy_before daemon_before proxy_after daemon_after
  [ "$conns" -gt 1 ] && threads=2
  proxy_before=$(cpu_ticks "${PID[$subject]}") daemon_before=$(cpu_ticks "${PID[direct]}")
  out=$(wrk -t"$threads" -c"$conns" -d"${seconds}s" --timeout 5s -s bench/wrk-report.lua \
    "http://127.0.0.1:${PORT[$subject]}$LIST_PATH") || die "wrk against $subject failed: $out"
  proxy_after=$(cpu_ticks "${PID[$subject]}") daemon_after=$(cpu_ticks "${PID[direct]}")
  printf '%s\n' "$out" >>"$BENCH_LOGS/wrk.log"
  sed -n "s/^wrk-result requests=\([0-9]*\) seconds=[0-9.]* rps=\([0-9.]*\) p50_us=\([0-9]*\) p99_us=\([0-9]*\) errors=\([0-9]*\)$/\1 \2 \3 \4 \5/p" \
    <<<"$out" | awk -v s="$subject" -v c="$conns" -v tick_us=$((1000000 / $(getconf CLK_TCK))) \
      -v proxy=$((proxy_after - proxy_before)) -v daemon=$((daemon_after - daemon_before)) '
      { printf "wrk %s %s %s %s %s %s %.1f %.1f\n", s, c, $2, $3, $4, $5,
          (s == "direct" ? 0 : proxy * tick_us / $1), daemon * tick_us / $1 }'
}

# A JVM needs requests, not seconds, to compile its hot paths: warm each subject up with at least
# $WARMUP_REQUESTS requests (and $WARMUP_SECONDS), at most 30 s.
warm_up() {
  local subject=$1 done_requests=0 started=$SECONDS line
  while :; do
    line=$(wrk_run "$subject" 16 "$WARMUP_SECONDS")
    done_requests=$((done_requests + $(awk '{ printf "%d", $4 * '"$WARMUP_SECONDS"' }' <<<"$line")))
    [ "$done_requests" -ge "$WARMUP_REQUESTS" ] || [ $((SECONDS - started)) -ge 30 ] && break
  done
  say "warm-up of $subject: ~$done_requests requests in $((SECONDS - started)) s"
}

measure_requests() {
  local round subject conns order
  for subject in $SUBJECTS; do warm_up "$subject"; done
  for round in $(seq 1 "$ROUNDS"); do
    order=$SUBJECTS
    [ $((round % 2)) = 0 ] && order=$(tr ' ' '\n' <<<"$SUBJECTS" | tac | tr '\n' ' ')
    for conns in 1 16; do
      for subject in $order; do
        say "round $round/$ROUNDS: GET /containers/json, $conns connection(s), $subject, ${SECONDS_PER_RUN}s"
        wrk_run "$subject" "$conns" 1 >/dev/null
        wrk_run "$subject" "$conns" "$SECONDS_PER_RUN" >>"$RAW"
      done
    done
  done
}

now_ns() { date +%s%N; }

# stream_run kind subject bytes -> appends "stream kind subject mb_per_s" (or "stalled kind subject") to $RAW.
# A transfer that does not finish within $STREAM_TIMEOUT s is stopped and reported as stalled.
stream_run() {
  local kind=$1 subject=$2 bytes=$3 start end status=0
  local client=(timeout "$STREAM_TIMEOUT" docker -H "tcp://127.0.0.1:${PORT[$subject]}")
  if [ "$kind" = load ]; then
    bench_docker rmi -f "$BIG_IMAGE" >/dev/null 2>&1 || true
    sync
  fi
  start=$(now_ns)
  if [ "$kind" = save ]; then
    "${client[@]}" save "$BIG_IMAGE" >/dev/null || status=$?
  else
    "${client[@]}" load -q -i "$BENCH_WORK/big.tar" >/dev/null || status=$?
  fi
  end=$(now_ns)
  if [ "$status" = 124 ]; then
    say "docker $kind through $subject stalled: stopped after ${STREAM_TIMEOUT}s"
    echo "stalled $kind $subject" >>"$RAW"
    return
  fi
  [ "$status" = 0 ] || die "docker $kind through $subject failed (exit $status)"
  awk -v k="$kind" -v s="$subject" -v b="$bytes" -v ns=$((end - start)) \
    'BEGIN { printf "stream %s %s %.1f\n", k, s, b / 1e6 / (ns / 1e9) }' >>"$RAW"
}

measure_streams() {
  local round subject kind order bytes
  say "saving $BIG_IMAGE once as the load input"
  bench_docker save -o "$BENCH_WORK/big.tar" "$BIG_IMAGE"
  bytes=$(stat -c %s "$BENCH_WORK/big.tar")
  for round in $(seq 1 "$ROUNDS"); do
    order=$SUBJECTS
    [ $((round % 2)) = 0 ] && order=$(tr ' ' '\n' <<<"$SUBJECTS" | tac | tr '\n' ' ')
    for kind in save load; do
      for subject in $order; do
        say "round $round/$ROUNDS: docker $kind of $((bytes / 1000000)) MB through $subject"
        stream_run "$kind" "$subject" "$bytes"
      done
    done
  done
  bench_docker image inspect "$BIG_IMAGE" >/dev/null 2>&1 || bench_docker load -q -i "$BENCH_WORK/big.tar" >/dev/null
  rm -f "$BENCH_WORK/big.tar"
}

# Best of the rounds per cell (interference from other work on the machine only ever slows a run down),
# then the ratios against the issue's targets. Rows: bench|measurement|subject|value|unit|target|verdict
report() {
  awk -v subjects="$SUBJECTS" -v timeout="$STREAM_TIMEOUT" '
    function better(key, v, higher) {
      if (!(key in best) || (higher && v > best[key]) || (!higher && v < best[key])) best[key] = v
    }
    $1 == "wrk" {
      better("rps " $2 " " $3, $4, 1); better("p50 " $2 " " $3, $5 / 1000, 0)
      better("p99 " $2 " " $3, $6 / 1000, 0); errors[$2 " " $3] += $7
      better("pcpu " $2 " " $3, $8, 0); better("dcpu " $2 " " $3, $9, 0)
    }
    $1 == "stream" { better("mbs " $2 " " $3, $4, 1) }
    $1 == "stalled" { stalled[$2 " " $3]++ }
    function row(m, s, v, u, t, verdict) { printf "bench|%s|%s|%s|%s|%s|%s\n", m, s, v, u, t, verdict }
    function ratio(m, s, v, u, t, ok) { row(m, s, v, u, t, ok ? "ok" : "MISSED") }
    END {
      n = split(subjects, subj, " ")
      for (c = 1; c <= 2; c++) {
        conns = c == 1 ? 1 : 16
        for (i = 1; i <= n; i++) {
          k = subj[i] " " conns
          if (!(("rps " k) in best)) continue
          e = errors[k] ? errors[k] " errors" : ""
          row("GET /containers/json c=" conns " throughput", subj[i], sprintf("%.0f", best["rps " k]), "req/s", "", e)
          row("GET /containers/json c=" conns " p50", subj[i], sprintf("%.3f", best["p50 " k]), "ms", "", e)
          row("GET /containers/json c=" conns " p99", subj[i], sprintf("%.3f", best["p99 " k]), "ms", "", e)
          if (subj[i] != "direct")
            row("GET /containers/json c=" conns " proxy CPU per request", subj[i], sprintf("%.0f", best["pcpu " k]), "us", "", "")
          row("GET /containers/json c=" conns " dockerd CPU per request", subj[i], sprintf("%.0f", best["dcpu " k]), "us", "", "")
        }
      }
      split("save load", kinds, " ")
      for (j = 1; j <= 2; j++) for (i = 1; i <= n; i++) {
        k = kinds[j] " " subj[i]
        s = stalled[k] ? "stalled " stalled[k] "x (stopped after " timeout " s)" : ""
        if (("mbs " k) in best) row("docker " kinds[j] " 1 GiB", subj[i], sprintf("%.1f", best["mbs " k]), "MB/s", "", s)
        else if (s != "") row("docker " kinds[j] " 1 GiB", subj[i], "-", "MB/s", "", s)
      }
      if (("rps gateway 16") in best && ("rps haproxy 16") in best) {
        r = best["rps gateway 16"] / best["rps haproxy 16"]
        ratio("req/s c=16, gateway / haproxy", "ratio", sprintf("%.3f", r), "x", ">= 1.000", r >= 1.0)
      }
      if (("p50 gateway 1") in best && ("p50 direct 1") in best) {
        d = best["p50 gateway 1"] - best["p50 direct 1"]
        ratio("p50 c=1, gateway - direct", "difference", sprintf("%+.3f", d), "ms", "<= +0.300", d <= 0.3)
      }
      for (j = 1; j <= 2; j++) {
        if (!(("mbs " kinds[j] " direct") in best)) continue
        if (!(("mbs " kinds[j] " gateway") in best)) {
          if (stalled[kinds[j] " gateway"]) ratio("MB/s " kinds[j] ", gateway / direct", "ratio", "-", "x", ">= 0.950", 0)
          continue
        }
        r = best["mbs " kinds[j] " gateway"] / best["mbs " kinds[j] " direct"]
        ratio("MB/s " kinds[j] ", gateway / direct", "ratio", sprintf("%.3f", r), "x", ">= 0.950", r >= 0.95)
      }
    }' "$RAW"
}

start_daemon
say "dockerd $(bench_docker version -f '{{.Server.Version}}'), docker CLI $(docker version -f '{{.Client.Version}}' 2>/dev/null | head -1)," \
  "$(haproxy -v | sed -n 's/^\(HAProxy version [^ ]*\).*/\1/p'), $(wrk -v 2>&1 | sed -n 's/^\(wrk [^ ]*\).*/\1/p')," \
  "java $(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')"
prepare_images
has_subject haproxy && start_haproxy
has_subject gateway && start_gateway
measure_requests
[ "$STREAMS" = 1 ] && measure_streams
cp "$RAW" "$BENCH_LOGS/gateway.raw"
report
