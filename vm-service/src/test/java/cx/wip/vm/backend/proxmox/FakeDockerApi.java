package cx.wip.vm.backend.proxmox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;

/**
 * The Docker API of a simulated VM: {@code /_ping}, an empty {@code /containers/json}, and {@code /info} with the
 * engine's {@code ID} (which a real dockerd keeps on the VM's disk, so it survives restarts).
 */
final class FakeDockerApi {
    private FakeDockerApi() {
    }

    static HttpServer start(String address, int port, String engineId) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 10);
            server.createContext("/", exchange -> {
                try (exchange) {
                    String path = exchange.getRequestURI().getPath();
                    String answer = path.endsWith("/_ping") ? "OK"
                            : path.endsWith("/containers/json") ? "[]"
                            : path.endsWith("/info") ? "{\"ID\":\"" + engineId + "\",\"Name\":\"sim\"}"
                            : null;
                    byte[] body = (answer == null ? "{}" : answer).getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(answer == null ? 404 : 200, body.length);
                    exchange.getResponseBody().write(body);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
