package cx.wip.stack;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No Traefik binary or package exists on the build hosts, so compose.yaml's Traefik is never started by a test (the
 * stack test runs Caddy instead). What can be checked offline is checked here: the static and dynamic configuration
 * in {@code deploy/traefik/} say what the operator guide promises, and agree with what compose.yaml mounts and
 * publishes, with what ingress-service writes into Redis, and with the port the gateway terminates mTLS on.
 */
class TraefikConfigTest {
    private static final Path ROOT = Stack.root();

    private final Map<String, Object> traefik = yaml("deploy/traefik/traefik.yaml");
    private final Map<String, Object> dynamic = yaml("deploy/traefik/dynamic.yaml");
    private final Map<String, Object> compose = yaml("compose.yaml");
    private final Map<String, Object> composeCaddy = yaml("deploy/compose.caddy.yaml");
    private final Map<String, Object> gateway = yaml("gateway/src/main/resources/application.yaml");
    private final Map<String, Object> ingress = yaml("ingress-service/src/main/resources/application.yaml");
    private final Map<String, Object> vm = yaml("vm-service/src/main/resources/application.yaml");

    @Test
    void entryPoints_httpRedirectsToHttps_httpsServesRoutes_dockerApiStreamsWithoutTimeout() {
        assertThat(at(traefik, "entryPoints.web.address")).isEqualTo(":80");
        assertThat(at(traefik, "entryPoints.web.http.redirections.entryPoint.to")).isEqualTo("websecure");
        assertThat(at(traefik, "entryPoints.web.http.redirections.entryPoint.scheme")).isEqualTo("https");
        assertThat(at(traefik, "entryPoints.websecure.address")).isEqualTo(":443");
        assertThat(at(traefik, "entryPoints.docker.address")).isEqualTo(":2376");
        // logs -f, events, attach: a read or idle timeout would cut a stream that is quiet for a while
        assertThat(at(traefik, "entryPoints.docker.transport.respondingTimeouts.readTimeout")).isEqualTo("0s");
        assertThat(at(traefik, "entryPoints.docker.transport.respondingTimeouts.idleTimeout")).isEqualTo("0s");
        assertThat(list(compose, "services.traefik.ports")).containsExactlyInAnyOrder("80:80", "443:443",
                                                                                    "2376:2376");
    }

    @Test
    void dockerApi_isOneTcpRouterPassingTlsThrough_toTheGatewaysMtlsPort() {
        assertThat(at(dynamic, "tcp.routers.docker-api.entryPoints")).isEqualTo(List.of("docker"));
        assertThat(at(dynamic, "tcp.routers.docker-api.rule")).isEqualTo("HostSNI(`*`)");
        // passthrough: the gateway terminates TLS itself, so it sees the tenant's client certificate
        assertThat(at(dynamic, "tcp.routers.docker-api.tls.passthrough")).isEqualTo(true);
        assertThat(at(dynamic, "tcp.routers.docker-api.service")).isEqualTo("gateways");
        List<Object> servers = list(dynamic, "tcp.services.gateways.loadBalancer.servers");
        assertThat(servers).hasSize(1);
        assertThat(at(asMap(servers.getFirst()), "address"))
                .isEqualTo("gateway:" + at(gateway, "gateway.tls.port"));
        assertThat(at(compose, "services.gateway.environment.GATEWAY_TLS_CERT")).isNotNull();
        assertThat(at(compose, "services.gateway.environment.GATEWAY_TLS_CLIENT_DASH_CA")).isNotNull();
        // the dynamic file is where the file provider looks, as compose.yaml mounts it
        assertThat(at(traefik, "providers.file.directory")).isEqualTo("/etc/traefik/dynamic");
        assertThat(list(compose, "services.traefik.volumes"))
                .contains("./deploy/traefik/dynamic.yaml:/etc/traefik/dynamic/dynamic.yaml:ro");
    }

    @Test
    void dockerApi_tellsTheGatewayEachClientsAddress_byProxyProtocolV2() {
        // the gateway throttles failed logins per client address: behind passthrough that is Traefik's, unless
        // Traefik sends the PROXY header and the gateway's TLS listener reads it (both sides, or no connection works)
        assertThat(at(dynamic, "tcp.services.gateways.loadBalancer.proxyProtocol.version")).isEqualTo(2);
        assertThat(at(compose, "services.gateway.environment.GATEWAY_TLS_PROXY_DASH_PROTOCOL")).isEqualTo("true");
        assertThat(at(gateway, "gateway.tls.proxy-protocol")).as("off by default: direct clients").isEqualTo(false);
        // the Caddy variant publishes the gateway's :2376 itself: clients connect without a PROXY header
        assertThat(at(composeCaddy, "services.gateway.environment.GATEWAY_TLS_PROXY_DASH_PROTOCOL"))
                .isEqualTo("false");
    }

    @Test
    void redisProvider_readsTheTreeIngressServiceWrites() {
        String uri = (String) at(compose, "services.ingress-service.environment.INGRESS_TRAEFIK_REDIS_DASH_URI");
        assertThat(uri).isEqualTo("redis://" + list(traefik, "providers.redis.endpoints").getFirst() + "/"
                                  + at(traefik, "providers.redis.db"));
        // its own database: Traefik re-reads every key under its root on every change
        assertThat(at(traefik, "providers.redis.db")).isNotEqualTo(0);
        assertThat(at(traefik, "providers.redis.rootKey")).isEqualTo("traefik");   // ingress.traefik.root-key default
        assertThat(at(compose, "services.ingress-service.environment.INGRESS_BACKEND"))
                .isEqualTo("${WIP_INGRESS_BACKEND:-traefik}");
        assertThat(at(compose, "services.ingress-service.environment.INGRESS_TRAEFIK_ENTRYPOINT"))
                .isEqualTo("websecure");
        assertThat(at(traefik, "entryPoints.websecure")).isNotNull();
    }

    @Test
    void acmeResolver_answersHttpChallengesOnPort80_andKeepsItsAccountInAVolume() {
        String resolver = (String) at(compose, "services.ingress-service.environment.INGRESS_TRAEFIK_CERT_DASH_RESOLVER");
        assertThat(resolver).isEqualTo("le");
        assertThat(at(traefik, "certificatesResolvers." + resolver + ".acme.httpChallenge.entryPoint")).isEqualTo("web");
        assertThat(at(traefik, "certificatesResolvers." + resolver + ".acme.storage")).isEqualTo("/letsencrypt/acme.json");
        assertThat(list(compose, "services.traefik.volumes")).contains("letsencrypt:/letsencrypt");
        assertThat(at(compose, "volumes")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsKey("letsencrypt");
        // the account e-mail comes from the operator's environment, not from the repository
        assertThat(at(traefik, "certificatesResolvers." + resolver + ".acme.email")).isNull();
        assertThat(at(compose, "services.traefik.environment.TRAEFIK_CERTIFICATESRESOLVERS_LE_ACME_EMAIL"))
                .isEqualTo("${WIP_ACME_EMAIL:-ops@wip.example}");
    }

    @Test
    void traefikHasAHealthCheck_andStartsAfterRedis() {
        assertThat(at(traefik, "ping")).isNotNull();
        assertThat(list(compose, "services.traefik.healthcheck.test")).containsExactly("CMD", "traefik", "healthcheck",
                                                                                      "--ping");
        assertThat(at(compose, "services.traefik.depends_on.redis.condition")).isEqualTo("service_healthy");
        assertThat(list(compose, "services.traefik.command")).containsExactly("--configFile=/etc/traefik/traefik.yaml");
        assertThat(list(compose, "services.traefik.volumes"))
                .contains("./deploy/traefik/traefik.yaml:/etc/traefik/traefik.yaml:ro");
    }

    @Test
    void sleepingEngines_hitsReachTheWaker_andTraefiksAccessLogReachesIngress() {
        Map<String, Object> env = asMap(at(compose, "services.ingress-service.environment"));
        // ingress-service asks vm-service to wake engines: the port vm-service serves gRPC on
        assertThat(env.get("INGRESS_VM_ADDRESS")).isEqualTo("vm-service:" + at(vm, "server.port"));
        // every route fails over to the waker (ingress-service writes the failover into Redis with this address):
        // it listens on the wip network at the port Traefik and Caddy are told to dial
        assertThat(env.get("INGRESS_WAKE_HOST")).isEqualTo("0.0.0.0");
        assertThat(env.get("INGRESS_WAKE_UPSTREAM")).isEqualTo("ingress-service:" + at(ingress, "ingress.wake.port"));
        assertThat(env.get("INGRESS_HITS_ADDRESS")).isEqualTo("ingress-service:" + at(ingress, "ingress.hits.port"));
        assertThat(at(compose, "services.ingress-service.ports")).as("the waker is never published").isNull();
        // HTTP hits: Traefik writes its JSON access log to a volume that ingress-service reads
        assertThat(at(traefik, "accessLog.format")).isEqualTo("json");
        String file = (String) at(traefik, "accessLog.filePath");
        assertThat(env.get("INGRESS_HITS_FILE")).isEqualTo(file);
        String dir = file.substring(0, file.lastIndexOf('/'));
        assertThat(list(compose, "services.traefik.volumes")).contains("traefik-logs:" + dir);
        assertThat(list(compose, "services.ingress-service.volumes")).contains("traefik-logs:" + dir + ":ro");
        assertThat(at(compose, "volumes")).asInstanceOf(InstanceOfAssertFactories.MAP).containsKey("traefik-logs");
        // cookies and authorization headers stay out of a log other services read
        assertThat(at(traefik, "accessLog.fields.headers.defaultMode")).isEqualTo("drop");
    }

    private static Map<String, Object> yaml(String path) {
        try (Reader reader = Files.newBufferedReader(ROOT.resolve(path))) {
            return new Yaml().load(reader);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + path, e);
        }
    }

    /** The value at a dotted path, or null when any step is missing. */
    private static Object at(Map<String, Object> tree, String path) {
        Object node = tree;
        for (String key : path.split("\\.")) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(key);
        }
        return node;
    }

    private static List<Object> list(Map<String, Object> tree, String path) {
        Object value = at(tree, path);
        assertThat(value).as(path).isInstanceOf(List.class);
        return List.copyOf((List<?>) value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }
}
