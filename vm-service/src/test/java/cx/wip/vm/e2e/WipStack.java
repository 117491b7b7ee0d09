package cx.wip.vm.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import cx.wip.gateway.GatewayConfig;
import cx.wip.gateway.GatewayServer;
import cx.wip.gateway.endpoint.VmEndpointResolver;
import cx.wip.gateway.identity.Tenant;
import cx.wip.proto.vm.v1.StatusRequest;
import cx.wip.proto.vm.v1.TenantRecord;
import cx.wip.proto.vm.v1.VmServiceGrpc;
import cx.wip.vm.VmServer;
import cx.wip.vm.backend.local.LocalBackend;
import cx.wip.vm.backend.local.LocalBackendProvider;
import cx.wip.vm.testing.LocalFixture;
import cx.wip.vm.testing.RedisFixture;

/**
 * A whole wip for one test class: vm-service(s) with the local backend on a bridge of their own, gateway(s) with a
 * bearer-token authenticator and the real {@link VmEndpointResolver}, one Redis prefix. {@link #close()} removes
 * every namespace, veth, firewall rule, process and key it made.
 */
final class WipStack implements AutoCloseable {
    private final LocalFixture local = LocalFixture.random();
    private final RedisFixture redis = new RedisFixture();
    private final Map<String, Tenant> tokens;
    private final List<AutoCloseable> running = new ArrayList<>();
    private final ManagedChannel statusChannel;
    private final int vmPort = freePort();

    WipStack(Map<String, Tenant> tokens) {
        this.tokens = Map.copyOf(tokens);
        this.statusChannel = ManagedChannelBuilder.forAddress("127.0.0.1", vmPort).usePlaintext().build();
    }

    LocalFixture local() {
        return local;
    }

    int vmPort() {
        return vmPort;
    }

    /** Starts a vm-service on {@code port}, sharing this stack's host setup and Redis prefix. */
    VmServer startVm(int port) {
        return startVm(port, Map.of());
    }

    /** As {@link #startVm(int)}, with more configuration (e.g. {@code vm.pool.size}). */
    VmServer startVm(int port, Map<String, String> more) {
        Map<String, String> properties = new HashMap<>(local.backendProperties("vm.backends.local."));
        properties.putAll(Map.of(
                "server.host", "127.0.0.1",
                "server.port", Integer.toString(port),
                "vm.backend", "local",
                "vm.redis.uri", RedisFixture.URI,
                "vm.redis.key-prefix", redis.prefix(),
                "vm.idle-check-interval", "PT0.5S",
                "vm.lease-ttl", "PT10S",
                "vm.default-plan", "free"));
        properties.putAll(Map.of(
                "vm.plans.free.memory", "512m",
                "vm.plans.free.cpus", "1",
                "vm.plans.free.idle-after", "PT30M",
                "vm.plans.free.disk", "1g",
                "vm.plans.tiny.disk", "64m",
                "vm.plans.plain.memory", "512m",
                "vm.plans.plain.cpus", "1",
                "vm.plans.plain.idle-after", "PT30M",
                "vm.plans.sleepy.idle-after", "PT2S"));
        properties.putAll(Map.of(
                "vm.plans.dreamy.idle-after", "PT3S",
                "vm.plans.dreamy.sleep-with-apps", "true"));
        properties.putAll(more);
        VmServer server = VmServer.start(Config.just(ConfigSources.create(properties)));
        running.add(server);
        return server;
    }

    /** A gateway in front of the vm-service on {@code vmPort}. */
    GatewayServer startGateway(int vmPort, Duration ensureTimeout) {
        VmEndpointResolver resolver = VmEndpointResolver.create(Config.just(ConfigSources.create(Map.of(
                "gateway.vm.address", "127.0.0.1:" + vmPort,
                "gateway.vm.cache-ttl", "PT30S",
                "gateway.vm.ensure-timeout", ensureTimeout.toString(),
                "gateway.vm.activity-interval", "PT0.5S"))));
        GatewayServer gateway = GatewayServer.builder()
                .config(GatewayConfig.create(Config.just(ConfigSources.create(Map.of(
                        "host", "127.0.0.1", "port", "0", "admin-port", "0",
                        // a hundred concurrent first requests of one tenant: above the per-tenant cap's default (64)
                        "limits.in-flight", "256")))))
                .authenticator(new BearerTenants(tokens))
                .endpoints(resolver)
                .build()
                .start();
        running.add(gateway);
        running.add(resolver);
        return gateway;
    }

    /** Where this stack's vm-service keeps the tenants' engines (socket, pid file, spare markers). */
    java.nio.file.Path tenantsDir() {
        return java.nio.file.Path.of("/run/wip-test", local.name(), "tenants");
    }

    /** The host pid of the tenant's dockerd, from its pid file. */
    long dockerdPid(String tenant) {
        try {
            return Long.parseLong(java.nio.file.Files.readString(tenantsDir().resolve(tenant).resolve("docker.pid"))
                                          .strip());
        } catch (java.io.IOException e) {
            throw new AssertionError("no pid file for " + tenant, e);
        }
    }

    /** Deletes a tenant's engine and everything it had (through vm-service's gRPC API). */
    void delete(String tenantId) {
        VmServiceGrpc.newBlockingStub(statusChannel).withDeadlineAfter(60, TimeUnit.SECONDS)
                .delete(cx.wip.proto.vm.v1.DeleteRequest.newBuilder().setTenantId(tenantId).build());
    }

    /** Ensures a tenant's engine as a gateway does (through vm-service's gRPC API). */
    void ensure(String tenantId, String plan) {
        VmServiceGrpc.newBlockingStub(statusChannel).withDeadlineAfter(60, TimeUnit.SECONDS)
                .ensureEndpoint(cx.wip.proto.vm.v1.EnsureEndpointRequest.newBuilder().setTenantId(tenantId)
                                        .setPlan(plan).build());
    }

    /** Stops a tenant's engine, keeping its data (through vm-service's gRPC API). */
    void stopTenant(String tenantId) {
        VmServiceGrpc.newBlockingStub(statusChannel).withDeadlineAfter(60, TimeUnit.SECONDS)
                .stop(cx.wip.proto.vm.v1.StopRequest.newBuilder().setTenantId(tenantId).build());
    }

    /** What vm-service recorded about a tenant (through its gRPC API). */
    TenantRecord status(String tenantId) {
        return VmServiceGrpc.newBlockingStub(statusChannel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .status(StatusRequest.newBuilder().setTenantId(tenantId).build()).getRecord();
    }

    /** Stops one running part (a vm-service "process" going away). */
    void stop(AutoCloseable part) throws Exception {
        running.remove(part);
        part.close();
    }

    @Override
    public void close() {
        for (AutoCloseable part : running.reversed()) {
            try {
                part.close();
            } catch (Exception ignored) {
                // cleanup goes on
            }
        }
        statusChannel.shutdownNow();
        ((LocalBackend) new LocalBackendProvider().create(local.backendConfig())).teardown();
        local.removeRoots();
        redis.close();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
