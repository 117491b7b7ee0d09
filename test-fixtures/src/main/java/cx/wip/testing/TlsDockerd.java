package cx.wip.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real dockerd started with {@code --tlsverify}, as a proxmox VM's daemon is: in a network namespace of its own,
 * reached over a veth at {@code 10.250.x.2:2376}. Its certificate names {@code localhost} (not its address), like a
 * VM template's certificate that cannot know the DHCP address. Needs root.
 */
public final class TlsDockerd implements AutoCloseable {
    private final String namespace;
    private final String hostVeth;
    private final String address;
    private final Path work;
    private final Process dockerd;
    private final Path client;

    public TlsDockerd(TestCertificates certificates, Path work) throws Exception {
        this.client = certificates.clientBundle();
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
        int block = ThreadLocalRandom.current().nextInt(1, 16383) * 4;
        String net = "10.250." + (block >> 8) + ".";
        int base = block & 0xff;
        this.namespace = "wip-gwtls-" + id;
        this.hostVeth = "gwt" + id + "h";
        this.address = net + (base + 2);
        this.work = Files.createDirectories(work);
        String peer = "gwt" + id + "n";
        run("ip", "netns", "add", namespace);
        run("ip", "link", "add", hostVeth, "type", "veth", "peer", "name", peer);
        run("ip", "link", "set", peer, "netns", namespace);
        run("ip", "addr", "add", net + (base + 1) + "/30", "dev", hostVeth);
        run("ip", "link", "set", hostVeth, "up");
        run("ip", "-n", namespace, "addr", "add", address + "/30", "dev", peer);
        run("ip", "-n", namespace, "link", "set", peer, "up");
        run("ip", "-n", namespace, "link", "set", "lo", "up");
        Files.writeString(work.resolve("daemon.json"), "{}");
        this.dockerd = new ProcessBuilder("nsenter", "--net=/run/netns/" + namespace, "--",
                "dockerd", "--config-file", work.resolve("daemon.json").toString(),
                "--data-root", work.resolve("data").toString(), "--exec-root", work.resolve("exec").toString(),
                "--pidfile", work.resolve("dockerd.pid").toString(),
                "--bridge=none", "--iptables=false", "--log-level", "warn",
                "--tlsverify", "--tlscacert", certificates.ca().toString(),
                "--tlscert", certificates.serverCertificate().toString(),
                "--tlskey", certificates.serverKey().toString(),
                "-H", "tcp://" + address + ":2376")
                .redirectErrorStream(true).redirectOutput(work.resolve("dockerd.log").toFile()).start();
        awaitAnswer();
    }

    /** {@code https://10.250.x.2:2376}. */
    public String url() {
        return "https://" + address + ":2376";
    }

    public String address() {
        return address;
    }

    /**
     * {@code docker <args>} straight to this daemon with the client bundle, TLS without the host-name check (the
     * certificate names localhost, not this address: that is the point).
     */
    public Run docker(String... args) {
        List<String> command = new ArrayList<>(cli());
        command.addAll(List.of(args));
        return Run.of(command.toArray(String[]::new)).env("DOCKER_CONFIG", work.toString());
    }

    private List<String> cli() {
        return List.of(DockerCli.CLI, "--tls", "--tlscacert", client.resolve("ca.pem").toString(),
                "--tlscert", client.resolve("cert.pem").toString(), "--tlskey", client.resolve("key.pem").toString(),
                "-H", "tcp://" + address + ":2376");
    }

    /** Copies an image of the host daemon into this one ({@code docker save | docker load}). */
    public void seed(String image) {
        Run.of("sh", "-c", "docker save " + image + " | " + String.join(" ", cli()) + " load")
                .env("DOCKER_CONFIG", work.toString()).call().expectSuccess();
    }

    private void awaitAnswer() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!dockerd.isAlive()) {
                throw new IllegalStateException("TLS dockerd exited: " + Files.readString(work.resolve("dockerd.log")));
            }
            Run.Result version = docker("version", "--format", "{{.Server.Version}}").timeout(Duration.ofSeconds(10))
                    .call();
            if (version.exitCode() == 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("TLS dockerd did not answer: " + Files.readString(work.resolve("dockerd.log")));
    }

    @Override
    public void close() {
        dockerd.destroy();
        try {
            if (!dockerd.waitFor(20, TimeUnit.SECONDS)) {
                dockerd.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dockerd.destroyForcibly();
        }
        Run.of("ip", "netns", "del", namespace).call();
        Run.of("ip", "link", "del", hostVeth).call();
        Run.of("rm", "-rf", work.toString()).call();
    }

    private static void run(String... command) throws IOException {
        Run.Result result = Run.of(command).call();
        if (result.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + ": " + result.err());
        }
    }
}
