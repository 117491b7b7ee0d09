package cx.wip.vm;

import java.time.Duration;

import io.helidon.config.Config;

import cx.wip.vm.boot.IngressSleepNotice;
import cx.wip.vm.boot.PlanSource;
import cx.wip.vm.boot.Plans;
import cx.wip.vm.boot.PolicyPlans;
import cx.wip.vm.boot.VmRuntime;

/**
 * The {@code vm} section.
 *
 * @param redisUri          Redis ({@code vm.redis.uri}, default {@code redis://127.0.0.1:6379})
 * @param keyPrefix         Redis key prefix ({@code vm.redis.key-prefix}, default {@code wip:vm:})
 * @param backend           backend name ({@code vm.backend}: local, static, proxmox…; default local)
 * @param backendConfig     the backend's section ({@code vm.backends.<name>})
 * @param ensureWait        how long EnsureEndpoint waits by default before "still starting"
 * @param bootTimeout       how long one ensure attempt keeps going (waiting for others included)
 * @param leaseTtl          boot lease TTL
 * @param idleCheckInterval how often idle tenants are looked for
 * @param plans             plans: from policy-service when {@code vm.policy.address} is set (the one definition),
 *                          else from {@code vm.plans} (tests, vm-service on its own)
 * @param pool              spare engines kept booted for new tenants ({@code vm.pool.size}, default 0 = none;
 *                          {@code vm.pool.plan}, default the default plan)
 * @param frozenFor         how long an engine asleep with running apps keeps them frozen before it stops
 *                          ({@code vm.sleep.frozen-for}, default 0 = it stops at once)
 * @param ingress           ingress-service, asked to move a tenant's routes to its waker before its apps freeze
 *                          ({@code vm.ingress.address}, {@code vm.ingress.timeout}); empty = no ingress
 */
record VmConfig(String redisUri,
                String keyPrefix,
                String backend,
                Config backendConfig,
                Duration ensureWait,
                Duration bootTimeout,
                Duration leaseTtl,
                Duration idleCheckInterval,
                PlanSource plans,
                VmRuntime.Pool pool,
                Duration frozenFor,
                java.util.Optional<IngressSleepNotice.Settings> ingress) {
    VmConfig {
        if (keyPrefix.isBlank()) {
            throw new IllegalArgumentException("vm.redis.key-prefix must not be empty");
        }
        if (frozenFor.isNegative()) {
            throw new IllegalArgumentException("vm.sleep.frozen-for must not be negative");
        }
        if (leaseTtl.toMillis() < 300) {
            throw new IllegalArgumentException("vm.lease-ttl must be at least 300 ms");
        }
    }

    static VmConfig create(Config vm) {
        String backend = vm.get("backend").asString().orElse("local");
        return new VmConfig(vm.get("redis.uri").asString().orElse("redis://127.0.0.1:6379"),
                            vm.get("redis.key-prefix").asString().orElse("wip:vm:"),
                            backend,
                            vm.get("backends").get(backend),
                            vm.get("ensure-wait").as(Duration.class).orElse(Duration.ofSeconds(25)),
                            vm.get("boot-timeout").as(Duration.class).orElse(Duration.ofMinutes(3)),
                            vm.get("lease-ttl").as(Duration.class).orElse(Duration.ofSeconds(30)),
                            vm.get("idle-check-interval").as(Duration.class).orElse(Duration.ofSeconds(30)),
                            PolicyPlans.Settings.create(vm.get("policy")).<PlanSource>map(PolicyPlans::new)
                                    .orElseGet(() -> Plans.create(vm)),
                            new VmRuntime.Pool(vm.get("pool.size").asInt().orElse(0),
                                               vm.get("pool.plan").asString().orElse(
                                                       vm.get("default-plan").asString().orElse("free"))),
                            vm.get("sleep.frozen-for").as(Duration.class).orElse(Duration.ZERO),
                            IngressSleepNotice.Settings.create(vm.get("ingress")));
    }
}
