#!/usr/bin/env bash
# The policy benchmark (issue 5): the latency policy review adds to `docker create` — the gateway's
# PolicyReviewer.review of a compose-style create body, each call timed on its own, over a real gRPC hop to an
# in-process policy-service on loopback (cx.wip.policy.bench.ReviewLatencyBench, in policy-service's test classes).
# Target: p50 ≤ 1 ms. A second row adds the quota probe (one GET /containers/json on the daemon's socket) when
# /var/run/docker.sock is there. Prints bench|… rows (bench/README.md); the readable lines go to stderr.
#   bash bench/policy.sh            (or through bench/run policy)
# Knob: BENCH_POLICY_CALLS (timed reviews, default 5000). Needs no root; starts nothing outside its JVM.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/env.sh
wip_find_jdk >&2

echo "bench/policy: compiling policy-service, the gateway and their tests" >&2
cpfile=$(mktemp)
trap 'rm -f "$cpfile"' EXIT
# one reactor run, nothing installed: the reactor's own modules resolve to their target/classes; the classpath file
# is written per module, policy-service's last
./mvnw -q -B -pl policy-service -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cpfile" >&2
"$JAVA_HOME/bin/java" -Xms256m -Xmx256m \
  -cp "policy-service/target/test-classes:policy-service/target/classes:$(cat "$cpfile")" \
  cx.wip.policy.bench.ReviewLatencyBench "${BENCH_POLICY_CALLS:-5000}" 2> >(grep -v '^WARNING' >&2)
