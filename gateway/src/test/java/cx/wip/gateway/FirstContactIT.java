package cx.wip.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import cx.wip.docker.DaemonAddress;
import cx.wip.gateway.endpoint.EndpointResolver;
import cx.wip.gateway.endpoint.VmEndpointResolver;
import cx.wip.gateway.identity.Tenant;
import cx.wip.testing.DockerCli;
import cx.wip.testing.Run;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant's first contact while its daemon boots past the deadline: the CLI's {@code _ping} fails with 503, and the
 * CLI negotiates its API version from that answer. Without the platform's API version on the failed ping the CLI 28
 * falls back to its own newest version (1.50+) and the 20.10 daemon refuses every later call ("client version 1.50
 * is too new").
 */
class FirstContactIT {
    private static final DaemonAddress HOST = DaemonAddress.parse("unix:///var/run/docker.sock");

    private final AtomicInteger failNext = new AtomicInteger();
    private Path work;
    private GatewayServer gateway;

    @BeforeEach
    void start() throws Exception {
        work = Files.createTempDirectory("wip-first-contact");
        EndpointResolver booting = new EndpointResolver() {
            @Override
            public DaemonAddress endpoint(Tenant tenant) {
                if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw new GatewayException(503, VmEndpointResolver.STILL_STARTING);
                }
                return HOST;
            }
        };
        GatewayConfig config = new GatewayConfig("127.0.0.1", 0, Optional.empty(), Optional.empty(), 0, HOST,
                Optional.empty(), Duration.ofSeconds(2), 16, Duration.ofSeconds(2));
        gateway = GatewayServer.builder().config(config).endpoints(booting).build().start();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void aFailedPingStillTellsTheCliWhichApiVersionToSpeak() throws Exception {
        String platformVersion = ping().headers().firstValue("API-Version").orElseThrow();
        // the boot outlasts the CLI's two pings (HEAD, then GET) of its first contact and the first call after them;
        // a CLI that negotiated nothing pings twice more, and by its call the daemon is up
        failNext.set(4);

        Run.Result first = DockerCli.at("tcp://127.0.0.1:" + gateway.port(), work).docker("ps", "-q").call();

        assertThat(first.exitCode()).isNotZero();
        assertThat(first.err()).contains(VmEndpointResolver.STILL_STARTING).doesNotContain("too new");
        Run.Result retry = DockerCli.at("tcp://127.0.0.1:" + gateway.port(), work).docker("ps", "-q").call();
        assertThat(retry.exitCode()).as(retry.err()).isZero();
        assertThat(platformVersion).isEqualTo(DockerCli.at(HOST.toString(), work)
                .docker("version", "--format", "{{.Server.APIVersion}}").call().expectSuccess().out().strip());
    }

    @Test
    void aFailedPingBeforeAnyDaemonAnsweredIsThePlain503() throws Exception {
        failNext.set(1);

        HttpResponse<String> ping = ping();

        assertThat(ping.statusCode()).isEqualTo(503);
        assertThat(ping.body()).contains(VmEndpointResolver.STILL_STARTING);
        assertThat(ping.headers().firstValue("API-Version")).isEmpty();
    }

    private HttpResponse<String> ping() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/_ping")).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
