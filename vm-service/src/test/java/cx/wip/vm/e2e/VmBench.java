package cx.wip.vm.e2e;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import cx.wip.gateway.GatewayServer;
import cx.wip.gateway.identity.Tenant;

/**
 * The vm benchmark (issue 4), run by {@code bench/vm.sh}: cold start of a new tenant (wall time of its first
 * {@code docker ps} through the gateway), warm routing overhead ({@code docker ps} through the gateway vs. straight
 * at the tenant's daemon socket), and 20 new tenants cold-starting at once. Cold starts alternate between the
 * {@code free} plan (a 1 GiB disk image) and {@code plain} (same memory and CPU, no disk image) to show what the disk
 * limit adds. Prints {@code bench|…} rows on stdout.
 */
public final class VmBench {
    private static final long COLD_TARGET_MS = 1500;
    private static final long POOLED_TARGET_MS = 300;
    private static final long WAKE_TARGET_MS = 1500;
    /** How long the bench's engines stay in light sleep before it deepens. */
    private static final java.time.Duration FROZEN_FOR = java.time.Duration.ofSeconds(4);

    private VmBench() {
    }

    public static void main(String[] args) throws Exception {
        int cold = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int warmRuns = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int crowd = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Map<String, Tenant> tokens = new HashMap<>();
        tokens.put("warmup", tenant("bench-warmup"));
        tokens.put("warm", tenant("bench-warm"));
        for (int i = 0; i < cold; i++) {
            tokens.put("cold-" + i, tenant("bench-cold-" + i));
            tokens.put("plain-" + i, new Tenant("bench-plain-" + i, "bench-plain-" + i, "plain"));
        }
        for (int i = 0; i < crowd; i++) {
            tokens.put("crowd-" + i, tenant("bench-crowd-" + i));
        }
        for (int i = 0; i < cold; i++) {
            tokens.put("pooled-" + i, tenant("bench-pooled-" + i));
            tokens.put("dreamy-" + i, new Tenant("bench-dreamy-" + i, "bench-dreamy-" + i, "dreamy"));
        }
        try (WipStack stack = new WipStack(tokens)) {
            stack.startVm(stack.vmPort(), Map.of("vm.sleep.frozen-for", FROZEN_FOR.toString()));
            GatewayServer gateway = stack.startGateway(stack.vmPort(), java.time.Duration.ofSeconds(120));
            progress("warm-up tenant (builds the image seed template once)");
            DockerCli.forTenant(gateway.port(), "warmup").ok("ps");

            List<Long> coldMillis = new ArrayList<>();
            List<Long> plainMillis = new ArrayList<>();
            for (int i = 0; i < cold; i++) {
                plainMillis.add(timed(DockerCli.forTenant(gateway.port(), "plain-" + i)));
                coldMillis.add(timed(DockerCli.forTenant(gateway.port(), "cold-" + i)));
                progress("cold start " + i + ": " + coldMillis.getLast() + " ms (without a disk image "
                         + plainMillis.getLast() + " ms)");
            }
            long coldP50 = percentile(coldMillis, 50);
            row("vm cold start, first docker ps, p50", coldP50, "ms", "<= " + COLD_TARGET_MS,
                coldP50 <= COLD_TARGET_MS ? "ok" : "MISSED");
            row("vm cold start, first docker ps, max", Collections.max(coldMillis), "ms", "", "");
            row("vm cold start without a disk image, p50", percentile(plainMillis, 50), "ms", "", "");
            row("disk image share of a cold start (p50 difference)", coldP50 - percentile(plainMillis, 50), "ms",
                "", "");
            List<Long> idleRss = new ArrayList<>();
            for (int i = 0; i < cold; i++) {
                idleRss.add(rssKib(stack.local().name() + "-bench-cold-" + i));
            }
            row("idle RSS of a tenant engine (dockerd + containerd + wrapper), p50", percentile(idleRss, 50) / 1024,
                "MiB", "", "");

            DockerCli viaGateway = DockerCli.forTenant(gateway.port(), "warm");
            viaGateway.ok("ps");
            String socket = stack.status("bench-warm").getEndpoint().getDockerAddress();
            DockerCli direct = DockerCli.direct(socket);
            List<Long> gatewayMillis = new ArrayList<>();
            List<Long> directMillis = new ArrayList<>();
            for (int i = 0; i < warmRuns; i++) {
                gatewayMillis.add(timed(viaGateway));
                directMillis.add(timed(direct));
            }
            long gatewayP50 = percentile(gatewayMillis, 50);
            long directP50 = percentile(directMillis, 50);
            row("warm docker ps p50, through the gateway", gatewayP50, "ms", "", "");
            row("warm docker ps p50, straight at the tenant daemon", directP50, "ms", "", "");
            row("warm routing overhead (gateway - direct, docker ps p50)", gatewayP50 - directP50, "ms", "", "");

            wakes(stack, gateway, cold, gatewayP50);
            pooled(stack, cold, coldP50, gatewayP50);

            if (crowd == 0) {
                progress("cleaning up (namespaces, daemons, bridge, rules, keys)");
                return;
            }
            progress(crowd + " new tenants at once");
            long start = System.nanoTime();
            List<Long> each = new ArrayList<>();
            int failed = 0;
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<DockerCli.Result>> results = new ArrayList<>();
                for (int i = 0; i < crowd; i++) {
                    DockerCli cli = DockerCli.forTenant(gateway.port(), "crowd-" + i);
                    results.add(threads.submit(() -> {
                        long t0 = System.nanoTime();
                        DockerCli.Result result = cli.run("ps");
                        synchronized (each) {
                            each.add((System.nanoTime() - t0) / 1_000_000);
                        }
                        return result;
                    }));
                }
                for (Future<DockerCli.Result> result : results) {
                    failed += result.get().ok() ? 0 : 1;
                }
            }
            long all = (System.nanoTime() - start) / 1_000_000;
            row(crowd + " tenants cold-starting at once, all answered", all, "ms", "", failed == 0 ? "ok" : "MISSED");
            row(crowd + " tenants cold-starting at once, p50 per tenant", percentile(each, 50), "ms", "", "");
            row(crowd + " tenants cold-starting at once, failures", failed, "count", "0", failed == 0 ? "ok" : "MISSED");
            progress("cleaning up (namespaces, daemons, bridge, rules, keys)");
        }
    }

    /**
     * Engines that slept with a running app, woken by the next `docker ps` (the API side of issue 15; the HTTP side
     * is in bench/ingress): wall time of that `docker ps`, which returns once the app runs again — from the light
     * sleep (apps frozen, a thaw) and from the deep one (engine stopped after {@link #FROZEN_FOR}, a boot and a
     * `docker start`).
     */
    private static void wakes(WipStack stack, GatewayServer gateway, int count, long warmP50) throws Exception {
        List<Long> lightMillis = new ArrayList<>();
        List<Long> deepMillis = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            DockerCli cli = DockerCli.forTenant(gateway.port(), "dreamy-" + i);
            cli.ok("run", "-d", "wip-test/busybox:latest", "httpd", "-f", "-p", "8080");
            String tenant = "bench-dreamy-" + i;
            awaitFrozen(stack, tenant);
            lightMillis.add(timed(cli));
            awaitFrozen(stack, tenant);
            long pid = stack.dockerdPid(tenant);
            long deadline = System.nanoTime() + FROZEN_FOR.plusSeconds(60).toNanos();
            while (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(tenant + "'s sleep did not deepen (dockerd still runs)");
                }
                Thread.sleep(50);
            }
            deepMillis.add(timed(cli));
            progress("wake " + i + ": from light sleep " + lightMillis.getLast() + " ms, from deep sleep "
                     + deepMillis.getLast() + " ms");
        }
        long light = percentile(lightMillis, 50);
        long deep = percentile(deepMillis, 50);
        row("wake from light sleep (apps frozen), first docker ps, p50", light, "ms", "<= " + WAKE_TARGET_MS,
            light <= WAKE_TARGET_MS ? "ok" : "MISSED");
        row("wake from light sleep, p50 - warm docker ps p50", light - warmP50, "ms", "", "");
        row("wake from deep sleep (engine stopped), first docker ps, p50", deep, "ms", "<= " + WAKE_TARGET_MS,
            deep <= WAKE_TARGET_MS ? "ok" : "MISSED");
    }

    /** Waits until the tenant is asleep with its containers frozen (the freezer settled). */
    private static void awaitFrozen(WipStack stack, String tenant) throws Exception {
        java.nio.file.Path state = java.nio.file.Path.of("/sys/fs/cgroup/freezer", stack.local().name(), tenant,
                                                         "freezer.state");
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (stack.status(tenant).getState() != cx.wip.proto.vm.v1.State.STATE_ASLEEP
               || !java.nio.file.Files.exists(state) || !"FROZEN".equals(java.nio.file.Files.readString(state).strip())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(tenant + " did not fall asleep");
            }
            Thread.sleep(50);
        }
    }

    /**
     * The warm pool: a second vm-service with one spare engine; each new tenant's first `docker ps` takes the spare
     * (the next one is waited for before the next tenant), against the cold starts measured above in this run.
     */
    private static void pooled(WipStack stack, int count, long coldP50, long warmP50) throws Exception {
        progress("warm pool: a vm-service keeping 1 spare engine");
        int port = WipStack.freePort();
        stack.startVm(port, Map.of("vm.pool.size", "1", "vm.pool.plan", "free"));
        GatewayServer pooledGateway = stack.startGateway(port, java.time.Duration.ofSeconds(120));
        java.nio.file.Path ready = stack.tenantsDir().resolve(".pool").resolve("ready");
        List<Long> pooledMillis = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(120).toNanos();
            while (!java.nio.file.Files.isDirectory(ready) || java.nio.file.Files.list(ready).findAny().isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no spare engine became ready");
                }
                Thread.sleep(100);
            }
            pooledMillis.add(timed(DockerCli.forTenant(pooledGateway.port(), "pooled-" + i)));
            progress("pooled first docker ps " + i + ": " + pooledMillis.getLast() + " ms");
        }
        long p50 = percentile(pooledMillis, 50);
        row("new tenant from the warm pool, first docker ps, p50", p50, "ms", "<= " + POOLED_TARGET_MS,
            p50 <= POOLED_TARGET_MS ? "ok" : "MISSED");
        row("warm pool / cold start (first docker ps p50, same run)", String.format("%.2f", (double) p50 / coldP50),
            "ratio", "", "");
        row("warm pool first docker ps p50 - warm docker ps p50", p50 - warmP50, "ms", "", "");
    }

    /** Resident memory of every process in the namespace (its engine: dockerd, containerd, the pid-1 shell). */
    private static long rssKib(String namespace) throws Exception {
        Process pids = new ProcessBuilder("ip", "netns", "pids", namespace).start();
        long total = 0;
        for (String pid : new String(pids.getInputStream().readAllBytes()).split("\\s+")) {
            if (pid.isBlank()) {
                continue;
            }
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", pid, "status"))) {
                if (line.startsWith("VmRSS:")) {
                    total += Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        }
        return total;
    }

    private static Tenant tenant(String id) {
        return new Tenant(id, id, "free");
    }

    private static long timed(DockerCli cli) {
        long start = System.nanoTime();
        cli.ok("ps");
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static long percentile(List<Long> values, int percent) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
    }

    private static void row(String measurement, long value, String unit, String target, String verdict) {
        row(measurement, Long.toString(value), unit, target, verdict);
    }

    private static void row(String measurement, String value, String unit, String target, String verdict) {
        System.out.println("bench|" + measurement + "|local|" + value + "|" + unit + "|" + target + "|" + verdict);
        System.err.printf("  %-60s %8s %s %s %s%n", measurement, value, unit, target, verdict);
    }

    private static void progress(String message) {
        System.err.println("bench/vm: " + message);
    }
}
