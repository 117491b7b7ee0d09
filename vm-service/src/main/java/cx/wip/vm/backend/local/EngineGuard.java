package cx.wip.vm.backend.local;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cx.wip.vm.spi.BackendException;

/**
 * A docker authorization plug-in ({@code dockerd --authorization-plugin wip-guard}) served by vm-service on a unix
 * socket, so that {@link GuardRules} hold in the engine itself, with review switched off. The socket's directory is
 * bound to {@code /run/docker/plugins} in each engine's private view ({@link PrivateView}); dockerd connects per
 * request, so a vm-service that restarts (or another replica that takes the socket over) serves the running
 * engines again. While nobody serves it, the engines refuse every request: they fail closed.
 * <p>
 * The plug-in protocol is HTTP/1.1 with small JSON bodies: {@code /Plugin.Activate}, {@code /AuthZPlugin.AuthZReq},
 * {@code /AuthZPlugin.AuthZRes}; this reads only what that needs (Content-Length bodies).
 */
final class EngineGuard implements AutoCloseable {
    static final String NAME = "wip-guard";
    private static final Logger LOGGER = Logger.getLogger(EngineGuard.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.docker.plugins.v1.2+json";

    private final Path socket;
    private volatile ServerSocketChannel server;
    private boolean closed;

    EngineGuard(Path directory) {
        this.socket = directory.resolve(NAME + ".sock");
    }

    Path directory() {
        return socket.getParent();
    }

    /** Serves the socket unless someone (another vm-service on this host) already answers on it. */
    synchronized void ensureServing() {
        if (closed || server != null && server.isOpen() || answers()) {
            return;
        }
        try {
            Files.createDirectories(socket.getParent());
            Files.deleteIfExists(socket);
            ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            channel.bind(UnixDomainSocketAddress.of(socket));
            server = channel;
            Thread.ofVirtual().name("engine-guard").start(() -> accept(channel));
        } catch (IOException e) {
            throw new BackendException("cannot serve the engine guard on " + socket + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        // for good: a late tick of the wall keeper must not serve (and recreate the directory of) a torn-down backend
        closed = true;
        if (server != null) {
            try {
                server.close();
                Files.deleteIfExists(socket);
            } catch (IOException ignored) {
                // closing anyway
            }
            server = null;
        }
    }

    private boolean answers() {
        try (SocketChannel ignored = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void accept(ServerSocketChannel channel) {
        while (channel.isOpen()) {
            try {
                SocketChannel connection = channel.accept();
                Thread.ofVirtual().start(() -> serve(connection));
            } catch (IOException e) {
                if (channel.isOpen()) {
                    LOGGER.warning(() -> "engine guard: " + e.getMessage());
                }
            }
        }
    }

    private static void serve(SocketChannel connection) {
        try (connection;
             InputStream in = new BufferedInputStream(Channels.newInputStream(connection));
             OutputStream out = Channels.newOutputStream(connection)) {
            String head;
            while ((head = head(in)) != null) {
                String path = head.split(" ", 3)[1];
                byte[] body = in.readNBytes(contentLength(head));
                byte[] answer = JSON.writeValueAsBytes(answer(path, body));
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + CONTENT_TYPE + "\r\nContent-Length: "
                           + answer.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(answer);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            LOGGER.fine(() -> "engine guard connection: " + e);
        }
    }

    private static Map<String, Object> answer(String path, byte[] body) throws IOException {
        return switch (path) {
            case "/Plugin.Activate" -> Map.of("Implements", new String[] {"authz"});
            case "/AuthZPlugin.AuthZReq" -> {
                JsonNode request = JSON.readTree(body);
                yield GuardRules.refusal(request).<Map<String, Object>>map(reason -> {
                    LOGGER.warning(() -> "engine guard refused " + request.path("RequestMethod").asText() + " "
                                         + request.path("RequestUri").asText() + ": " + reason);
                    return Map.of("Allow", false, "Msg", reason);
                }).orElse(Map.of("Allow", true));
            }
            case "/AuthZPlugin.AuthZRes" -> Map.of("Allow", true);
            default -> Map.of("Err", "unknown plug-in call " + path);
        };
    }

    /** The request line and headers, or null at the end of the connection. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > 64 * 1024) {
                throw new IOException("request head too long");
            }
        }
        return matched < 4 ? null : head.toString(StandardCharsets.US_ASCII);
    }

    private static int contentLength(String head) throws IOException {
        for (String line : head.split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                throw new IOException("chunked plug-in requests are not expected");
            }
            if (lower.startsWith("content-length:")) {
                return Integer.parseInt(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return 0;
    }
}
