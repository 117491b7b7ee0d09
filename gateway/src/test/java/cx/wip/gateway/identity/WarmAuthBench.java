package cx.wip.gateway.identity;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import cx.wip.telemetry.GrpcChannels;
import cx.wip.telemetry.GrpcClientConfig;

/**
 * The added cost of authentication on a warm request: {@link GrpcAuthenticator#authenticate} on a cache hit, per
 * credential way, each call timed on its own. Run by {@code bench/auth.sh}; not a test. Also prints how many
 * Authenticate RPCs the warm phase made (must be 0). Result lines follow bench/README.md:
 * {@code bench|<measurement>|<subject>|<value>|<unit>|<target>|<verdict>}; a readable table goes to stderr.
 */
public final class WarmAuthBench {
    private WarmAuthBench() {
    }

    public static void main(String[] args) throws Exception {
        final int calls = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        try (FakeAuthService auth = new FakeAuthService(r -> FakeAuthService.tenant("tn-bench")).start(0)) {
            final AuthSettings settings = new AuthSettings(GrpcClientConfig.of("127.0.0.1:" + auth.port(),
                                                                                 Duration.ofSeconds(2)),
                                                           Duration.ofSeconds(5), 100_000, true, "wip.localhost", 10,
                                                           Duration.ofMinutes(1), 100_000);
            // A clock that never advances past the TTL: the run measures the cache hit, not re-validation.
            try (GrpcAuthenticator authenticator = new GrpcAuthenticator(settings,
                    GrpcChannels.open("wip-bench", settings.grpc()), () -> 0L)) {
                final String token = "wip-abcdefghij-" + "a".repeat(40);
                final ClientIdentity bearer = new ClientIdentity(Optional.empty(), Optional.empty(), Optional.of(token),
                                                                 "localhost", "127.0.0.1:40000");
                final ClientIdentity certificate = new ClientIdentity(Optional.of("ab".repeat(32)), Optional.of("1f"),
                                                                      Optional.empty(), "localhost", "127.0.0.1:40000");
                final ClientIdentity hostKey = new ClientIdentity(Optional.empty(), Optional.empty(), Optional.empty(),
                                                                  token + ".wip.localhost", "127.0.0.1:40000");
                for (ClientIdentity id : new ClientIdentity[] {bearer, certificate, hostKey}) {
                    authenticator.authenticate(id);
                }
                final int coldRpcs = auth.requests.size();
                System.err.printf("warm authentication cost, %d calls per way, 1 thread (ns per call)%n", calls);
                System.err.printf("%-12s %8s %8s %8s %8s%n", "way", "p50", "p90", "p99", "p99.9");
                run("bearer", authenticator, bearer, calls);
                run("certificate", authenticator, certificate, calls);
                run("host-key", authenticator, hostKey, calls);
                final int warmRpcs = auth.requests.size() - coldRpcs;
                System.err.printf("Authenticate RPCs during the warm phase: %d (cold: %d)%n", warmRpcs, coldRpcs);
                System.out.printf("bench|warm auth: gRPC calls|all ways|%d|calls|0|%s%n", warmRpcs,
                                  warmRpcs == 0 ? "ok" : "MISSED");
            }
        }
    }

    private static void run(String name, GrpcAuthenticator authenticator, ClientIdentity identity, int calls) {
        for (int i = 0; i < 200_000; i++) {
            authenticator.authenticate(identity);
        }
        final long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            final long start = System.nanoTime();
            authenticator.authenticate(identity);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        final long p50 = nanos[calls / 2];
        final long p99 = nanos[calls * 99 / 100];
        System.err.printf("%-12s %8d %8d %8d %8d%n", name, p50, nanos[calls * 9 / 10], p99,
                          nanos[(int) (calls * 999L / 1000)]);
        System.out.printf("bench|warm auth p50|%s|%.2f|µs|≤ 50|%s%n", name, p50 / 1000.0, p50 <= 50_000 ? "ok" : "MISSED");
        System.out.printf("bench|warm auth p99|%s|%.2f|µs||%n", name, p99 / 1000.0);
    }
}
