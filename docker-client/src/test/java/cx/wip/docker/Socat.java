package cx.wip.docker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real forwarder in front of the host's dockerd socket: {@code socat <listen>,fork UNIX-CONNECT:/var/run/docker.sock},
 * on a free port. It passes half-closes through ({@code -t} gives the other direction time to finish).
 */
final class Socat implements AutoCloseable {
    static final String HOST_SOCKET = "/var/run/docker.sock";

    private final Process process;
    private final String host;
    private final int port;

    private Socat(String host, int port, String listen) throws Exception {
        this.host = host;
        this.port = port;
        List<String> command = new ArrayList<>(List.of("socat", "-t", "30", listen, "UNIX-CONNECT:" + HOST_SOCKET));
        this.process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        awaitListening();
    }

    /** Plain TCP on {@code host}. */
    static Socat tcp(String host) throws Exception {
        int port = freePort(host);
        return new Socat(host, port, "TCP-LISTEN:" + port + ",bind=" + host + ",reuseaddr,fork");
    }

    int port() {
        return port;
    }

    /** A port on {@code host} where nothing listens (taken and released). */
    static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(host, 0));
            return socket.getLocalPort();
        }
    }

    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("socat exited with " + process.exitValue());
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(host, port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("socat did not listen on " + host + ":" + port);
    }

    @Override
    public void close() {
        process.destroy();
    }
}
