#!/usr/bin/env bash
# The auth benchmark (issue 3): the added cost of authentication on a warm request — GrpcAuthenticator.authenticate
# on a cache hit, per credential way (bearer token, client certificate, key in hostname), each call timed on its own
# (cx.wip.gateway.identity.WarmAuthBench, in the gateway's test classes). Target: p50 ≤ 50 µs. Also checks that the
# warm phase made no Authenticate RPC. Prints bench|… rows (bench/README.md); the readable table goes to stderr.
#   bash bench/auth.sh            (or through bench/run auth)
# Knob: BENCH_AUTH_CALLS (calls per way, default 1000000). Needs no root and starts nothing outside its JVM.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/env.sh
wip_find_jdk >&2

echo "bench/auth: compiling the gateway and its tests" >&2
./mvnw -q -B -pl gateway -am install -DskipTests -DskipITs >&2
cpfile=$(mktemp)
trap 'rm -f "$cpfile"' EXIT
./mvnw -q -B -pl gateway dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile" >&2
"$JAVA_HOME/bin/java" -Xms256m -Xmx256m -XX:+UseParallelGC \
  -cp "gateway/target/test-classes:gateway/target/classes:$(cat "$cpfile")" \
  cx.wip.gateway.identity.WarmAuthBench "${BENCH_AUTH_CALLS:-1000000}" 2> >(grep -v '^WARNING' >&2)
