package cx.wip.vm.backend.proxmox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;

/** The Docker API of a simulated VM: just {@code /_ping} and an empty {@code /containers/json}. */
final class FakeDockerApi {
    private FakeDockerApi() {
    }

    static HttpServer start(String address, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 10);
            server.createContext("/", exchange -> {
                try (exchange) {
                    String path = exchange.getRequestURI().getPath();
                    byte[] body = (path.endsWith("/_ping") ? "OK" : path.endsWith("/containers/json") ? "[]" : "{}")
                            .getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(path.endsWith("/_ping") || path.endsWith("/containers/json")
                                                 ? 200 : 404, body.length);
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
