package cx.wip.vm.e2e;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import cx.wip.gateway.GatewayServer;
import cx.wip.gateway.identity.Tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two tenants through the real gateway: each sees only its own things, and the network walls hold. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantIsolationIT {
    private static final String BUSYBOX = "wip-test/busybox:latest";

    private WipStack stack;
    private DockerCli a;
    private DockerCli b;
    private DockerCli small;
    private String webA;
    private String webB;
    private String addressA;
    private String addressB;

    @BeforeAll
    void start() {
        stack = new WipStack(Map.of("tenant-a", new Tenant("iso-a", "iso-a", "free"),
                                    "tenant-b", new Tenant("iso-b", "iso-b", "free"),
                                    "tenant-small", new Tenant("iso-small", "iso-small", "tiny")));
        stack.startVm(stack.vmPort());
        GatewayServer gateway = stack.startGateway(stack.vmPort(), Duration.ofSeconds(60));
        a = DockerCli.forTenant(gateway.port(), "tenant-a");
        b = DockerCli.forTenant(gateway.port(), "tenant-b");
        small = DockerCli.forTenant(gateway.port(), "tenant-small");
        webA = a.ok("run", "-d", "--name", "web", "-p", "80:80", BUSYBOX, "httpd", "-f", "-p", "80", "-h", "/etc");
        webB = b.ok("run", "-d", "--name", "web", "-p", "80:80", BUSYBOX, "httpd", "-f", "-p", "80", "-h", "/etc");
        addressA = stack.status("iso-a").getEndpoint().getPublicAddress();
        addressB = stack.status("iso-b").getEndpoint().getPublicAddress();
    }

    @AfterAll
    void stop() {
        stack.close();
    }

    @Test
    void eachTenant_seesOnlyItsOwnContainersImagesVolumesAndNetworks() {
        a.ok("volume", "create", "vol-a");
        b.ok("volume", "create", "vol-b");
        a.ok("network", "create", "net-a");
        b.ok("network", "create", "net-b");
        a.ok("tag", BUSYBOX, "only-a:1");

        assertThat(a.ok("ps", "-a", "-q", "--no-trunc")).contains(webA).doesNotContain(webB);
        assertThat(b.ok("ps", "-a", "-q", "--no-trunc")).contains(webB).doesNotContain(webA);
        assertThat(a.ok("volume", "ls", "-q")).contains("vol-a").doesNotContain("vol-b");
        assertThat(b.ok("volume", "ls", "-q")).contains("vol-b").doesNotContain("vol-a");
        assertThat(a.ok("network", "ls", "--format", "{{.Name}}")).contains("net-a").doesNotContain("net-b");
        assertThat(b.ok("images", "--format", "{{.Repository}}")).doesNotContain("only-a");
        DockerCli.Result inspectOther = a.run("container", "inspect", webB);
        assertThat(inspectOther.exit()).isNotZero();
        assertThat(inspectOther.output()).contains("No such container");
        for (String[] otherTenants : List.of(new String[] {"volume", "inspect", "vol-b"},
                                             new String[] {"network", "inspect", "net-b"},
                                             new String[] {"image", "inspect", "only-a:1"})) {
            DockerCli.Result inspect = (otherTenants[2].equals("only-a:1") ? b : a).run(otherTenants);
            assertThat(inspect.exit()).as(String.join(" ", otherTenants)).isNotZero();
            assertThat(inspect.output()).as(String.join(" ", otherTenants)).containsAnyOf("no such", "No such", "not found")
                    .doesNotContain("Mountpoint");
        }
    }

    @Test
    void bothTenants_publishPort80_andEachAnswersOnItsOwnAddress() throws Exception {
        assertThat(addressA).isNotEqualTo(addressB);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder().timeout(Duration.ofSeconds(5));
        for (String address : List.of(addressA, addressB)) {
            // 'docker run -d' returns once the container started, not once httpd listens: give it a moment
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .untilAsserted(() -> {
                        HttpResponse<String> passwd = http.send(
                                request.uri(URI.create("http://" + address + "/passwd")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(passwd.statusCode()).isEqualTo(200);
                        assertThat(passwd.body()).contains("root:x:0:0");
                    });
        }
    }

    @Test
    void fromInsideATenantContainer_otherTenantsAndThePlatformAreUnreachable_butItsOwnServicesAreNot()
            throws Exception {
        try (ServerSocket platformPort = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"))) {
            Thread.ofVirtual().start(() -> acceptForever(platformPort));
            int port = platformPort.getLocalPort();
            List<String> hostAddresses = hostAddresses();
            try (Socket control = new Socket(hostAddresses.getFirst(), port)) {
                assertThat(control.isConnected()).isTrue();
            }
            String ownWeb = a.ok("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "web");
            List<String> forbidden = new ArrayList<>(List.of(addressB + ":80", addressB + ":2375",
                                                             addressB + ":2376"));
            hostAddresses.forEach(host -> forbidden.add(host + ":" + port));
            hostAddresses.forEach(host -> forbidden.add(host + ":6379"));
            hostAddresses.forEach(host -> forbidden.add(host + ":" + stack.vmPort()));

            String probes = a.ok("run", "--rm", BUSYBOX, "sh", "-c", probeScript(ownWeb + ":80", forbidden));

            assertThat(probes).contains(ownWeb + ":80 OPEN");
            for (String target : forbidden) {
                assertThat(probes).as(target).contains(target + " CLOSED");
            }
        }
    }

    @Test
    void thePlansLimits_applyToAllOfATenantsContainers() throws IOException {
        Path memory = Path.of("/sys/fs/cgroup/memory", stack.local().name(), "iso-a", "memory.limit_in_bytes");

        assertThat(Files.readString(memory).strip()).isEqualTo(Long.toString(512L << 20));
        assertThat(a.ok("run", "--rm", BUSYBOX, "cat", "/proc/self/cgroup"))
                .contains("memory:/" + stack.local().name() + "/iso-a/");
    }

    @Test
    void aTenantOnASmallDiskPlan_getsNoSpaceLeftOnDevice_whileAnotherTenantWritesTheSameAmount() {
        String[] write100MiB = {"run", "--rm", BUSYBOX, "dd", "if=/dev/zero", "of=/f", "bs=1M", "count=100"};

        DockerCli.Result full = small.run(write100MiB);
        DockerCli.Result roomy = a.run(write100MiB);

        assertThat(full.exit()).isNotZero();
        assertThat(full.output()).contains("No space left on device");
        assertThat(roomy.ok()).as(roomy.output()).isTrue();
        assertThat(stack.status("iso-small").getDiskBytes()).isEqualTo(64L << 20);
        assertThat(stack.status("iso-a").getDiskBytes()).isEqualTo(1L << 30);
        assertThat(small.run("run", "--rm", BUSYBOX, "true").ok()).as("space is back once the container is gone")
                .isTrue();
    }

    @Test
    void buildKitHostNetwork_isOffInTheTenantDaemon() throws IOException {
        Path daemonJson = Path.of("/run/wip-test", stack.local().name(), "tenants", "iso-a", "daemon.json");

        assertThat(Files.readString(daemonJson)).contains("\"network-host\": false", "\"security-insecure\": false");
    }

    private static String probeScript(String allowed, List<String> forbidden) {
        StringBuilder script = new StringBuilder();
        List<String> all = new ArrayList<>(forbidden);
        all.add(allowed);
        for (String target : all) {
            String[] hostPort = target.split(":");
            script.append("(nc -w 2 ").append(hostPort[0]).append(' ').append(hostPort[1])
                    .append(" -e true && echo '").append(target).append(" OPEN' || echo '").append(target)
                    .append(" CLOSED') & ");
        }
        return script.append("wait").toString();
    }

    /** Every IPv4 address of this host except loopback and tenant bridges' own veths. */
    private static List<String> hostAddresses() throws IOException {
        List<String> addresses = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    addresses.add(address.getHostAddress());
                }
            }
        }
        return addresses;
    }

    private static void acceptForever(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                server.accept().close();
            } catch (IOException e) {
                return;
            }
        }
    }
}
