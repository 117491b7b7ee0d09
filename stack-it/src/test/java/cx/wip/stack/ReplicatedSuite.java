package cx.wip.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import cx.wip.proto.auth.v1.AuthAdminServiceGrpc;
import cx.wip.proto.auth.v1.CreateTenantRequest;
import cx.wip.proto.auth.v1.CredentialKind;
import cx.wip.proto.auth.v1.IssueCredentialRequest;
import cx.wip.proto.auth.v1.TenantRef;
import cx.wip.proto.vm.v1.StatusRequest;
import cx.wip.proto.vm.v1.TenantRecord;
import cx.wip.proto.vm.v1.VmServiceGrpc;
import cx.wip.vm.backend.local.LocalBackend;
import cx.wip.vm.backend.local.LocalBackendProvider;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;

/**
 * The suite as replicated processes from the built jars, on one Redis of its own: 3 gateways, 2 vm-services (local
 * backend, on a bridge and subnet of their own), 2 ingress-services driving one Caddy, one auth-service and one
 * policy-service. vm-service and ingress-service replicas sit behind HAProxy in TCP mode (health-checked), the way
 * any TCP load balancer or compose's service DNS puts them behind one address for the gateways; Caddy's on-demand
 * TLS question goes to the ingress replicas' {@code ask} endpoints the same way.
 */
final class ReplicatedSuite implements AutoCloseable {
    static final String DOMAIN = "wip.localhost";

    private final Path dir;
    private final Path root = Stack.root();
    private final String name = "ws" + Integer.toHexString(0x10000 + ThreadLocalRandom.current().nextInt(0xeffff));
    private final String subnet = cx.wip.testing.Subnets.free();
    private final List<ServiceProcess> processes = new ArrayList<>();
    private final int redisPort = freePort();
    private final int caddyAdmin = freePort();
    private final int https = freePort();
    private final int authPort = freePort();
    private final int authAdmin = freePort();
    private final int policyPort = freePort();
    private final int vmBalancer = freePort();
    private final int ingressBalancer = freePort();
    private final int askBalancer = freePort();
    private final List<Integer> askPorts = new ArrayList<>();
    final List<Replica> vms = new ArrayList<>();
    final List<Replica> ingresses = new ArrayList<>();
    final List<Replica> gateways = new ArrayList<>();

    /** A started replica and the port clients use. */
    record Replica(ServiceProcess process, int port) {
    }

    private Sleep sleep;
    private final int wakePort = freePort();
    private final int hitsPort = freePort();

    /**
     * Engines of plan free sleep with their apps after {@code idleAfter}, frozen for {@code frozenFor} before their
     * engine stops; ingress wakes them on a hit (its waker and Caddy's hit log on ports of their own).
     */
    record Sleep(Duration idleAfter, Duration frozenFor) {
    }

    ReplicatedSuite(Path dir) {
        this.dir = dir;
    }

    /** Call before {@link #start}: engines sleep when idle, and HTTP hits wake them. */
    ReplicatedSuite sleeping(Sleep sleep) {
        this.sleep = sleep;
        return this;
    }

    /** Starts everything; {@link #close()} stops what did start even when this fails half-way. */
    void start(int gatewayCount, int vmCount, int ingressCount) {
        for (int i = 0; i < vmCount; i++) {
            vms.add(new Replica(null, freePort()));
        }
        for (int i = 0; i < ingressCount; i++) {
            ingresses.add(new Replica(null, freePort()));
            askPorts.add(freePort());
        }
        start(ServiceProcess.start("redis", List.of("redis-server", "--port", Integer.toString(redisPort), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()), Map.of(), dir));
        startCaddy();
        startBalancer();
        // every JVM of a tier starts at once (they only need Redis, or the tier before): the start takes the
        // slowest replica's time, not the sum
        Map<ServiceProcess, String> starting = new LinkedHashMap<>();
        starting.put(start(ServiceProcess.java("auth", jar("auth-service/target/wip-auth-service.jar"), Map.of(
                "auth.host", "127.0.0.1", "auth.port", Integer.toString(authPort),
                "auth.admin.host", "127.0.0.1", "auth.admin.port", Integer.toString(authAdmin),
                "auth.redis.uri", redis(0), "auth.redis.key-prefix", "wip:auth:",
                "auth.ca.dir", dir.resolve("ca").toString(),
                "auth.token-key-file", dir.resolve("auth/token-hmac.key").toString(),
                "auth.admin.token-file", adminTokenFile().toString()), dir)), health(authPort));
        starting.put(start(ServiceProcess.java("policy", jar("policy-service/target/wip-policy-service.jar"), Map.of(
                "policy.host", "127.0.0.1", "policy.port", Integer.toString(policyPort)), dir)), health(policyPort));
        for (int i = 0; i < vmCount; i++) {
            vms.set(i, startVm(i + 1, vms.get(i).port()));
            starting.put(vms.get(i).process(), health(vms.get(i).port()));
        }
        for (int i = 0; i < ingressCount; i++) {
            ingresses.set(i, startIngress(i + 1, ingresses.get(i).port()));
            starting.put(ingresses.get(i).process(), health(ingresses.get(i).port()));
        }
        starting.forEach(ServiceProcess::awaitHealthy);
        starting.clear();
        for (int i = 0; i < gatewayCount; i++) {
            int admin = freePort();
            gateways.add(startGateway(i + 1, admin));
            starting.put(gateways.get(i).process(), health(admin));
        }
        starting.forEach(ServiceProcess::awaitHealthy);
    }

    private ServiceProcess start(ServiceProcess process) {
        processes.add(process);
        return process;
    }

    private Path jar(String path) {
        return root.resolve(path);
    }

    private String redis(int db) {
        return "redis://127.0.0.1:" + redisPort + "/" + db;
    }

    private static String health(int port) {
        return "http://127.0.0.1:" + port + "/observe/health";
    }

    private void startCaddy() {
        Path config = dir.resolve("caddy.json");
        write(config, "{\"admin\":{\"listen\":\"127.0.0.1:" + caddyAdmin + "\"}}");
        start(ServiceProcess.start("caddy", List.of("caddy", "run", "--config", config.toString()),
                Map.of("XDG_DATA_HOME", dir.resolve("caddy-data").toString(),
                       "XDG_CONFIG_HOME", dir.resolve("caddy-config").toString(), "HOME", dir.toString()), dir)
                      .awaitHealthy("http://127.0.0.1:" + caddyAdmin + "/config/"));
    }

    /** HAProxy, TCP mode: one address for the vm-services and one for the ingress-services; dead replicas drop out. */
    private void startBalancer() {
        StringBuilder cfg = new StringBuilder("""
                defaults
                  mode tcp
                  timeout connect 1s
                  timeout client 1h
                  timeout server 1h
                  retries 3
                  option redispatch
                """);
        balance(cfg, "vm", vmBalancer, vms.stream().map(Replica::port).toList());
        balance(cfg, "ingress", ingressBalancer, ingresses.stream().map(Replica::port).toList());
        balance(cfg, "ask", askBalancer, askPorts);
        Path file = dir.resolve("haproxy.cfg");
        write(file, cfg.toString());
        start(ServiceProcess.start("haproxy", List.of("haproxy", "-db", "-f", file.toString()), Map.of(), dir));
    }

    private static void balance(StringBuilder cfg, String name, int port, List<Integer> replicas) {
        cfg.append("listen ").append(name).append("\n  bind 127.0.0.1:").append(port).append("\n  balance roundrobin\n");
        for (int i = 0; i < replicas.size(); i++) {
            cfg.append("  server ").append(name).append(i + 1).append(" 127.0.0.1:").append(replicas.get(i))
                    .append(" check inter 300ms fall 1 rise 2\n");
        }
    }

    private Map<String, String> localBackend(String prefix) {
        Map<String, String> local = new HashMap<>();
        local.put(prefix + "state-dir", "/run/wip-test/" + name + "/tenants");
        local.put(prefix + "data-dir", "/var/lib/wip-test/" + name + "/tenants");
        local.put(prefix + "bridge", name);
        local.put(prefix + "subnet", subnet);
        local.put(prefix + "name-prefix", name);
        local.put(prefix + "ready-timeout", "PT60S");
        local.put(prefix + "shutdown-timeout", "PT2S");
        local.put(prefix + "seed.images.0", "wip-test/busybox:latest");
        return local;
    }

    private Replica startVm(int index, int port) {
        Map<String, String> properties = new HashMap<>(localBackend("vm.backends.local."));
        properties.putAll(Map.of(
                "server.host", "127.0.0.1", "server.port", Integer.toString(port),
                "vm.backend", "local", "vm.redis.uri", redis(0), "vm.redis.key-prefix", "wip:vm:",
                "vm.lease-ttl", "PT10S", "vm.default-plan", "free",
                "vm.plans.free.memory", "512m", "vm.plans.free.cpus", "1", "vm.plans.free.idle-after", "PT30M"));
        properties.put("vm.policy.address", ""); // plans from these properties
        properties.put("vm.pool.size", "0"); // replicas are SIGKILLed mid-traffic here; the pool has WarmPoolIT
        if (sleep != null) {
            properties.putAll(Map.of("vm.plans.free.idle-after", sleep.idleAfter().toString(),
                                     "vm.plans.free.sleep-with-apps", "true",
                                     "vm.sleep.frozen-for", sleep.frozenFor().toString(),
                                     "vm.idle-check-interval", "PT0.5S",
                                     "vm.ingress.address", "127.0.0.1:" + ingressBalancer));
        }
        return new Replica(start(ServiceProcess.java("vm" + index, jar("vm-service/target/wip-vm-service.jar"),
                properties, dir)), port);
    }

    /**
     * Caddy asks "may this host get a certificate?" through the balancer, as it does through compose's service name:
     * whichever replica loaded Caddy's config may be the one that dies.
     */
    private Replica startIngress(int index, int port) {
        int ask = askPorts.get(index - 1);
        Map<String, String> properties = new HashMap<>(Map.of(
                "server.host", "127.0.0.1", "server.port", Integer.toString(port),
                "server.sockets.0.name", "ask", "server.sockets.0.host", "127.0.0.1",
                "server.sockets.0.port", Integer.toString(ask),
                "ingress.base-domain", DOMAIN, "ingress.backend", "caddy",
                "ingress.redis.uri", redis(0), "ingress.redis.prefix", "wip:ingress:",
                "ingress.reconcile-interval", "PT2S"));
        properties.putAll(Map.of(
                "ingress.caddy.admin", "http://127.0.0.1:" + caddyAdmin,
                "ingress.caddy.listen", "127.0.0.1:" + https,
                "ingress.caddy.issuer", "internal",
                "ingress.caddy.automatic-https", "false",
                "ingress.caddy.ask-url", "http://127.0.0.1:" + askBalancer + "/ask"));
        if (sleep != null) {
            properties.putAll(Map.of(
                    "ingress.vm.address", "127.0.0.1:" + vmBalancer, "ingress.vm.report-interval", "PT1S",
                    "ingress.wake.port", Integer.toString(wakePort),
                    "ingress.wake.upstream", "127.0.0.1:" + wakePort,
                    "ingress.hits.port", Integer.toString(hitsPort),
                    "ingress.hits.address", "127.0.0.1:" + hitsPort));
        }
        return new Replica(start(ServiceProcess.java("ingress" + index,
                jar("ingress-service/target/wip-ingress-service.jar"), properties, dir)), port);
    }

    private Replica startGateway(int index, int admin) {
        int port = freePort();
        Map<String, String> properties = new HashMap<>(Map.of(
                "gateway.host", "127.0.0.1", "gateway.port", Integer.toString(port),
                "gateway.admin-port", Integer.toString(admin),
                "gateway.auth.address", "127.0.0.1:" + authPort,
                "gateway.policy.address", "127.0.0.1:" + policyPort,
                "gateway.vm.address", "127.0.0.1:" + vmBalancer,
                "gateway.ingress.address", "127.0.0.1:" + ingressBalancer,
                "gateway.vm.ensure-timeout", "PT90S"));
        properties.putAll(Map.of("gateway.auth.timeout", "PT10S", "gateway.policy.timeout", "PT10S",
                                 "gateway.ingress.timeout", "PT10S"));
        return new Replica(start(ServiceProcess.java("gateway" + index, jar("gateway/target/wip-gateway.jar"),
                properties, dir)), port);
    }

    /** The admin token auth-service writes on its first start. */
    private Path adminTokenFile() {
        return dir.resolve("admin/admin.token");
    }

    /** A tenant with a bearer token, through auth-service's admin API (with the admin token). */
    Tenant createTenant(String slug) {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", authAdmin).usePlaintext().build();
        try {
            Metadata adminToken = new Metadata();
            adminToken.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                           "Bearer " + Files.readString(adminTokenFile()).strip());
            var admin = AuthAdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(adminToken));
            String id = admin.createTenant(CreateTenantRequest.newBuilder().setSlug(slug).setPlan("free").build())
                    .getTenant().getId();
            String token = admin.issueCredential(IssueCredentialRequest.newBuilder()
                    .setTenant(TenantRef.newBuilder().setIdOrSlug(id)).setKind(CredentialKind.TOKEN)
                    .setLabel("scale-out test").build()).getToken();
            return new Tenant(id, slug, token);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            channel.shutdownNow();
        }
    }

    /** What one vm-service replica (by its own port) recorded about a tenant. */
    TenantRecord status(int vmPort, String tenantId) {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", vmPort).usePlaintext().build();
        try {
            return VmServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .status(StatusRequest.newBuilder().setTenantId(tenantId).build()).getRecord();
        } finally {
            channel.shutdownNow();
        }
    }

    int vmBalancer() {
        return vmBalancer;
    }

    int caddyAdmin() {
        return caddyAdmin;
    }

    /** The host pid of the tenant's dockerd as its pid file says (0 when it has none). */
    long dockerdPid(String tenantId) {
        try {
            return Long.parseLong(Files.readString(Path.of("/run/wip-test", name, "tenants", tenantId, "docker.pid"))
                                          .strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** Where the ingress waker listens (with {@link #sleeping}): routes of asleep tenants lead there. */
    int wakePort() {
        return wakePort;
    }

    int https() {
        return https;
    }

    /** The on-demand TLS {@code ask} port of ingress replica {@code index} (0-based): its own view of the routes. */
    int askPort(int index) {
        return askPorts.get(index);
    }

    /** The root certificate of Caddy's internal CA, which signs the routes' certificates (exists once one was issued). */
    Path caddyRoot() {
        return dir.resolve("caddy-data/caddy/pki/authorities/local/root.crt");
    }

    /** Stops every process, then removes the tenant daemons, namespaces, bridge and directories the vm-services made. */
    @Override
    public void close() {
        for (ServiceProcess process : processes.reversed()) {
            process.close();
        }
        ((LocalBackend) new LocalBackendProvider().create(Config.just(ConfigSources.create(localBackend(""))))).teardown();
        for (String path : List.of("/run/wip-test/" + name, "/var/lib/wip-test/" + name)) {
            Path.of(path).toFile().delete();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
