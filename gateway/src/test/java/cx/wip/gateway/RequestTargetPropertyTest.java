package cx.wip.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import cx.wip.docker.DaemonAddress;
import cx.wip.gateway.endpoint.StaticEndpointResolver;
import cx.wip.gateway.identity.Tenant;
import cx.wip.gateway.review.Operation;
import cx.wip.gateway.review.Review;
import cx.wip.gateway.review.Reviewer;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon receives exactly what was routed and reviewed. Generated request targets — random bytes, escapes
 * (good and malformed), dot and empty segments, version prefixes, ';', '?', '#' — go through a real gateway to a
 * recording fake daemon. For every request the fake receives: the target is byte for byte what the client sent (no
 * re-encoding), the route the daemon's own reading of it gives (Go: split at the first '?', percent-decode the path)
 * is a route the gateway serves, and when that route is reviewed, the reviewer saw that operation on that very path
 * and query, and the body forwarded is the body the review returned.
 */
class RequestTargetPropertyTest {
    private static final String CREATE_BODY = "{\"Image\":\"busybox\",\"HostConfig\":{\"Binds\":[\"/:/host\"]}}";
    private static final byte[] REVIEWED_BODY = "{\"Image\":\"reviewed\"}".getBytes(StandardCharsets.UTF_8);

    private static RecordingDaemon daemon;
    private static GatewayServer gateway;
    private static final List<Reviewed> reviews = new CopyOnWriteArrayList<>();

    record Reviewed(Operation operation, String path, String query) {
    }

    @BeforeContainer
    static void start() throws IOException {
        daemon = RecordingDaemon.start();
        Config config = Config.just(ConfigSources.create(Map.of("port", "0", "admin-port", "0",
                "daemon", "tcp://127.0.0.1:" + daemon.port())));
        Reviewer recording = (tenant, operation, method, path, query, body, usage) -> {
            reviews.add(new Reviewed(operation, path, query));
            return new Review.Allow(REVIEWED_BODY, List.of());
        };
        gateway = GatewayServer.builder().config(GatewayConfig.create(config))
                .endpoints(new StaticEndpointResolver(DaemonAddress.parse("tcp://127.0.0.1:" + daemon.port())))
                .reviewer(recording).build().start();
    }

    @AfterContainer
    static void stop() throws IOException {
        gateway.close();
        daemon.close();
    }

    /** The attack of issue 11: routed as start (not reviewed), read by the daemon as create. */
    @Example
    void aNonAsciiByteNeverSplitsRoutingFromForwarding() throws IOException {
        String answer = send("POST", "/v1.41/containers/create\u0080/start?&name=x");
        assertThat(answer).startsWith("HTTP/1.1 400").contains("printable ASCII");
        assertThat(daemon.received()).isEmpty();
    }

    @Example
    void escapedSlashesAndDotSegmentsAreRefused() throws IOException {
        for (String target : List.of("/containers/x%2F..%2Fcreate/start", "/containers/x/../create",
                "/containers/%2e%2e/json", "/v1.41//containers/json", "/containers/json#frag", "/containers/j%zzson")) {
            assertThat(send("GET", target)).as(target).startsWith("HTTP/1.1 400");
        }
        assertThat(daemon.received()).isEmpty();
    }

    @Example
    void escapedNamesStillWork() throws IOException {
        // docker-py quotes '@' in image references: the daemon decodes it, and so does the router
        assertThat(send("GET", "/v1.41/images/busybox%40sha256:abc/json")).startsWith("HTTP/1.1 200");
        assertThat(daemon.received()).singleElement().extracting(Received::target)
                .isEqualTo("/v1.41/images/busybox%40sha256:abc/json");
    }

    @Property(tries = 400)
    void whatTheDaemonReceivesIsWhatWasRoutedAndReviewed(@ForAll("methods") String method,
                                                         @ForAll("targets") String target) throws IOException {
        String answer = send(method, target);
        List<Received> received = daemon.received();
        Statistics.collect(received.isEmpty() ? "not forwarded: " + answer.substring(9, 12) : "forwarded");
        assertThat(received).hasSizeLessThanOrEqualTo(1);
        for (Received request : received) {
            assertThat(request.target()).as("forwarded unchanged").isEqualTo(target);
            Route route = DaemonView.route(request.method(), request.target());
            assertThat(route).as("the daemon's reading of " + request.target() + " is a route the gateway serves")
                    .isNotNull();
            assertThat(route.refusal()).isNull();
            if (route.review() != null) {
                String[] parts = DaemonView.split(request.target());
                assertThat(reviews).as("reviewed as the daemon reads it")
                        .containsExactly(new Reviewed(route.review(), parts[0], parts[1]));
                boolean bodyReviewed = route.review() != Operation.BUILD && route.review() != Operation.IMAGE_PULL;
                if (bodyReviewed) {
                    assertThat(request.body()).as("forwarded body is the reviewed one").isEqualTo(REVIEWED_BODY);
                }
            }
        }
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("GET", "POST", "POST", "POST", "DELETE", "HEAD", "PUT");
    }

    @Provide
    Arbitrary<String> targets() {
        Arbitrary<String> prefix = Arbitraries.of("", "", "/v1.41", "/v1", "/v1.41.0", "/v.", "/V1.41", "/v1%2E41",
                "/v1.41/v1.41", "/%761.41");
        Arbitrary<String> segment = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of("containers", "create", "start", "exec", "json", "update",
                        "images", "build", "networks", "volumes", "swarm", "x", "abc123", "_ping", "session", "attach",
                        "archive", "cre%61te", "%41", "x%40y", "create;x", ";", "x\\y")),
                net.jqwik.api.Tuple.of(3, 
                Arbitraries.of("", ".", "..", "%2e%2e", "%2E", "%2F", "%2f", "%252F", "create%3F", "create;x", ";",
                        "x%00", "x%0A", "x%80", "%", "%G1", "x%4", "%41", "cre%61te", "a b", "x#y", "x?y",
                        "create\u0080", "\u00c3\u00a9", "x\ty", "x\u007f")),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(3)));
        // whole known paths too, so that a good share of the tries is forwarded
        Arbitrary<String> known = Arbitraries.of("/containers/create", "/containers/x/start", "/containers/x/update",
                "/containers/x/exec", "/exec/x/start", "/images/create", "/build", "/networks/create",
                "/networks/x/connect", "/volumes/create", "/containers/json", "/_ping", "/containers/x/attach");
        Arbitrary<String> path = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(2, known),
                net.jqwik.api.Tuple.of(3, segment.list().ofMinSize(1).ofMaxSize(4)
                .map(segments -> "/" + String.join("/", segments))));
        Arbitrary<String> query = Arbitraries.of("", "", "?", "?name=x", "?&name=x", "?networkmode=host",
                "?a=%zz", "?a=b;c=d", "?a=\u0080", "?x=/start", "?a=b#c", "?fromImage=busybox&tag=latest");
        return Combinators.combine(prefix, path, query).as((p, s, q) -> p + s + q)
                .filter(t -> t.indexOf('\r') < 0 && t.indexOf('\n') < 0 && t.indexOf(' ') < 0);
    }

    /** One request on its own connection; the answer's status line and head, or what the server said before closing. */
    private static String send(String method, String target) throws IOException {
        reviews.clear();
        daemon.clear();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
            socket.setSoTimeout(10_000);
            byte[] body = CREATE_BODY.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + target + " HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = RecordingDaemon.readHead(in);
            if (answer == null) {
                return "HTTP/1.1 000 (closed)";
            }
            // the exchange is over once its body is read
            byte[] content = method.equals("HEAD") ? new byte[0] : RecordingDaemon.readBody(in, answer);
            return answer + new String(content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "HTTP/1.1 000 (" + e.getMessage() + ")";
        }
    }

    /** The daemon's reading of a request target: Go's net/http and gorilla/mux, written independently of the gateway. */
    static final class DaemonView {
        static String[] split(String target) {
            int q = target.indexOf('?');
            return q < 0 ? new String[] {target, ""} : new String[] {target.substring(0, q), target.substring(q + 1)};
        }

        /** The route the daemon would run, or null when it would not route it (bad escape, redirect, unknown). */
        static Route route(String method, String target) {
            String path = unescape(split(target)[0]);
            if (path == null || !path.equals(clean(path))) {
                return null; // Go answers 400, or gorilla/mux redirects to the clean path: nothing runs
            }
            List<String> segments = new ArrayList<>(List.of(path.substring(1).split("/", -1)));
            if (segments.size() > 1 && segments.get(0).matches("v[0-9.]+")) {
                segments.remove(0);
            }
            try {
                return DockerApi.match(method, "/" + String.join("/", segments)).route();
            } catch (GatewayException notServed) {
                return null;
            }
        }

        /** Go's url.PathUnescape: %XX to the byte, malformed → error. */
        private static String unescape(String raw) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c == '%') {
                    if (i + 2 >= raw.length()) {
                        return null;
                    }
                    try {
                        out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                    } catch (NumberFormatException e) {
                        return null;
                    }
                    i += 2;
                } else {
                    out.write(c);
                }
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }

        /** gorilla/mux cleanPath: path.Clean, keeping a trailing slash. */
        private static String clean(String path) {
            List<String> out = new ArrayList<>();
            for (String part : path.split("/")) {
                if (part.isEmpty() || part.equals(".")) {
                    continue;
                }
                if (part.equals("..")) {
                    if (!out.isEmpty()) {
                        out.remove(out.size() - 1);
                    }
                } else {
                    out.add(part);
                }
            }
            String cleaned = "/" + String.join("/", out);
            return path.endsWith("/") && !cleaned.equals("/") ? cleaned + "/" : cleaned;
        }
    }

    record Received(String method, String target, byte[] body) {
    }

    /** A daemon that records each request line and body and answers 200 {} (keep-alive, Content-Length framed). */
    static final class RecordingDaemon implements AutoCloseable {
        private final java.net.ServerSocket server;
        private final List<Received> received = new CopyOnWriteArrayList<>();

        private RecordingDaemon(java.net.ServerSocket server) {
            this.server = server;
        }

        static RecordingDaemon start() throws IOException {
            RecordingDaemon daemon = new RecordingDaemon(new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            Thread.ofVirtual().start(daemon::accept);
            return daemon;
        }

        int port() {
            return server.getLocalPort();
        }

        List<Received> received() {
            return List.copyOf(received);
        }

        void clear() {
            received.clear();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread.ofVirtual().start(() -> serve(socket));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void serve(Socket socket) {
            try (socket) {
                InputStream in = socket.getInputStream();
                while (true) {
                    String head = readHead(in);
                    if (head == null) {
                        return;
                    }
                    String[] line = head.substring(0, head.indexOf("\r\n")).split(" ");
                    received.add(new Received(line[0], line[1], readBody(in, head)));
                    String json = line[0].equals("HEAD") ? "" : "{}"; // a HEAD answer has no body
                    byte[] answer = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n"
                            + json).getBytes(StandardCharsets.ISO_8859_1);
                    socket.getOutputStream().write(answer);
                    socket.getOutputStream().flush();
                }
            } catch (IOException | RuntimeException gone) {
                // the gateway closed the connection
            }
        }

        static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                head.write(b);
                String text = head.toString(StandardCharsets.ISO_8859_1);
                if (text.endsWith("\r\n\r\n")) {
                    return text;
                }
            }
            return null;
        }

        static byte[] readBody(InputStream in, String head) throws IOException {
            for (String header : head.split("\r\n")) {
                int colon = header.indexOf(':');
                if (colon > 0) {
                    String name = header.substring(0, colon).trim();
                    String value = header.substring(colon + 1).trim();
                    if (name.equalsIgnoreCase("Content-Length")) {
                        return in.readNBytes(Integer.parseInt(value));
                    }
                    if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                        return readChunked(in);
                    }
                }
            }
            return new byte[0];
        }

        private static byte[] readChunked(InputStream in) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = readLine(in);
                int n = Integer.parseInt(size.trim(), 16);
                if (n == 0) {
                    readLine(in);
                    return body.toByteArray();
                }
                body.write(in.readNBytes(n));
                readLine(in);
            }
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
