package cx.wip.vm.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import cx.wip.vm.backend.local.LocalBackend;
import cx.wip.vm.backend.local.LocalBackendProvider;
import cx.wip.vm.spi.TenantSpec;
import cx.wip.vm.testing.LocalFixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Review switched off: the docker CLI talks straight to tenant A's engine socket (no gateway, no policy) and tries the
 * classic escapes. Each is refused by the engine itself or runs in a container that writes no root-owned host file,
 * reads no secret (stand-in CA key and token key, mode 600 root, at paths the platform configures as hidden) and sees
 * nothing of tenant B (files, processes). Also: IPv6 is off in tenant namespaces, and the walls come back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainmentIT {
    private static final String BUSYBOX = "wip-test/busybox:latest";

    private final LocalFixture fixture = LocalFixture.random();
    private final String mark = Integer.toHexString(ThreadLocalRandom.current().nextInt() & 0x7fffffff);
    private final Path platform = Path.of("/var/lib/wip-test", fixture.name(), "platform");
    private final Path hostDockerPid = Path.of("/run/wip-test", fixture.name(), "host-docker.pid");
    private LocalBackend backend;
    private DockerCli a;
    private String tenantA;
    private String tenantB;
    private String secret;

    @BeforeAll
    void start() throws IOException {
        tenantA = fixture.name() + "-a";
        tenantB = fixture.name() + "-b";
        secret = "SECRET-" + mark;
        for (Path file : List.of(platform.resolve("ca/ca-key.pem"), platform.resolve("auth/token-hmac.key"))) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, secret);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        Files.createDirectories(hostDockerPid.getParent());
        Files.writeString(hostDockerPid, "1000");
        Map<String, String> properties = new HashMap<>(fixture.backendProperties(""));
        properties.put("containment.also-hidden.0", platform.toString());
        properties.put("containment.walls-interval", "PT3S");
        properties.put("containment.host-docker-pid-file", hostDockerPid.toString());
        backend = (LocalBackend) new LocalBackendProvider().create(Config.just(ConfigSources.create(properties)));
        a = DockerCli.direct(backend.ensureRunning(TenantSpec.unlimited(tenantA)).endpoint().dockerAddress());
        DockerCli b = DockerCli.direct(backend.ensureRunning(TenantSpec.unlimited(tenantB)).endpoint().dockerAddress());
        b.ok("run", "-d", "--name", "b-secret", "-v", "b-vol:/data", BUSYBOX, "sh", "-c",
             "echo " + secret + " > /data/f; sleep 600");
    }

    @AfterAll
    void stop() throws IOException {
        if (backend != null) {
            backend.teardown();
        }
        Commands.run("rm", "-rf", platform.toString(), hostDockerPid.toString());
        fixture.removeRoots();
    }

    @Test
    void theClassicEscapes_areRefusedByTheEngine_orContained() throws IOException {
        List<String> outcomes = new ArrayList<>();
        for (List<String> options : List.of(List.of("-v", "/:/host"),
                                            List.of("--mount", "type=bind,src=/,dst=/host"),
                                            List.of("--privileged", "-v", "/:/host"),
                                            List.of("--cap-add", "SYS_ADMIN", "-v", "/:/host"),
                                            List.of("--cap-add", "ALL", "--security-opt", "seccomp=unconfined",
                                                    "-v", "/:/host"),
                                            List.of("--pid", "host", "-v", "/:/host"),
                                            List.of("--network", "host", "-v", "/:/host"),
                                            List.of("--userns", "host", "-v", "/:/host"),
                                            List.of("--userns", "host", "--privileged", "-v", "/:/host"))) {
            List<String> run = new ArrayList<>(List.of("run", "--rm"));
            run.addAll(options);
            run.addAll(List.of(BUSYBOX, "sh", "-c", escapeScript()));
            DockerCli.Result result = a.run(run.toArray(String[]::new));
            String name = String.join(" ", options);
            if (!result.ok()) {
                assertThat(result.output()).as(name).contains("Error response from daemon");
                outcomes.add(name + " -> refused: " + result.output().lines().findFirst().orElse(""));
                continue;
            }
            // /host/tmp is the engine's private tmpfs: writing there touches nothing of the host
            assertThat(result.output().lines().filter(line -> line.startsWith("WROTE-"))).as(name)
                    .containsOnly("WROTE-TMP");
            assertThat(result.output().lines()).as(name)
                    .contains("SHADOW[]", "CA[]", "TOKEN[]", "B-DATA[]", "B-STATE[]", "HOST-DOCKER[]");
            // processes (ps, and every cmdline under the bound /proc): the tenant's own only, none of B's
            assertThat(result.output()).as(name).doesNotContain(secret, "/" + tenantB + "/docker.pid", "sleep 600");
            outcomes.add(name + " -> contained: " + result.output().lines().filter(l -> l.startsWith("ID"))
                    .findFirst().orElse(""));
        }
        for (String dir : List.of("/tmp", "/root", "/etc", "/usr")) {
            Path escape = Path.of(dir, "wip-escape-" + mark);
            assertThat(Files.exists(escape) && Files.getOwner(escape).getName().equals("root"))
                    .as("root-owned " + escape + " on the host").isFalse();
        }
        outcomes.forEach(outcome -> System.out.println("containment| " + outcome));
    }

    @Test
    void plugInInstalls_andTheHostNetworkInABuild_areRefusedByTheEngine() throws IOException {
        Path pluginDir = Files.createTempDirectory("wip-containment-plugin-");
        Files.createDirectories(pluginDir.resolve("rootfs"));
        Files.writeString(pluginDir.resolve("config.json"), """
                {"description": "escape", "entrypoint": ["/bin/sh"], "interface": {"types": ["docker.volumedriver/1.0"],
                 "socket": "x.sock"}, "mounts": [{"source": "/", "destination": "/host", "type": "bind",
                 "options": ["rbind"]}], "linux": {"capabilities": ["CAP_SYS_ADMIN"]}}
                """);
        DockerCli.Result plugin = a.run("plugin", "create", "wip-test/evil", pluginDir.toString());
        Commands.run("rm", "-rf", pluginDir.toString());
        Path context = Files.createTempDirectory("wip-containment-build-");
        Files.writeString(context.resolve("Dockerfile"), "FROM " + BUSYBOX + "\nRUN id\n");
        DockerCli.Result build = a.run("build", "--network", "host", context.toString());

        assertThat(plugin.ok()).isFalse();
        assertThat(plugin.output()).contains("plug-ins cannot be installed");
        assertThat(build.ok()).as(build.output()).isFalse();
        assertThat(build.output()).contains("cannot share the host's network namespace");
        Commands.run("rm", "-rf", context.toString());
    }

    @Test
    void eachTenant_hasItsOwnUserNamespaceRange_andIpv6IsOffInItsNamespace() {
        DockerCli b = DockerCli.direct("unix:///run/wip-test/" + fixture.name() + "/tenants/" + tenantB + "/docker.sock");
        String[] mapA = a.ok("run", "--rm", BUSYBOX, "cat", "/proc/self/uid_map").trim().split("\\s+");
        String[] mapB = b.ok("run", "--rm", BUSYBOX, "cat", "/proc/self/uid_map").trim().split("\\s+");

        assertThat(mapA[0]).isEqualTo("0");
        assertThat(Long.parseLong(mapA[1])).isGreaterThanOrEqualTo(1_000_000_000L);
        assertThat(mapA[2]).isEqualTo("65536");
        assertThat(Math.abs(Long.parseLong(mapA[1]) - Long.parseLong(mapB[1]))).isGreaterThanOrEqualTo(65536);
        assertThat(Commands.run("cat", "/etc/subuid").output()).contains(backend.remappedUser(tenantA).orElseThrow());
        assertThat(Commands.run("nsenter", "--net=/run/netns/" + backend.namespaceOf(tenantA), "--", "cat",
                                "/proc/sys/net/ipv6/conf/all/disable_ipv6").output()).isEqualTo("1");
        assertThat(Commands.run("ip", "-n", backend.namespaceOf(tenantA), "-6", "addr").output()).isEmpty();
    }

    @Test
    void theWalls_comeBackFirstInTheirChains_onTheTimer_andAtOnceWhenTheHostDockerdRestarts() throws IOException {
        String ours = "-A FORWARD -i " + fixture.name() + " -j WIP-" + fixture.name() + "-FWD";
        String foreign = "wipct" + mark.substring(0, 4);
        // what a restarting host dockerd does: its own jump inserted above ours
        Commands.ok("iptables", "-w", "-I", "FORWARD", "1", "-i", foreign, "-j", "RETURN");
        Commands.ok("iptables", "-w", "-D", "FORWARD", "-i", fixture.name(), "-j", "WIP-" + fixture.name() + "-FWD");
        try {
            await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(forwardRules().getFirst()).isEqualTo(ours));

            long before = backend.wallReassertions();
            Files.writeString(hostDockerPid, "2000");
            // the timer alone (3 s) re-asserts at most twice in 4 s; a host dockerd restart makes it every second
            await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    assertThat(backend.wallReassertions() - before).isGreaterThanOrEqualTo(3));
            assertThat(forwardRules().getFirst()).isEqualTo(ours);
            assertThat(forwardRules()).contains("-A FORWARD -i " + foreign + " -j RETURN");
        } finally {
            Commands.run("iptables", "-w", "-D", "FORWARD", "-i", foreign, "-j", "RETURN");
        }
    }

    private static List<String> forwardRules() {
        return Commands.ok("iptables", "-w", "-S", "FORWARD").lines().filter(l -> l.startsWith("-A ")).toList();
    }

    /** Tries to write as root, read secrets and see tenant B; prints markers the test reads. */
    private String escapeScript() {
        String b = tenantB;
        String dataB = "/var/lib/wip-test/" + fixture.name() + "/tenants/" + b;
        String stateB = "/run/wip-test/" + fixture.name() + "/tenants/" + b;
        return String.join("; ",
                "echo ID $(id -u) $(cat /proc/self/uid_map)",
                "touch /host/tmp/wip-escape-" + mark + " 2>/dev/null && echo WROTE-TMP",
                "touch /host/root/wip-escape-" + mark + " 2>/dev/null && echo WROTE-ROOT",
                "touch /host/etc/wip-escape-" + mark + " 2>/dev/null && echo WROTE-ETC",
                "touch /host/usr/wip-escape-" + mark + " 2>/dev/null && echo WROTE-USR",
                "echo SHADOW[$(cat /host/etc/shadow 2>/dev/null)]",
                "echo CA[$(cat /host" + platform + "/ca/ca-key.pem 2>/dev/null)]",
                "echo TOKEN[$(cat /host" + platform + "/auth/token-hmac.key 2>/dev/null)]",
                "echo B-DATA[$(ls -A /host" + dataB + " 2>/dev/null)]",
                "echo B-STATE[$(ls -A /host" + stateB + " 2>/dev/null)]",
                "echo HOST-DOCKER[$(ls /host/run/docker.sock /host/var/run/docker.sock 2>/dev/null)]",
                "ps -o pid,args 2>/dev/null | grep -v grep",
                "cat /host/proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' ' '",
                "true");
    }

    /** Host tools for the checks. */
    static final class Commands {
        record Result(int exit, String output) {
        }

        static Result run(String... command) {
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                process.getOutputStream().close();
                String output = new String(process.getInputStream().readAllBytes()).strip();
                return new Result(process.waitFor(), output);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        static String ok(String... command) {
            Result result = run(command);
            assertThat(result.exit()).as(String.join(" ", command) + ": " + result.output()).isZero();
            return result.output();
        }
    }
}
