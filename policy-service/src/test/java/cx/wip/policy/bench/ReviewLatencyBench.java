package cx.wip.policy.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import cx.wip.gateway.identity.Tenant;
import cx.wip.gateway.review.Operation;
import cx.wip.gateway.review.PolicyReviewer;
import cx.wip.gateway.review.Review;
import cx.wip.policy.PolicyServer;

/**
 * What the policy adds to {@code docker create}: the gateway's {@link PolicyReviewer#review} of a compose-style
 * create body, timed call by call — the gRPC hop over loopback, the review, the answer. Once without the quota
 * probe, once with it (a {@code GET /containers/json} on the tenant's daemon) when the daemon socket is there.
 * Prints {@code bench|…} rows (bench/README.md). Target: p50 ≤ 1 ms.
 */
public final class ReviewLatencyBench {
    private static final String BODY = """
            {"Hostname":"","User":"","AttachStdin":false,"AttachStdout":false,"AttachStderr":false,
            "ExposedPorts":{"80/tcp":{}},"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":["A=1","B=2"],
            "Cmd":["sh","-c","httpd -f"],"Image":"wip-test/busybox:latest","Volumes":{"/data":{}},
            "Labels":{"com.docker.compose.config-hash":"4f1c","com.docker.compose.container-number":"1",
            "com.docker.compose.oneoff":"False","com.docker.compose.project":"shop",
            "com.docker.compose.project.config_files":"docker-compose.yml",
            "com.docker.compose.project.working_dir":"/home/u/shop","com.docker.compose.service":"web",
            "com.docker.compose.version":"1.29.2"},
            "HostConfig":{"Binds":["/home/u/shop/data:/data:rw"],"NetworkMode":"shop_default",
            "PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"8080"}]},"RestartPolicy":{"Name":"unless-stopped"},
            "Memory":268435456,"LogConfig":{"Type":"json-file","Config":{}}},
            "NetworkingConfig":{"EndpointsConfig":{"shop_default":{"Aliases":["web","5a1e"]}}}}
            """;

    private ReviewLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        Config policyConfig = Config.just(ConfigSources.create(Map.of("policy.port", "0",
                "policy.plans.bench.cpus", "2", "policy.plans.bench.memory", "1g",
                "policy.plans.bench.max-containers", "100000", "policy.plans.bench.total-memory", "1t")));
        Tenant tenant = new Tenant("bench", "bench", "bench");
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        try (PolicyServer server = PolicyServer.start(policyConfig.get("policy"))) {
            Config gateway = Config.just(ConfigSources.create(Map.of(
                    "gateway.policy.address", "127.0.0.1:" + server.port(),
                    // a bench measures; it must not fail closed because a loaded machine was slow to connect
                    "gateway.policy.timeout", "PT30S")));
            try (PolicyReviewer reviewer = PolicyReviewer.create(gateway)) {
                report("review (gRPC hop + rules), no quota probe", measure(reviewer, tenant, body, calls));
            }
            // the usage read (list + inspects on the tenant's daemon) is the gateway's step now, timed by its QuotaIT
        }
    }

    private static long[] measure(PolicyReviewer reviewer, Tenant tenant, byte[] body, int calls) {
        for (int i = 0; i < Math.max(1000, calls / 4); i++) {
            review(reviewer, tenant, body);
        }
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            review(reviewer, tenant, body);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static void review(PolicyReviewer reviewer, Tenant tenant, byte[] body) {
        Review review = reviewer.review(tenant, Operation.CONTAINER_CREATE, "POST", "/v1.41/containers/create",
                "name=shop_web_1", body, Optional.empty());
        if (!(review instanceof Review.Allow)) {
            throw new IllegalStateException("the bench body must be allowed: " + review);
        }
    }

    private static void report(String what, long[] sorted) {
        double p50 = sorted[sorted.length / 2] / 1e6;
        double p90 = sorted[(int) (sorted.length * 0.9)] / 1e6;
        double p99 = sorted[(int) (sorted.length * 0.99)] / 1e6;
        System.err.printf(Locale.ROOT, "%-50s calls %6d  p50 %.3f ms  p90 %.3f ms  p99 %.3f ms%n", what,
                sorted.length, p50, p90, p99);
        System.out.printf(Locale.ROOT, "bench|%s p50|policy|%.3f|ms|<= 1 ms|%s%n", what, p50, p50 <= 1 ? "ok"
                : "MISSED");
        System.out.printf(Locale.ROOT, "bench|%s p99|policy|%.3f|ms||%n", what, p99);
    }
}
