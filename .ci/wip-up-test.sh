#!/usr/bin/env bash
# The README's first command, tested as a script: `bin/wip up` twice (the second keeps what runs), `status`, then
# `down`, which stops what `up` started and nothing else (the host's dockerd, another Redis). A Redis that does not
# persist is refused with the way out. Runs on its own state dir, ports and local-backend names, apart from a suite
# or tests already running on the machine. Needs the jars (`./mvnw package`) or builds them; run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
WIP_STATE=$(mktemp -d /tmp/wip-up-test.XXXXXX)
export WIP_STATE WIP_PORT=22375 WIP_TLS_PORT=22376 WIP_HTTPS_PORT=28443 WIP_REDIS_PORT=26379 \
  WIP_CADDY_ADMIN_PORT=22019 WIP_AUTH_PORT=29101 WIP_AUTH_ADMIN_PORT=29111 WIP_VM_PORT=29102 WIP_POLICY_PORT=29103 \
  WIP_INGRESS_PORT=29104 WIP_INGRESS_ASK_PORT=29114 WIP_GATEWAY_ADMIN_PORT=29100 \
  WIP_VM_STATE_DIR=$WIP_STATE/vm-run WIP_VM_DATA_DIR=$WIP_STATE/vm-data WIP_VM_BRIDGE=wipuptest0 \
  WIP_VM_SUBNET=10.87.0.0/16
passed=0 failed=0
check() { # check WHAT COMMAND...
  local what=$1; shift
  if "$@" >/dev/null 2>&1; then passed=$((passed + 1)); echo "ok   $what"
  else failed=$((failed + 1)); echo "FAIL $what"; fi
}
cleanup() {
  bin/wip down >/dev/null 2>&1 || true
  [ -f "$WIP_STATE/ephemeral.pid" ] && kill "$(cat "$WIP_STATE/ephemeral.pid")" 2>/dev/null || true
}
trap cleanup EXIT
docker_before=$(docker -H unix:///var/run/docker.sock version >/dev/null 2>&1 && echo up || echo down)

first=$(bin/wip up 2>&1) || { echo "$first"; echo "FAIL bin/wip up"; exit 1; }
echo "$first" | sed 's/^/  | /'
check "up starts its own Redis, persistent (AOF under the state dir)" \
  grep -q "redis is up on 127.0.0.1:26379 (started by wip; persistent: AOF in $WIP_STATE/redis)" <<<"$first"
check "that Redis has appendonly on" test "$(redis-cli -p 26379 CONFIG GET appendonly | sed -n 2p)" = yes
check "up prints the next step" grep -q "next: create a first tenant" <<<"$first"
check "the gateway answers _ping (401: credentials wanted)" \
  test "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:22375/_ping)" = 401

second=$(bin/wip up 2>&1) || { echo "$second"; echo "FAIL second bin/wip up"; exit 1; }
check "a second up keeps every service" test "$(grep -c 'already running' <<<"$second")" -ge 6
check "a second up says which Redis and that it persists" grep -q "redis on 127.0.0.1:26379 persists" <<<"$second"
check "status: the gateway is UP" grep -q '^gateway .*"status":"UP"' <<<"$(bin/wip status)"

spares() { find "$WIP_VM_STATE_DIR/.pool/ready" -type f 2>/dev/null | wc -l; }
for _ in $(seq 1 240); do [ "$(spares)" -ge 1 ] && break; sleep 0.5; done
check "up keeps a spare engine booted for the first request of a new tenant (warm pool)" test "$(spares)" -ge 1

down=$(bin/wip down 2>&1)
echo "$down" | sed 's/^/  | /'
check "down stops the services and the Redis and Caddy it started" \
  bash -c 'for s in gateway ingress vm policy auth caddy redis; do grep -q "stopped $s" <<<"$0" || exit 1; done' "$down"
check "down leaves a dockerd it did not start" bash -c \
  '[ "$0" = down ] || { ! grep -q "stopped dockerd" <<<"$1" && docker -H unix:///var/run/docker.sock version; }' \
  "$docker_before" "$down"
check "its Redis is gone" bash -c '! redis-cli -p 26379 ping'
no_engines() { ! pgrep -f "dockerd .*--data-root $WIP_VM_DATA_DIR/"; }
check "down stops every engine it booted, spares too" no_engines

# a Redis that forgets (no AOF, no snapshots) is never used silently
redis-server --port 26380 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --pidfile "$WIP_STATE/ephemeral.pid" --logfile "$WIP_STATE/ephemeral.log"
for _ in $(seq 1 40); do redis-cli -p 26380 ping >/dev/null 2>&1 && break; sleep 0.25; done
refused=$(WIP_REDIS_PORT=26380 bin/wip up 2>&1) && refused_rc=0 || refused_rc=$?
check "up refuses a Redis that does not persist" test "$refused_rc" != 0
check "and says why and what to do" grep -q "does not persist.*CONFIG SET appendonly yes.*WIP_REDIS_PORT" <<<"$refused"
check "that Redis is left running" redis-cli -p 26380 ping

echo "bin/wip: $passed passed, $failed failed"
[ "$failed" = 0 ] || { echo "logs kept in $WIP_STATE/logs"; exit 1; }
cleanup
rm -rf "$WIP_STATE"
