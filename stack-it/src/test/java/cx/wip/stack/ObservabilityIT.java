package cx.wip.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import cx.wip.testing.Run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Observability of the whole suite, as processes from the built jars: one Docker API request with the client's
 * {@code X-Request-Id} and a tenant's bearer token is echoed, logged as JSON under that request id and the tenant
 * by the gateway, auth, vm, policy and ingress, and counted in each service's {@code /observe/metrics}; neither
 * logs nor metrics ever show the token.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObservabilityIT {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path dir;
    private ReplicatedSuite suite;
    private Tenant tenant;

    @BeforeAll
    void start() throws IOException {
        dir = Files.createDirectories(Path.of("target", "observability-" + RUN).toAbsolutePath());
        suite = new ReplicatedSuite(dir);
        suite.start(1, 1, 1);
        tenant = suite.createTenant("obs" + RUN);
    }

    @AfterAll
    void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    void oneRequest_isEchoedLoggedByEveryServiceUnderItsId_andCounted_withoutTheToken() throws Exception {
        String requestId = "obs-" + RUN;
        String created = curlCreate(requestId, "{\"Image\":\"wip-test/busybox:latest\",\"Cmd\":[\"true\"],"
                + "\"Labels\":{\"com.wip.http\":\"web:80\"}}");
        String denied = curlCreate(requestId + "-deny", "{\"Image\":\"wip-test/busybox:latest\","
                + "\"HostConfig\":{\"Privileged\":true}}");

        assertThat(created).startsWith("HTTP/1.1 201").containsIgnoringCase("x-request-id: " + requestId + "\r\n");
        assertThat(denied).startsWith("HTTP/1.1 403")
                .containsIgnoringCase("x-request-id: " + requestId + "-deny\r\n");
        assertThat(Run.of("curl", "-sS", "-i", "--max-time", "30", "-H", "Authorization: Bearer " + tenant.token(),
                          "-H", "X-Request-Id: forged\" id", "http://127.0.0.1:" + suite.gateways.getFirst().port()
                                  + "/_ping").timeout(Duration.ofSeconds(40)).call().expectSuccess().out())
                .as("an id that is not 1-64 of [A-Za-z0-9._-] is replaced by a fresh one")
                .containsPattern("(?i)x-request-id: [0-9a-f]{32}\r\n");
        await("every service logged the request under its id and tenant").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    for (String service : List.of("gateway1", "auth", "vm1", "policy", "ingress1")) {
                        assertThat(jsonLinesOf(service, requestId)).as(service + " log lines of " + requestId)
                                .isNotEmpty()
                                .allSatisfy(line -> assertThat(line.path("tenant").asText()).isEqualTo(tenant.id()));
                    }
                });

        Map<String, String> metrics = Map.of(
                "gateway", metrics(logPort("gateway1", "admin on 127\\.0\\.0\\.1:(\\d+)")),
                "auth", metrics(logPort("auth", "Authenticate on [0-9.]+:(\\d+)")),
                "policy", metrics(logPort("policy", "policy-service listening on port (\\d+)")),
                "vm", metrics(suite.vms.getFirst().port()),
                "ingress", metrics(suite.ingresses.getFirst().port()));
        assertThat(metrics.get("gateway"))
                .containsPattern(family("wip_gateway_requests_total", "route=\"container.create\"", "status=\"2xx\""))
                .containsPattern(family("wip_gateway_requests_total", "route=\"container.create\"", "status=\"4xx\""));
        assertThat(metrics.get("auth"))
                .containsPattern(family("wip_auth_authentications_total", "method=\"bearer\"", "result=\"ok\""))
                .containsPattern(family("wip_grpc_server_requests_total", "code=\"OK\"", "method=\"Authenticate\""));
        assertThat(metrics.get("policy"))
                .containsPattern(family("wip_policy_reviews_total", "decision=\"allow\"",
                                        "operation=\"container_create\""))
                .containsPattern(family("wip_policy_reviews_total", "decision=\"deny\"",
                                        "operation=\"container_create\""))
                .containsPattern(family("wip_policy_denials_total", "rule=\"privileged\""))
                .containsPattern(family("wip_grpc_server_duration_seconds_count", "method=\"Review\""));
        assertThat(metrics.get("vm"))
                .containsPattern(family("wip_vm_ensure_total", "result=\"booted\""))
                .containsPattern(family("wip_vm_boots_total", "backend=\"local\"", "outcome=\"booted\""))
                .containsPattern(family("wip_vm_boot_seconds_count", "backend=\"local\""));
        await("ingress counted the route sync of the reported create").atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(metrics(suite.ingresses.getFirst().port()))
                        .containsPattern(family("wip_ingress_route_syncs_total", "outcome=\"ok\"",
                                                "provider=\"caddy\"")));

        metrics.forEach((service, text) -> assertThat(text).as(service + " metrics").doesNotContain(tenant.token()));
        try (Stream<Path> logs = Files.list(dir)) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                assertThat(Files.readString(log)).as(log.toString()).doesNotContain(tenant.token());
            }
        }
    }

    /** POST /containers/create through the gateway with curl: the raw head and body of the answer. */
    private String curlCreate(String requestId, String body) {
        return Run.of("curl", "-sS", "-i", "--max-time", "120", "-X", "POST",
                      "-H", "Authorization: Bearer " + tenant.token(), "-H", "X-Request-Id: " + requestId,
                      "-H", "Content-Type: application/json", "--data", body,
                      "http://127.0.0.1:" + suite.gateways.getFirst().port() + "/v1.41/containers/create")
                .timeout(Duration.ofSeconds(150)).call().expectSuccess().out();
    }

    /** The JSON log lines of a service (log file {@code NAME.log}) written under the request id. */
    private List<JsonNode> jsonLinesOf(String service, String requestId) throws IOException {
        return Files.readAllLines(dir.resolve(service + ".log")).stream()
                .filter(line -> line.startsWith("{") && line.contains(requestId))
                .map(ObservabilityIT::parse)
                .filter(json -> requestId.equals(json.path("request_id").asText()))
                .toList();
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON line: " + line, e);
        }
    }

    /** A port a service printed in its start line (services started on free ports say where they listen). */
    private int logPort(String service, String regex) throws IOException {
        Matcher port = Pattern.compile(regex).matcher(Files.readString(dir.resolve(service + ".log")));
        assertThat(port.find()).as(service + " start line with " + regex).isTrue();
        return Integer.parseInt(port.group(1));
    }

    private static String metrics(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/observe/metrics"))
                .header("Accept", "text/plain").timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("metrics on port " + port).isEqualTo(200);
        return response.body();
    }

    /** A Prometheus sample of the family whose labels include all given pairs, with a value of at least 1. */
    private static Pattern family(String name, String... labels) {
        StringBuilder regex = new StringBuilder("(?m)^").append(Pattern.quote(name)).append("\\{");
        for (String label : labels) {
            regex.append("(?=[^}]*").append(Pattern.quote(label)).append(")");
        }
        return Pattern.compile(regex.append("[^}]*\\} [1-9][0-9.Ee+]*$").toString());
    }
}
