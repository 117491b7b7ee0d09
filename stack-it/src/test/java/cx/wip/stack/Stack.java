package cx.wip.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import cx.wip.testing.Run;

/** What the stack tests share: where the repository is, the host's facts they need, the tenant's app and curl. */
final class Stack {
    private Stack() {
    }

    /** The repository root (failsafe passes {@code wip.root}). */
    static Path root() {
        return Path.of(System.getProperty("wip.root", "..")).toAbsolutePath().normalize();
    }

    /** The JDK running the tests (21+, with jlink): it also runs wipctl and builds the base image. */
    static String javaHome() {
        return System.getProperty("java.home");
    }

    /** Copies a test resource to {@code dir} (compose needs a file). */
    static Path resource(String name, Path dir) {
        Path target = dir.resolve(name);
        try (InputStream in = Stack.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            Files.copy(in, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The host's address on dockerd's default bridge: containers reach ports published on the host there. */
    static String hostBridgeAddress() {
        try {
            NetworkInterface docker0 = NetworkInterface.getByName("docker0");
            if (docker0 == null) {
                throw new IllegalStateException("no docker0 bridge on this host");
            }
            return docker0.inetAddresses().filter(Inet4Address.class::isInstance).findFirst()
                    .orElseThrow(() -> new IllegalStateException("docker0 has no IPv4 address")).getHostAddress();
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A whole vm-service configuration with the static backend: one tenant, on the host dockerd. */
    static String staticVmConfig(String tenantId, String publicAddress) {
        return """
                server: {host: 0.0.0.0, port: 9102}
                vm:
                  backend: static
                  redis: {uri: "redis://redis:6379/0", key-prefix: "wip:vm:"}
                  default-plan: free
                  plans:
                    free: {memory: 1g, cpus: 1, idle-after: PT15M}
                  backends:
                    static:
                      tenants:
                        "%s": {docker: "unix:///var/run/docker.sock", public: "%s"}
                """.formatted(tenantId, publicAddress);
    }

    /** A tenant's compose project: busybox httpd serving "page-of-web", published, labelled for a public route. */
    static Path webApp(Path parent, String name) throws IOException {
        Path project = Files.createDirectories(parent.resolve(name));
        Files.writeString(project.resolve("docker-compose.yml"), """
                version: "2.4"
                services:
                  web:
                    image: wip-test/busybox:latest
                    command: ["sh", "-c", "mkdir -p /www && echo page-of-web > /www/index.html && exec httpd -f -p 80 -h /www"]
                    ports: ["80"]
                    labels:
                      com.wip.http: "web:80"
                """);
        return project;
    }

    /** GET https://HOST/ through the stack's Caddy with curl, verified against Caddy's own root certificate. */
    static String httpsGet(ComposeStack stack, String host, int port, Path caddyRoot) throws IOException {
        if (!Files.exists(caddyRoot)) {
            String pem = stack.ok(Duration.ofSeconds(20), "exec", "-T", "caddy", "cat",
                                  "/data/caddy/pki/authorities/local/root.crt").out();
            Files.writeString(caddyRoot, pem);
        }
        return Run.of("curl", "-sS", "--max-time", "5", "--resolve", host + ":" + port + ":127.0.0.1",
                      "--cacert", caddyRoot.toString(), "https://" + host + ":" + port + "/")
                .timeout(Duration.ofSeconds(10)).call().expectSuccess().out();
    }

    /** The host port of replica {@code index} (1-based) of a scaled service. */
    static int indexedPort(ComposeStack stack, String service, int index, int containerPort) {
        String out = stack.ok(Duration.ofSeconds(30), "port", "--index=" + index, service,
                              Integer.toString(containerPort)).out().trim();
        return Integer.parseInt(out.substring(out.lastIndexOf(':') + 1));
    }
}
