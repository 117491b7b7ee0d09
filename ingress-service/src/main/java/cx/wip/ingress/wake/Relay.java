package cx.wip.ingress.wake;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One held request relayed to its app, as the route backend would have sent it: the head as received (Host and the
 * {@code X-Forwarded-*} fields the route backend set included) with {@code Connection: close}, then the body bytes in
 * their own framing, and the app's answer streamed back the same way (its head with {@code Connection: close}). An
 * upgrade (WebSocket) keeps its heads and becomes a byte pipe both ways.
 */
final class Relay {
    private static final int DRAIN_MILLIS = 1000;
    private static final long DRAIN_BYTES = 8L * 1024 * 1024;

    private Relay() {
    }

    static void exchange(Socket client, HttpHead request, Socket upstream) throws IOException {
        boolean upgrade = request.upgrade();
        OutputStream toApp = upstream.getOutputStream();
        toApp.write(request.bytes(!upgrade));
        toApp.flush();
        Thread body = Thread.ofVirtual().name("waker-body").start(() -> copyThenHalfClose(client, upstream));
        try {
            InputStream fromApp = upstream.getInputStream();
            OutputStream toClient = client.getOutputStream();
            if (!upgrade) {
                Optional<HttpHead> response = HttpHead.read(fromApp);
                while (response.isPresent() && informational(response.get())) {
                    toClient.write(response.get().bytes(false));
                    response = HttpHead.read(fromApp);
                }
                if (response.isEmpty()) {
                    throw new IOException("the app closed the connection without an answer");
                }
                toClient.write(response.get().bytes(true));
            }
            fromApp.transferTo(toClient);
            toClient.flush();
        } finally {
            body.interrupt();
            upstream.close();
        }
    }

    private static boolean informational(HttpHead response) throws HttpHead.Malformed {
        int status = response.status();
        return status >= 100 && status < 200 && status != 101;
    }

    private static void copyThenHalfClose(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException ignored) {
            // the app answered and closed, or the client went away: the other direction ends the exchange
        }
    }

    /**
     * A short plain-text answer, then the connection is closed without resetting it: what the client still sends
     * (a body nobody will read) is drained for a moment first, so the answer is not lost to a reset.
     */
    static void answer(Socket client, int status, String message) throws IOException {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
        OutputStream out = client.getOutputStream();
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        client.shutdownOutput();
        client.setSoTimeout(DRAIN_MILLIS);
        try {
            client.getInputStream().skipNBytes(DRAIN_BYTES);
        } catch (IOException ignored) {
            // drained what came in time (or the client closed): close now
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Error";
        };
    }
}
