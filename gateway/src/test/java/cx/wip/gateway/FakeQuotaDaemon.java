package cx.wip.gateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A daemon in the JVM for the quota step: three containers ({@code /web} 512 MiB and {@code /db} 256 MiB carrying the
 * platform label — whose value is stale on purpose — and {@code /other} without it), inspect, create and update; it
 * records every request line in order and may be told to answer slowly.
 */
final class FakeQuotaDaemon implements AutoCloseable {
    static final String LABEL = "cx.wip.memory";
    static final String WEB = "a".repeat(12) + "1".repeat(52);
    static final String DB = "a".repeat(12) + "2".repeat(52);
    static final String OTHER = "b".repeat(64);
    static final long WEB_MEMORY = 512L << 20;
    static final long DB_MEMORY = 256L << 20;

    private final HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    volatile long createMillis;
    volatile long listMillis;
    volatile String list = """
            [{"Id":"%s","Names":["/web"],"Labels":{"%s":"1"}},
             {"Id":"%s","Names":["/db"],"Labels":{"%s":"1"}},
             {"Id":"%s","Names":["/other"],"Labels":{}}]""".formatted(WEB, LABEL, DB, LABEL, OTHER);

    FakeQuotaDaemon() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::answer);
        server.start();
    }

    String address() {
        return "tcp://127.0.0.1:" + server.getAddress().getPort();
    }

    /** "METHOD path" of every request, in the order they arrived. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().replaceFirst("^/v1\\.\\d+", "");
        requests.add(exchange.getRequestMethod() + " " + path);
        exchange.getRequestBody().readAllBytes();
        if (path.equals("/containers/json")) {
            sleep(listMillis);
            send(exchange, 200, list);
        } else if (path.equals("/containers/" + WEB + "/json")) {
            send(exchange, 200, "{\"Id\":\"" + WEB + "\",\"HostConfig\":{\"Memory\":" + WEB_MEMORY + "}}");
        } else if (path.equals("/containers/" + DB + "/json")) {
            send(exchange, 200, "{\"Id\":\"" + DB + "\",\"HostConfig\":{\"Memory\":" + DB_MEMORY + "}}");
        } else if (path.equals("/containers/create")) {
            sleep(createMillis);
            send(exchange, 201, "{\"Id\":\"" + "c".repeat(64) + "\",\"Warnings\":[]}");
        } else if (path.endsWith("/update")) {
            send(exchange, 200, "{\"Warnings\":[]}");
        } else {
            send(exchange, 404, "{\"message\":\"no such thing\"}");
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
