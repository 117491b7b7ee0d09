#!/usr/bin/env bash
# The vm benchmark (issue 4): cold start of a new tenant (wall time of its first `docker ps` through the gateway,
# dockerd booted in its own network namespace by vm-service's local backend), warm routing overhead (`docker ps`
# through the gateway vs. straight at the tenant daemon's socket), and 20 new tenants cold-starting at once.
# Runs cx.wip.vm.e2e.VmBench (vm-service test classes) against the real gateway, vm-service, Redis and dockerd; it
# makes its own bridge/subnet/namespaces/Redis prefix and removes them all at the end. Prints bench|… rows.
#   sudo bash bench/vm.sh            (or through bench/run vm)
# Knobs: BENCH_VM_COLD (cold starts measured one after the other, 5), BENCH_VM_WARM (warm docker ps runs, 20),
# BENCH_VM_CROWD (tenants started at once, 20; 0 skips it), BENCH_VM_CONTAINMENT (on: engines remapped, in their
# private view, behind the guard, as shipped; off: without, to measure what containment costs). Needs root, dockerd on /var/run/docker.sock with
# wip-test/busybox:latest (.ci/images.sh), redis on 127.0.0.1:6379, the docker CLI at /usr/local/bin/docker.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/env.sh
wip_find_jdk >&2
[ "$(id -u)" = 0 ] || { echo "bench/vm: run as root (network namespaces, bridges, iptables)" >&2; exit 1; }

echo "bench/vm: compiling vm-service and its tests" >&2
./mvnw -q -B -pl vm-service -am install -DskipTests -DskipITs >&2
cpfile=$(mktemp)
trap 'rm -f "$cpfile"' EXIT
./mvnw -q -B -pl vm-service dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile" >&2
"$JAVA_HOME/bin/java" -Xmx512m \
  -Dwip.test.containment="${BENCH_VM_CONTAINMENT:-on}" \
  -cp "vm-service/target/test-classes:vm-service/target/classes:$(cat "$cpfile")" \
  cx.wip.vm.e2e.VmBench "${BENCH_VM_COLD:-5}" "${BENCH_VM_WARM:-20}" "${BENCH_VM_CROWD:-20}" \
  2> >(grep -v -e '^WARNING' -e ' INFO ' >&2)
