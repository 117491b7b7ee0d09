package cx.wip.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import cx.wip.docker.DaemonAddress;
import cx.wip.gateway.identity.Authenticator;
import cx.wip.gateway.identity.Tenant;
import cx.wip.gateway.limits.GatewayLimits;
import cx.wip.testing.DockerCli;
import cx.wip.testing.Run;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static cx.wip.testing.DockerCli.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tenant A floods the real gateway (in front of the real dockerd) over real sockets — half-sent heads, big bodies to
 * reviewed and unreviewed endpoints, streams and attach sessions beyond its caps — while tenant B's pings, listings
 * and a docker CLI {@code ps} keep answering in time. Afterwards A's half-open connections are gone and A holds
 * nothing: its caps were released, however its exchanges ended.
 */
class FloodIT {
    private static final DaemonAddress HOST = DaemonAddress.parse(GatewayFixture.HOST_DAEMON);
    /** Small caps so the flood crosses them quickly; the defaults are 64/32/64. */
    private static final GatewayLimits LIMITS = new GatewayLimits(16, 4, 8, 64L << 20, 16L << 20,
            Duration.ofSeconds(2), Duration.ofSeconds(30));
    /** What B's plain requests must stay under while A floods (p99), and any single one. */
    private static final Duration B_P99 = Duration.ofSeconds(2);
    private static final Duration B_MAX = Duration.ofSeconds(5);
    private static final Duration B_CLI_MAX = Duration.ofSeconds(10);

    private static GatewayServer gateway;
    private static Path work;
    private static String container;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("wip-flood-it");
        Authenticator byToken = identity -> switch (identity.bearerToken().orElse("")) {
            case "token-a" -> new Tenant("tenant-a", "a", "free");
            case "token-b" -> new Tenant("tenant-b", "b", "free");
            default -> throw new GatewayException(401, "wip: unknown credential");
        };
        GatewayConfig config = new GatewayConfig("127.0.0.1", 0, Optional.empty(), Optional.empty(), 0, HOST,
                Optional.empty(), Duration.ofSeconds(2), 16, Duration.ofSeconds(1)).withLimits(LIMITS);
        gateway = GatewayServer.builder().config(config).authenticator(byToken).build().start();
        container = "wip-flood-" + UUID.randomUUID().toString().substring(0, 8);
        DockerCli.at(HOST.toString(), work).docker("run", "-d", "--name", container, BUSYBOX, "sleep", "120")
                .call().expectSuccess();
    }

    @AfterAll
    static void stop() {
        DockerCli.at(HOST.toString(), work).docker("rm", "-f", container).call();
        gateway.close();
    }

    @Test
    void tenantBKeepsBeingServed_whileTenantAFloods_andNothingOfAIsLeftAfterwards() throws Exception {
        List<Socket> slowHeads = new CopyOnWriteArrayList<>();
        List<Socket> held = new CopyOnWriteArrayList<>();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        AtomicBoolean flooding = new AtomicBoolean(true);
        List<Thread> flood = new ArrayList<>();
        // 400 connections that never finish their head: half stop inside the request line, half trickle headers
        for (int i = 0; i < 400; i++) {
            boolean inRequestLine = i % 2 == 0;
            flood.add(Thread.ofVirtual().start(() -> slowHead(slowHeads, inRequestLine, flooding)));
        }
        // big bodies: reviewed (read whole, buffered) and unreviewed (streamed), sent fast then stalled
        for (int i = 0; i < 40; i++) {
            String target = i % 2 == 0 ? "/containers/create" : "/images/load";
            flood.add(Thread.ofVirtual().start(() -> bigBody(target, held, statuses)));
        }
        // long streams and exec sessions (`docker exec -i c cat`) beyond the caps
        for (int i = 0; i < 20; i++) {
            String exec = execCat();
            flood.add(Thread.ofVirtual().start(() -> statuses.merge(open("GET /events", "", held), 1, Integer::sum)));
            flood.add(Thread.ofVirtual().start(() -> statuses.merge(open("POST /exec/" + exec + "/start",
                    "Connection: Upgrade\r\nUpgrade: tcp\r\n", EXEC_START, held), 1, Integer::sum)));
        }
        Thread.sleep(500);
        try {
            underFlood(statuses);
            // the head deadline closed every half-sent head, long before the flood stopped sending
            await().atMost(Duration.ofSeconds(5)).until(() -> slowHeads.stream().allMatch(FloodIT::closedByServer));
        } finally {
            flooding.set(false);
            held.forEach(FloodIT::closeQuietly);
            slowHeads.forEach(FloodIT::closeQuietly);
            for (Thread t : flood) {
                t.join(Duration.ofSeconds(5));
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.heldByTenant("tenant-a") == 0);
        // A is served normally again, up to its full caps
        assertThat(exchange("GET /_ping", "token-a")).isEqualTo(200);
        List<Socket> streams = new ArrayList<>();
        for (int i = 0; i < LIMITS.streams(); i++) {
            assertThat(open("GET /events", "", streams)).isEqualTo(200);
        }
        streams.forEach(FloodIT::closeQuietly);
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.heldByTenant("tenant-a") == 0);
    }

    /** Tenant B's plain requests and docker CLI while A floods; asserts B's bounds and that A was turned away. */
    private static void underFlood(Map<Integer, Integer> statuses) throws Exception {
        List<Long> bNanos = Collections.synchronizedList(new ArrayList<>());
        List<String> bFailures = new CopyOnWriteArrayList<>();
        long floodEnd = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        List<Thread> bClients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            bClients.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < floodEnd) {
                    for (String path : List.of("/_ping", "/containers/json")) {
                        long t0 = System.nanoTime();
                        int status = exchange("GET " + path, "token-b");
                        bNanos.add(System.nanoTime() - t0);
                        if (status != 200) {
                            bFailures.add(path + " -> " + status);
                        }
                    }
                }
            }));
        }
        DockerCli bCli = cli("token-b");
        List<Long> cliMillis = new ArrayList<>();
        while (System.nanoTime() < floodEnd) {
            long t0 = System.nanoTime();
            Run.Result ps = bCli.docker("ps", "--format", "{{.Names}}").timeout(B_CLI_MAX).call();
            cliMillis.add((System.nanoTime() - t0) / 1_000_000);
            assertThat(ps.exitCode()).as(ps.err()).isZero();
            assertThat(ps.out()).contains(container);
        }
        for (Thread t : bClients) {
            t.join();
        }

        List<Long> sorted = new ArrayList<>(bNanos);
        Collections.sort(sorted);
        long p50 = sorted.get(sorted.size() / 2) / 1_000_000;
        long p99 = sorted.get((int) (sorted.size() * 0.99)) / 1_000_000;
        long max = sorted.getLast() / 1_000_000;
        Collections.sort(cliMillis);
        System.out.printf("FloodIT: B made %d requests under flood: p50 %d ms, p99 %d ms, max %d ms; %d docker ps: "
                + "median %d ms, max %d ms; A's answers by status %s (0 = still held)%n", sorted.size(), p50, p99, max,
                cliMillis.size(), cliMillis.get(cliMillis.size() / 2), cliMillis.getLast(), statuses);
        assertThat(bFailures).isEmpty();
        assertThat(p99).isLessThan(B_P99.toMillis());
        assertThat(max).isLessThan(B_MAX.toMillis());
        // A was turned away: 429 over its caps, 503 once its buffer share was full
        assertThat(statuses.getOrDefault(429, 0)).isGreaterThan(0);
    }

    @Test
    void aSlowButProgressingUpload_outlivesTheHeadDeadline() throws Exception {
        try (Socket s = socket()) {
            OutputStream out = s.getOutputStream();
            out.write(("PUT /containers/" + container + "/archive?path=/tmp HTTP/1.1\r\nHost: x\r\nAuthorization: "
                    + "Bearer token-a\r\nContent-Type: application/x-tar\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] tar = tar();
            int piece = tar.length / 8;
            for (int off = 0; off < tar.length; off += piece) {
                int n = Math.min(piece, tar.length - off);
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(tar, off, n);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(500);
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(status(s)).isEqualTo(200);
        }
    }

    @Test
    void connectionClose_isHonoured_andA401DoesNotDrainTheBody() throws Exception {
        try (Socket s = socket()) {
            s.getOutputStream().write("GET /_ping HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer token-b\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
        }
        try (Socket s = socket()) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /images/load HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wrong\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n10000\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[0x10000]);
            out.flush();
            // the body never ends; the 401 comes anyway, and the connection ends after it
            long t0 = System.nanoTime();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 401").containsIgnoringCase("connection: close");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        }
    }

    // --- tenant A's flood -------------------------------------------------------------------------------------------

    private static void slowHead(List<Socket> sockets, boolean inRequestLine, AtomicBoolean flooding) {
        try {
            Socket s = socket();
            sockets.add(s);
            OutputStream out = s.getOutputStream();
            out.write((inRequestLine ? "GET /_pi" : "GET /_ping HTTP/1.1\r\nHost: x\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (int i = 0; flooding.get() && i < 40 && !inRequestLine; i++) {
                out.write(("X-Slow-" + i + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(250);
            }
        } catch (IOException | InterruptedException closed) {
            // closed by the gateway: what the test waits for
        }
    }

    private static void bigBody(String target, List<Socket> held, Map<Integer, Integer> statuses) {
        try {
            Socket s = socket();
            held.add(s);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer token-a\r\nContent-Type: "
                    + "application/json\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            for (int i = 0; i < 15; i++) {
                out.write("10000\r\n".getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            // ~1 MiB sent, the body never ends: the gateway holds it (or refused it) until the client goes
            s.setSoTimeout(3000);
            statuses.merge(status(s), 1, Integer::sum);
        } catch (SocketTimeoutException stillHeld) {
            statuses.merge(0, 1, Integer::sum);
        } catch (IOException closed) {
            statuses.merge(-1, 1, Integer::sum);
        }
    }

    /** Sends a request of tenant A without body and returns its status; the socket stays open (a stream, a session). */
    private static int open(String requestLine, String headers, List<Socket> held) {
        return open(requestLine, headers, "", held);
    }

    private static int open(String requestLine, String headers, String body, List<Socket> held) {
        try {
            Socket s = socket();
            held.add(s);
            String framing = body.isEmpty() ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length()
                    + "\r\n";
            s.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer token-a\r\n"
                    + headers + framing + "\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(5000);
            return status(s);
        } catch (IOException e) {
            return -1;
        }
    }

    private static final String EXEC_START = "{\"Detach\":false,\"Tty\":false}";

    /** An exec of {@code cat} with stdin in the flood's container (made by B): it ends when its client goes. */
    private static String execCat() throws IOException {
        String body = "{\"AttachStdin\":true,\"AttachStdout\":true,\"Cmd\":[\"cat\"]}";
        try (Socket s = socket()) {
            s.getOutputStream().write(("POST /containers/" + container + "/exec HTTP/1.1\r\nHost: x\r\nAuthorization: "
                    + "Bearer token-b\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            java.util.regex.Matcher id = java.util.regex.Pattern.compile("\"Id\":\"([0-9a-f]+)\"").matcher(answer);
            assertThat(id.find()).as(answer).isTrue();
            return id.group(1);
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private static int exchange(String requestLine, String token) {
        try (Socket s = socket()) {
            s.setSoTimeout((int) B_MAX.toMillis() * 2);
            s.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            int status = status(s);
            s.getInputStream().readAllBytes();
            return status;
        } catch (IOException e) {
            return -1;
        }
    }

    private static int status(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.write(b);
        }
        String text = line.toString(StandardCharsets.US_ASCII);
        return text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
    }

    private static boolean closedByServer(Socket s) {
        try {
            s.setSoTimeout(1);
            return s.getInputStream().read() == -1;
        } catch (SocketTimeoutException open) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static Socket socket() throws IOException {
        return new Socket("127.0.0.1", gateway.port());
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static DockerCli cli(String token) throws IOException {
        Path config = work.resolve("docker-" + token);
        Files.createDirectories(config);
        Files.writeString(config.resolve("config.json"),
                "{\"HttpHeaders\": {\"Authorization\": \"Bearer " + token + "\"}}");
        return DockerCli.at("tcp://127.0.0.1:" + gateway.port(), config);
    }

    private static byte[] tar() throws Exception {
        Path dir = Files.createTempDirectory(work, "tar");
        byte[] payload = new byte[256 * 1024];
        new java.util.Random(1).nextBytes(payload);
        Files.write(dir.resolve("slow.bin"), payload);
        Run.of("tar", "-C", dir.toString(), "-cf", dir.resolve("slow.tar").toString(), "slow.bin").call().expectSuccess();
        return Files.readAllBytes(dir.resolve("slow.tar"));
    }
}
