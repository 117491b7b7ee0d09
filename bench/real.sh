#!/usr/bin/env bash
# The real-path benchmark (issue 16): the suite as users run it — `bin/wip up` (auth, policy, vm with the local
# backend, ingress, gateway), a free-plan tenant made with bin/wipctl, its own engine booted by vm-service — and
# that engine reached three ways:
#   direct   the engine's unix socket (found in vm-service's state dir: <state-dir>/<engine>/docker.sock, the engine
#            being the tenant's id or, when the warm pool served it, the spare named in <state-dir>/.engines/<tenant>)
#   haproxy  bench/haproxy.cfg (docker-socket-proxy style) on that same socket   127.0.0.1:32377
#   gateway  the wip gateway with the tenant's bearer token                      127.0.0.1:32375
# measuring GET /containers/json (wrk: req/s, p50, p99 at 1 and 16 connections, proxy CPU per request; and one
# latency client for all three at 1 connection, since wrk cannot speak to a unix socket), docker save/load of
# 1 GiB, and the gateway's memory around 1,000 idle attach sessions. Prints result rows for bench/run.
#
# Runs apart from anything else on the machine: its own state dir, ports (32xxx/39xxx), Redis (36379), bridge
# (wipbench0, 10.86.0.0/16), engine state /run/wip-bench-real and data /var/lib/wip-bench-real; `bin/wip down`
# stops all of it on exit (also on Ctrl-C). The 1 GiB image is built once and kept as
# /var/lib/wip-bench-real/1gib.tar (remove that directory to start over).
set -euo pipefail
cd "$(dirname "$0")/.."

: "${BENCH_WORK:?run me through bench/run}" "${BENCH_LOGS:?run me through bench/run}"
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
WARMUP_SECONDS=${BENCH_WARMUP_SECONDS:-3}
WARMUP_REQUESTS=${BENCH_WARMUP_REQUESTS:-20000}
ROUNDS=${BENCH_ROUNDS:-2}
STREAMS=${BENCH_STREAMS:-1}
STREAM_TIMEOUT=${BENCH_STREAM_TIMEOUT:-60}
SESSIONS=${BENCH_SESSIONS:-1000}             # idle attach sessions held at once (0 = skip)
SETTLE=${BENCH_SETTLE_SECONDS:-20}           # how long after closing them the gateway's RSS is read again
KEEP=/var/lib/wip-bench-real
BIG_IMAGE=wip-bench/1gib:v1
BASE_IMAGE=wip-test/busybox:latest
LIST_PATH=/containers/json?all=1
RAW=$BENCH_WORK/real.raw
: > "$RAW"

export WIP_STATE=$BENCH_WORK/wip WIP_PORT=32375 WIP_TLS_PORT=32376 WIP_HTTPS_PORT=38443 WIP_REDIS_PORT=36379 \
  WIP_CADDY_ADMIN_PORT=32019 WIP_AUTH_PORT=39101 WIP_AUTH_ADMIN_PORT=39111 WIP_VM_PORT=39102 WIP_POLICY_PORT=39103 \
  WIP_INGRESS_PORT=39104 WIP_INGRESS_ASK_PORT=39114 WIP_GATEWAY_ADMIN_PORT=39100 \
  WIP_VM_STATE_DIR=/run/wip-bench-real WIP_VM_DATA_DIR=$KEEP/tenants WIP_VM_BRIDGE=wipbench0 \
  WIP_VM_SUBNET=10.86.0.0/16
# another gateway build or JVM options (bin/wip's WIP_GATEWAY_JAR, WIP_GATEWAY_JAVA_OPTS): e.g. main's, for a before/after
[ -z "${BENCH_GATEWAY_JAR:-}" ] || export WIP_GATEWAY_JAR=$BENCH_GATEWAY_JAR
[ -z "${BENCH_GATEWAY_JAVA_OPTS+set}" ] || export WIP_GATEWAY_JAVA_OPTS=$BENCH_GATEWAY_JAVA_OPTS
# a free-plan tenant may hold 32 hijacked sessions; the memory measurement needs $SESSIONS of them
export GATEWAY_LIMITS_HIJACKED=$((SESSIONS + 100))
declare -A ADDR=([direct]= [haproxy]=tcp:127.0.0.1:32377 [gateway]=tcp:127.0.0.1:$WIP_PORT)
declare -A URL=([haproxy]=http://127.0.0.1:32377 [gateway]=http://127.0.0.1:$WIP_PORT)
declare -A PID=()
TOKEN= SOCKET=

say() { printf 'bench real: %s\n' "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }
engine() { docker -H "unix://$SOCKET" "$@"; }

pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -d "${WIP_STATE:-/nonexistent}/logs" ] && cp -r "$WIP_STATE/logs" "$BENCH_LOGS/real-wip-logs" 2>/dev/null
  bin/wip down >&2 2>/dev/null || true
  # the bench tenant's engine is stopped by `down` (its data image unmounted); its state and data go with it
  rm -rf "$KEEP"/tenants/tn-* "$WIP_VM_STATE_DIR" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_suite() {
  [ ! -e "$WIP_VM_STATE_DIR" ] || die "$WIP_VM_STATE_DIR exists: another bench/run, or a crashed one (bin/wip down with bench/real.sh's environment)"
  mkdir -p "$KEEP"
  say "bin/wip up (state $WIP_STATE)"
  bin/wip up >"$BENCH_LOGS/real-wip-up.log" 2>&1 || die "bin/wip up failed: $(tail -n 5 "$BENCH_LOGS/real-wip-up.log")"
  PID[gateway]=$(cat "$WIP_STATE/run/gateway.pid")
  local made
  made=$(WIP_AUTH_ADMIN=127.0.0.1:$WIP_AUTH_ADMIN_PORT bin/wipctl tenant create bench --plan free --gateway "127.0.0.1:$WIP_PORT" \
    --gateway-tls "localhost:$WIP_TLS_PORT" --out "$BENCH_WORK/tenant" 2>&1) || die "wipctl tenant create: $made"
  TOKEN=$(sed -n 's/.*"Bearer \(wip-[^"]*\)".*/\1/p' <<<"$made" | head -1)
  local tenant
  tenant=$(sed -n 's/.* id \(tn-[a-z0-9]*\),.*/\1/p' <<<"$made" | head -1)
  [ -n "$TOKEN" ] && [ -n "$tenant" ] || die "no token or tenant id in wipctl's answer: $made"
  # docker CLI through the gateway: the bearer token as the README tells users to send it
  mkdir -p "$BENCH_WORK/docker-config"
  printf '{"HttpHeaders":{"Authorization":"Bearer %s"}}\n' "$TOKEN" >"$BENCH_WORK/docker-config/config.json"
  # the first request boots the tenant's engine (vm-service EnsureEndpoint)
  say "tenant $tenant: booting its engine through the gateway"
  for _ in $(seq 1 60); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "${URL[gateway]}/_ping")" = 200 ] && break
    sleep 1
  done
  # a tenant served from the warm pool runs on a spare engine: <state-dir>/.engines/<tenant> names it
  local engine=$tenant
  [ -f "$WIP_VM_STATE_DIR/.engines/$tenant" ] && engine=$(tr -d '[:space:]' <"$WIP_VM_STATE_DIR/.engines/$tenant")
  SOCKET=$WIP_VM_STATE_DIR/$engine/docker.sock
  [ -S "$SOCKET" ] || die "the engine's socket $SOCKET is not there"
  ADDR[direct]=unix:$SOCKET
  PID[direct]=$(cat "$WIP_VM_STATE_DIR/$engine/docker.pid")
  PID[platform]="$(cat "$WIP_STATE/run/auth.pid") $(cat "$WIP_STATE/run/vm.pid") $(cat "$WIP_STATE/run/policy.pid")"
}

prepare_engine() {
  if [ "$STREAMS" = 1 ]; then
    if [ ! -s "$KEEP/1gib.tar" ]; then
      say "building $BIG_IMAGE in the tenant's engine (once, kept as $KEEP/1gib.tar)"
      printf 'FROM %s\nRUN head -c 1073741824 /dev/urandom > /random.bin\n' "$BASE_IMAGE" |
        DOCKER_BUILDKIT=0 engine build -q --network none -t "$BIG_IMAGE" - >/dev/null
      engine save -o "$KEEP/1gib.tar.part" "$BIG_IMAGE" && mv "$KEEP/1gib.tar.part" "$KEEP/1gib.tar"
    else
      engine load -q -i "$KEEP/1gib.tar" >/dev/null
    fi
  fi
  for n in 1 2 3; do
    engine create --name "wip-bench-list-$n" --network none --label cx.wip.bench=list "$BASE_IMAGE" sleep 1 >/dev/null
  done
  engine run -d -i --name wip-bench-attach --network none "$BASE_IMAGE" cat >/dev/null
}

start_haproxy() {
  BENCH_DOCKER_SOCKET=$SOCKET BENCH_HAPROXY_BIND=127.0.0.1:32377 \
    haproxy -db -f bench/haproxy.cfg >"$BENCH_LOGS/real-haproxy.log" 2>&1 &
  pids+=($!)
  PID[haproxy]=$!
  for _ in $(seq 1 100); do curl -fs -o /dev/null "${URL[haproxy]}/_ping" && return; sleep 0.1; done
  die "haproxy did not answer"
}

cpu_ticks() { local p t=0; for p in "$@"; do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat"))); done; echo "$t"; }
rss_mb() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# wrk_run subject connections seconds -> "wrk subject conns rps p50_us p99_us errors proxy_us daemon_us platform_us"
wrk_run() {
  local subject=$1 conns=$2 seconds=$3 threads=1 out before after
  [ "$conns" -gt 1 ] && threads=2
  before="$(cpu_ticks "${PID[$subject]}") $(cpu_ticks "${PID[direct]}") $(cpu_ticks ${PID[platform]})"
  out=$(wrk -t"$threads" -c"$conns" -d"${seconds}s" --timeout 5s -s bench/wrk-report.lua \
    -H "Authorization: Bearer $TOKEN" "${URL[$subject]}$LIST_PATH") || die "wrk against $subject failed: $out"
  after="$(cpu_ticks "${PID[$subject]}") $(cpu_ticks "${PID[direct]}") $(cpu_ticks ${PID[platform]})"
  printf '%s\n' "$out" >>"$BENCH_LOGS/real-wrk.log"
  sed -n "s/^wrk-result requests=\([0-9]*\) seconds=[0-9.]* rps=\([0-9.]*\) p50_us=\([0-9]*\) p99_us=\([0-9]*\) errors=\([0-9]*\)$/\1 \2 \3 \4 \5/p" \
    <<<"$out" | awk -v s="$subject" -v c="$conns" -v tick=$((1000000 / $(getconf CLK_TCK))) -v b="$before" -v a="$after" '
      { split(b, x, " "); split(a, y, " ")
        printf "wrk %s %s %s %s %s %s %.1f %.1f %.1f\n", s, c, $2, $3, $4, $5,
          (y[1] - x[1]) * tick / $1, (y[2] - x[2]) * tick / $1, (y[3] - x[3]) * tick / $1 }'
}

warm_up() {
  local subject=$1 done_requests=0 started=$SECONDS line
  while :; do
    line=$(wrk_run "$subject" 16 "$WARMUP_SECONDS")
    done_requests=$((done_requests + $(awk '{ printf "%d", $4 * '"$WARMUP_SECONDS"' }' <<<"$line")))
    [ "$done_requests" -ge "$WARMUP_REQUESTS" ] || [ $((SECONDS - started)) -ge 30 ] && break
  done
  say "warm-up of $subject: ~$done_requests requests in $((SECONDS - started)) s"
}

# the same client for all three (direct is a unix socket): p50/p99 of sequential requests on one connection
latency_run() {
  local subject=$1 token=
  [ "$subject" = direct ] || token=$TOKEN
  python3 bench/real_client.py latency "${ADDR[$subject]}" "$LIST_PATH" "$SECONDS_PER_RUN" $token |
    sed -n "s/^latency requests=[0-9]* p50_us=\([0-9]*\) p99_us=\([0-9]*\) errors=\([0-9]*\)$/latency $subject \1 \2 \3/p" >>"$RAW"
}

measure_requests() {
  local round subject conns order
  for subject in haproxy gateway; do warm_up "$subject"; done
  for round in $(seq 1 "$ROUNDS"); do
    order="haproxy gateway"
    [ $((round % 2)) = 0 ] && order="gateway haproxy"
    for conns in 1 16; do
      for subject in $order; do
        say "round $round/$ROUNDS: GET /containers/json, $conns connection(s), $subject, ${SECONDS_PER_RUN}s"
        wrk_run "$subject" "$conns" 1 >/dev/null
        wrk_run "$subject" "$conns" "$SECONDS_PER_RUN" >>"$RAW"
      done
    done
    for subject in direct $order; do
      say "round $round/$ROUNDS: one-connection latency client, $subject, ${SECONDS_PER_RUN}s"
      latency_run "$subject"
    done
  done
}

now_ns() { date +%s%N; }

stream_run() {
  local kind=$1 subject=$2 bytes=$3 start end status=0 client
  case $subject in
    direct) client=(timeout "$STREAM_TIMEOUT" docker -H "unix://$SOCKET") ;;
    haproxy) client=(timeout "$STREAM_TIMEOUT" docker -H tcp://127.0.0.1:32377) ;;
    gateway) client=(timeout "$STREAM_TIMEOUT" env DOCKER_CONFIG="$BENCH_WORK/docker-config" docker -H "tcp://127.0.0.1:$WIP_PORT") ;;
  esac
  if [ "$kind" = load ]; then
    engine rmi -f "$BIG_IMAGE" >/dev/null 2>&1 || true
    sync
  fi
  local ticks=0
  [ "$subject" = direct ] || ticks=$(cpu_ticks "${PID[$subject]}")
  start=$(now_ns)
  if [ "$kind" = save ]; then
    "${client[@]}" save "$BIG_IMAGE" >/dev/null || status=$?
  else
    "${client[@]}" load -q -i "$KEEP/1gib.tar" >/dev/null || status=$?
  fi
  end=$(now_ns)
  if [ "$status" = 124 ]; then
    say "docker $kind through $subject stalled: stopped after ${STREAM_TIMEOUT}s"
    echo "stalled $kind $subject" >>"$RAW"
    return
  fi
  [ "$status" = 0 ] || die "docker $kind through $subject failed (exit $status)"
  # the proxy's CPU time for the whole transfer: what it costs, however busy the machine was
  [ "$subject" = direct ] ||
    echo "streamcpu $kind $subject $(( ($(cpu_ticks "${PID[$subject]}") - ticks) * 1000 / $(getconf CLK_TCK) ))" >>"$RAW"
  awk -v k="$kind" -v s="$subject" -v b="$bytes" -v ns=$((end - start)) \
    'BEGIN { printf "stream %s %s %.1f\n", k, s, b / 1e6 / (ns / 1e9) }' >>"$RAW"
}

measure_streams() {
  local round subject kind order bytes
  bytes=$(stat -c %s "$KEEP/1gib.tar")
  for round in $(seq 1 "$ROUNDS"); do
    order="direct haproxy gateway"
    [ $((round % 2)) = 0 ] && order="gateway haproxy direct"
    for kind in save load; do
      for subject in $order; do
        say "round $round/$ROUNDS: docker $kind of $((bytes / 1000000)) MB through $subject"
        stream_run "$kind" "$subject" "$bytes"
      done
    done
  done
  engine image inspect "$BIG_IMAGE" >/dev/null 2>&1 || engine load -q -i "$KEEP/1gib.tar" >/dev/null
}

# RSS of the gateway: before, while $SESSIONS idle attach sessions are held, right after they close, $SETTLE s later
measure_sessions() {
  local fifo=$BENCH_WORK/attach.fifo out=$BENCH_WORK/attach.out line pid gw=${PID[gateway]}
  mkfifo "$fifo"
  echo "rss gateway before $(rss_mb "$gw")" >>"$RAW"
  python3 bench/real_client.py attach "${ADDR[gateway]}" wip-bench-attach "$SESSIONS" "$TOKEN" <"$fifo" >"$out" &
  pid=$!
  pids+=($pid)
  exec 8>"$fifo"
  for _ in $(seq 1 600); do grep -q '^held' "$out" && break; sleep 0.5; done
  line=$(grep '^held' "$out") || die "the attach client did not report: $(cat "$out")"
  say "attach sessions: $line"
  sleep 2
  echo "rss gateway held $(rss_mb "$gw") $(awk '{ print $2 }' <<<"$line")" >>"$RAW"
  echo >&8
  exec 8>&-
  wait "$pid" || true
  sleep 2
  echo "rss gateway closed $(rss_mb "$gw")" >>"$RAW"
  sleep "$SETTLE"
  echo "rss gateway settled $(rss_mb "$gw")" >>"$RAW"
}

report() {
  awk -v timeout="$STREAM_TIMEOUT" -v sessions="$SESSIONS" -v settle="$SETTLE" '
    function better(key, v, higher) {
      if (!(key in best) || (higher && v > best[key]) || (!higher && v < best[key])) best[key] = v
    }
    $1 == "wrk" {
      better("rps " $2 " " $3, $4, 1); better("p50 " $2 " " $3, $5 / 1000, 0)
      better("p99 " $2 " " $3, $6 / 1000, 0); errors[$2 " " $3] += $7
      better("pcpu " $2 " " $3, $8, 0); better("dcpu " $2 " " $3, $9, 0); better("plcpu " $2 " " $3, $10, 0)
    }
    $1 == "latency" { better("lat50 " $2, $3 / 1000, 0); better("lat99 " $2, $4 / 1000, 0); lerr[$2] += $5 }
    $1 == "stream" { better("mbs " $2 " " $3, $4, 1) }
    $1 == "stalled" { stalled[$2 " " $3]++ }
    $1 == "streamcpu" { better("scpu " $2 " " $3, $4 / 1000, 0) }
    $1 == "rss" { rss[$3] = $4; if ($3 == "held") held = $5 }
    function row(m, s, v, u, t, verdict) { printf "bench|%s|%s|%s|%s|%s|%s\n", m, s, v, u, t, verdict }
    function ratio(m, s, v, u, t, ok) { row(m, s, v, u, t, ok ? "ok" : "MISSED") }
    END {
      split("haproxy gateway", subj, " ")
      for (c = 1; c <= 2; c++) {
        conns = c == 1 ? 1 : 16
        for (i = 1; i <= 2; i++) {
          k = subj[i] " " conns
          if (!(("rps " k) in best)) continue
          e = errors[k] ? errors[k] " errors" : ""
          row("GET /containers/json c=" conns " throughput (wrk)", subj[i], sprintf("%.0f", best["rps " k]), "req/s", "", e)
          row("GET /containers/json c=" conns " p50 (wrk)", subj[i], sprintf("%.3f", best["p50 " k]), "ms", "", e)
          row("GET /containers/json c=" conns " p99 (wrk)", subj[i], sprintf("%.3f", best["p99 " k]), "ms", "", e)
          row("GET /containers/json c=" conns " proxy CPU per request", subj[i], sprintf("%.0f", best["pcpu " k]), "us", "", "")
          row("GET /containers/json c=" conns " dockerd CPU per request", subj[i], sprintf("%.0f", best["dcpu " k]), "us", "", "")
          if (subj[i] == "gateway")
            row("GET /containers/json c=" conns " auth+vm+policy CPU per request", subj[i], sprintf("%.1f", best["plcpu " k]), "us", "", "")
        }
      }
      split("direct haproxy gateway", all, " ")
      for (i = 1; i <= 3; i++) if (("lat50 " all[i]) in best) {
        e = lerr[all[i]] ? lerr[all[i]] " errors" : ""
        row("GET /containers/json c=1 p50 (one client for all)", all[i], sprintf("%.3f", best["lat50 " all[i]]), "ms", "", e)
        row("GET /containers/json c=1 p99 (one client for all)", all[i], sprintf("%.3f", best["lat99 " all[i]]), "ms", "", e)
      }
      split("save load", kinds, " ")
      for (j = 1; j <= 2; j++) for (i = 1; i <= 3; i++) {
        k = kinds[j] " " all[i]
        s = stalled[k] ? "stalled " stalled[k] "x (stopped after " timeout " s)" : ""
        if (("mbs " k) in best) row("docker " kinds[j] " 1 GiB", all[i], sprintf("%.1f", best["mbs " k]), "MB/s", "", s)
        else if (s != "") row("docker " kinds[j] " 1 GiB", all[i], "-", "MB/s", "", s)
        if (("scpu " k) in best) row("docker " kinds[j] " 1 GiB, proxy CPU", all[i], sprintf("%.2f", best["scpu " k]), "s", "", "")
      }
      if ("before" in rss) {
        row("gateway RSS before the attach sessions", "gateway", rss["before"], "MB", "", "")
        ratio("gateway RSS with " held " idle attach sessions", "gateway", rss["held"], "MB", "<= 300", rss["held"] <= 300 && held == sessions)
        row("gateway RSS right after they closed", "gateway", rss["closed"], "MB", "", "")
        ratio("gateway RSS " settle " s after they closed", "gateway", rss["settled"], "MB", "<= 300", rss["settled"] <= 300)
      }
      if (("rps gateway 16") in best && ("rps haproxy 16") in best) {
        r = best["rps gateway 16"] / best["rps haproxy 16"]
        ratio("req/s c=16, gateway / haproxy", "ratio", sprintf("%.3f", r), "x", ">= 1.000", r >= 1.0)
      }
      if (("pcpu gateway 16") in best && ("pcpu haproxy 16") in best && best["pcpu haproxy 16"] > 0) {
        r = best["pcpu gateway 16"] / best["pcpu haproxy 16"]
        ratio("CPU per request c=16, gateway / haproxy", "ratio", sprintf("%.2f", r), "x", "<= 1.30", r <= 1.3)
      }
      if (("lat50 gateway") in best && ("lat50 direct") in best) {
        d = best["lat50 gateway"] - best["lat50 direct"]
        ratio("p50 c=1, gateway - direct", "difference", sprintf("%+.3f", d), "ms", "<= +0.300", d <= 0.3)
      }
      if (("lat50 gateway") in best && ("lat50 haproxy") in best)
        row("p50 c=1, gateway - haproxy", "difference", sprintf("%+.3f", best["lat50 gateway"] - best["lat50 haproxy"]), "ms", "", "")
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

start_suite
say "engine $(engine version -f '{{.Server.Version}}') at $SOCKET, $(haproxy -v | sed -n 's/^\(HAProxy version [^ ]*\).*/\1/p')"
prepare_engine
start_haproxy
measure_requests
[ "$STREAMS" = 1 ] && measure_streams
[ "$SESSIONS" -gt 0 ] && measure_sessions
cp "$RAW" "$BENCH_LOGS/real.raw"
report
